/**
 * @module The information elements CareGuard reads from NetFlow v9 and IPFIX data records (v9 field
 * types 1-127 are the same numbers as the IPFIX IEs), and the draft a record is built in. Every other
 * element, and every enterprise-specific one except the RFC 5103 reverse counters, is skipped by its
 * length, so unknown vendors never break decoding.
 */
import { ipv4At, ipv6At, ntpToMs, uint } from './bytes.js';

/** RFC 5103 biflow reverse elements are enterprise-specific under this private enterprise number. */
export const REVERSE_PEN = 29305;

/** What a template field means to us; 0 = skip. Numbers, not strings: the decode loop switches on them. */
export const K = {
  SKIP: 0,
  BYTES: 1,
  PACKETS: 2,
  PROTOCOL: 3,
  TCP_FLAGS: 4,
  SRC_PORT: 5,
  DST_PORT: 6,
  SRC_V4: 7,
  DST_V4: 8,
  SRC_V6: 9,
  DST_V6: 10,
  IN_IF: 11,
  OUT_IF: 12,
  END_UPTIME: 13,
  START_UPTIME: 14,
  VLAN: 15,
  DOT1Q_VLAN: 16,
  BYTES_TOTAL: 17,
  PACKETS_TOTAL: 18,
  APP_NAME: 19,
  START_S: 20,
  END_S: 21,
  START_MS: 22,
  END_MS: 23,
  START_NTP: 24,
  END_NTP: 25,
  START_DELTA_US: 26,
  END_DELTA_US: 27,
  SYS_INIT_MS: 28,
  REV_BYTES: 29,
  REV_PACKETS: 30,
  REV_TCP_FLAGS: 31,
  INITIATOR_BYTES: 32,
  RESPONDER_BYTES: 33,
  INITIATOR_PACKETS: 34,
  RESPONDER_PACKETS: 35,
} as const;

const IANA: Record<number, number> = {
  1: K.BYTES, // octetDeltaCount / IN_BYTES
  2: K.PACKETS, // packetDeltaCount / IN_PKTS
  4: K.PROTOCOL,
  6: K.TCP_FLAGS,
  7: K.SRC_PORT,
  8: K.SRC_V4,
  10: K.IN_IF,
  11: K.DST_PORT,
  12: K.DST_V4,
  14: K.OUT_IF,
  21: K.END_UPTIME, // flowEndSysUpTime / LAST_SWITCHED
  22: K.START_UPTIME, // flowStartSysUpTime / FIRST_SWITCHED
  27: K.SRC_V6,
  28: K.DST_V6,
  58: K.VLAN, // vlanId / SRC_VLAN
  85: K.BYTES_TOTAL,
  86: K.PACKETS_TOTAL,
  96: K.APP_NAME,
  150: K.START_S,
  151: K.END_S,
  152: K.START_MS,
  153: K.END_MS,
  154: K.START_NTP, // flowStartMicroseconds
  155: K.END_NTP,
  156: K.START_NTP, // flowStartNanoseconds
  157: K.END_NTP,
  158: K.START_DELTA_US,
  159: K.END_DELTA_US,
  160: K.SYS_INIT_MS,
  231: K.INITIATOR_BYTES,
  232: K.RESPONDER_BYTES,
  243: K.DOT1Q_VLAN,
  298: K.INITIATOR_PACKETS,
  299: K.RESPONDER_PACKETS,
};

const REVERSE: Record<number, number> = { 1: K.REV_BYTES, 2: K.REV_PACKETS, 6: K.REV_TCP_FLAGS, 85: K.REV_BYTES, 86: K.REV_PACKETS };

export function fieldKind(id: number, enterprise: number): number {
  if (enterprise === 0) return IANA[id] ?? K.SKIP;
  if (enterprise === REVERSE_PEN) return REVERSE[id] ?? K.SKIP;
  return K.SKIP;
}

/** A record being decoded: every property set up front so all drafts share one shape. */
export class RecordDraft {
  srcIp: string | undefined = undefined;
  dstIp: string | undefined = undefined;
  srcPort = 0;
  dstPort = 0;
  protocol = 0;
  bytes: number | undefined = undefined;
  packets: number | undefined = undefined;
  bytesTotal: number | undefined = undefined;
  packetsTotal: number | undefined = undefined;
  revBytes: number | undefined = undefined;
  revPackets: number | undefined = undefined;
  tcpFlags: number | undefined = undefined;
  revTcpFlags: number | undefined = undefined;
  vlan: number | undefined = undefined;
  dot1qVlan: number | undefined = undefined;
  appName: string | undefined = undefined;
  inIf: number | undefined = undefined;
  outIf: number | undefined = undefined;
  startAbs: number | undefined = undefined;
  endAbs: number | undefined = undefined;
  startUptime: number | undefined = undefined;
  endUptime: number | undefined = undefined;
  startDeltaUs: number | undefined = undefined;
  endDeltaUs: number | undefined = undefined;
  sysInitMs: number | undefined = undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
/** applicationName and the like: bounded so a 64 KiB string field cannot bloat every record */
const MAX_STRING = 256;

/** Applies one field's bytes to the draft. Address fields of the wrong size are ignored, not misread. */
export function applyField(d: RecordDraft, kind: number, b: Uint8Array, o: number, len: number): void {
  switch (kind) {
    case K.SKIP:
      return;
    case K.SRC_V4:
      if (len === 4) d.srcIp = ipv4At(b, o);
      return;
    case K.DST_V4:
      if (len === 4) d.dstIp = ipv4At(b, o);
      return;
    case K.SRC_V6:
      if (len === 16) d.srcIp = ipv6At(b, o);
      return;
    case K.DST_V6:
      if (len === 16) d.dstIp = ipv6At(b, o);
      return;
    case K.APP_NAME:
      if (len > 0) d.appName = utf8.decode(b.subarray(o, o + Math.min(len, MAX_STRING))).replace(/\0+$/, '');
      return;
    case K.START_NTP:
      if (len === 8) d.startAbs = ntpToMs(b, o);
      return;
    case K.END_NTP:
      if (len === 8) d.endAbs = ntpToMs(b, o);
      return;
  }
  if (len === 0) return;
  const v = uint(b, o, len);
  switch (kind) {
    case K.BYTES: d.bytes = v; break;
    case K.PACKETS: d.packets = v; break;
    case K.BYTES_TOTAL: d.bytesTotal = v; break;
    case K.PACKETS_TOTAL: d.packetsTotal = v; break;
    case K.PROTOCOL: d.protocol = v & 0xff; break;
    case K.TCP_FLAGS: d.tcpFlags = v & 0xff; break;
    case K.SRC_PORT: d.srcPort = v & 0xffff; break;
    case K.DST_PORT: d.dstPort = v & 0xffff; break;
    case K.IN_IF: d.inIf = v; break;
    case K.OUT_IF: d.outIf = v; break;
    case K.END_UPTIME: d.endUptime = v; break;
    case K.START_UPTIME: d.startUptime = v; break;
    case K.VLAN: d.vlan = v & 0xfff; break;
    case K.DOT1Q_VLAN: d.dot1qVlan = v & 0xfff; break;
    case K.START_S: d.startAbs = v * 1000; break;
    case K.END_S: d.endAbs = v * 1000; break;
    case K.START_MS: d.startAbs = v; break;
    case K.END_MS: d.endAbs = v; break;
    case K.START_DELTA_US: d.startDeltaUs = v; break;
    case K.END_DELTA_US: d.endDeltaUs = v; break;
    case K.SYS_INIT_MS: d.sysInitMs = v; break;
    case K.REV_BYTES: d.revBytes = v; break;
    case K.REV_PACKETS: d.revPackets = v; break;
    case K.REV_TCP_FLAGS: d.revTcpFlags = v & 0xff; break;
    case K.INITIATOR_BYTES: d.bytes ??= v; break;
    case K.RESPONDER_BYTES: d.revBytes ??= v; break;
    case K.INITIATOR_PACKETS: d.packets ??= v; break;
    case K.RESPONDER_PACKETS: d.revPackets ??= v; break;
  }
}
