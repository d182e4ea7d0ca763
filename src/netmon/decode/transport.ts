/**
 * @module Transport headers: TCP (flags, sequence numbers, the options flow tracking and fingerprinting
 * use: MSS, window scale, SACK permitted, timestamps), UDP and ICMP/ICMPv6 type and code. Bytes the IP
 * length promises but the capture cut off (snap length) are reported as `payloadMissing`.
 */
import { be16, be32 } from './bytes.js';
import { DecodeError, type DecodedPacket } from './packet.js';

export const IpProto = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/**
 * Decodes the transport header at `off` in `b`; `end` is where captured bytes of this datagram stop,
 * `base` where offset 0 of the packet's buffer (frame or reassembled datagram) lies in `b`.
 */
export function decodeTransport(p: DecodedPacket, proto: number, b: Uint8Array, base: number, off: number, end: number, missing: number): DecodeError | undefined {
  p.protocol = proto;
  switch (proto) {
    case IpProto.TCP:
      return decodeTcp(p, b, base, off, end, missing);
    case IpProto.UDP:
      return decodeUdp(p, b, base, off, end, missing);
    case IpProto.ICMP:
    case IpProto.ICMPV6:
      if (end - off < 4) return new DecodeError('icmp.truncated', `ICMP header at byte ${off - base} is cut off`, off - base);
      p.transport = proto === IpProto.ICMP ? 'icmp' : 'icmpv6';
      p.icmpType = b[off] as number;
      p.icmpCode = b[off + 1] as number;
      setPayload(p, off + 4 - base, end - base, missing);
      return undefined;
    default:
      p.transport = 'other';
      setPayload(p, off - base, end - base, missing);
      return undefined;
  }
}

function setPayload(p: DecodedPacket, start: number, end: number, missing: number): void {
  p.payloadOffset = start;
  p.payloadLength = end - start;
  p.payloadMissing = missing;
}

function decodeTcp(p: DecodedPacket, b: Uint8Array, base: number, off: number, end: number, missing: number): DecodeError | undefined {
  const at = off - base;
  if (end - off < 20) return new DecodeError('tcp.truncated', `TCP header at byte ${at} needs 20 bytes, ${end - off} captured`, at);
  const hl = ((b[off + 12] as number) >> 4) * 4;
  if (hl < 20) return new DecodeError('tcp.bad-header-length', `TCP data offset ${hl} at byte ${at + 12} is below 20`, at + 12);
  if (end - off < hl) return new DecodeError('tcp.truncated', `TCP header at byte ${at} is ${hl} bytes, ${end - off} captured`, at);
  p.transport = 'tcp';
  p.srcPort = be16(b, off);
  p.dstPort = be16(b, off + 2);
  p.tcpSeq = be32(b, off + 4);
  p.tcpAck = be32(b, off + 8);
  p.tcpFlags = b[off + 13] as number;
  p.tcpWindow = be16(b, off + 14);
  if (hl > 20) tcpOptions(p, b, off + 20, off + hl);
  setPayload(p, at + hl, end - base, missing);
  return undefined;
}

export function tcpOptions(p: DecodedPacket, b: Uint8Array, o: number, end: number): void {
  while (o < end) {
    const kind = b[o] as number;
    if (kind === 0) return;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) return;
    const len = b[o + 1] as number;
    // A length below 2 would never advance; the rest of the option space is unusable.
    if (len < 2 || o + len > end) return;
    if (kind === 2 && len === 4) p.tcpMss = be16(b, o + 2);
    else if (kind === 3 && len === 3) p.tcpWscale = b[o + 2] as number;
    else if (kind === 4 && len === 2) p.tcpSackPermitted = true;
    else if (kind === 8 && len === 10) {
      p.tcpTsVal = be32(b, o + 2);
      p.tcpTsEcr = be32(b, o + 6);
    }
    o += len;
  }
}

function decodeUdp(p: DecodedPacket, b: Uint8Array, base: number, off: number, end: number, missing: number): DecodeError | undefined {
  const at = off - base;
  if (end - off < 8) return new DecodeError('udp.truncated', `UDP header at byte ${at} needs 8 bytes, ${end - off} captured`, at);
  p.transport = 'udp';
  p.srcPort = be16(b, off);
  p.dstPort = be16(b, off + 2);
  const declaredEnd = end + missing;
  let udpLen = be16(b, off + 4);
  // Length 0 is legal only for IPv6 jumbograms; then the IP length rules.
  if (udpLen === 0) udpLen = declaredEnd - off;
  if (udpLen < 8 || off + udpLen > declaredEnd) {
    return new DecodeError('udp.bad-length', `UDP length ${udpLen} at byte ${at + 4} does not fit the ${declaredEnd - off}-byte datagram`, at + 4);
  }
  const udpEnd = off + udpLen;
  setPayload(p, at + 8, Math.min(udpEnd, end) - base, Math.max(0, udpEnd - end));
  return undefined;
}
