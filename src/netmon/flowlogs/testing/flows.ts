/**
 * @module Deterministic synthetic flows and the datagrams that carry them: NetFlow v5, NetFlow v9
 * (IPv4 template) and IPFIX (IPv4 template with 64-bit counters, millisecond times, an unknown
 * enterprise field and a variable-length applicationName; IPv6 template with reduced-size
 * counters, second times and RFC 5103 reverse counters). Used by the table tests, the tshark
 * differential, the collector test and the decode benchmark.
 */
import { encodeIpfix, encodeNetflowV5, encodeNetflowV9, recordBytes, type FieldSpec, type FieldValue } from './encoder.js';

export interface SyntheticFlow {
  v6: boolean;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: number;
  bytes: number;
  packets: number;
  revBytes: number;
  revPackets: number;
  tcpFlags: number;
  vlan: number;
  /** epoch ms; whole seconds for IPv6 flows (their template carries seconds) */
  startMs: number;
  endMs: number;
  app: string;
}

/** mulberry32: small, fast, reproducible */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = ['dicom', 'hl7', 'https', 'dns', 'x'.repeat(300), ''];

/** Flows ending at or before `exportMs`, a quarter of them IPv6. */
export function syntheticFlows(n: number, seed: number, exportMs: number): SyntheticFlow[] {
  const r = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const out: SyntheticFlow[] = [];
  for (let i = 0; i < n; i++) {
    const v6 = r() < 0.25;
    const proto = [6, 6, 17, 1, 132][int(0, 4)] as number;
    const end = exportMs - int(0, 30_000);
    const start = end - int(0, 120_000);
    out.push({
      v6,
      src: v6 ? `2001:db8:${int(0, 0xffff).toString(16)}::${int(1, 0xffff).toString(16)}` : `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
      dst: v6 ? `fd00::${int(1, 0xffff).toString(16)}:0:0:${int(1, 9)}` : `192.168.${int(0, 255)}.${int(1, 254)}`,
      sport: int(1024, 65535),
      dport: [104, 2575, 443, 53, 1883, int(1, 65535)][int(0, 5)] as number,
      proto,
      bytes: int(40, 2 ** 31),
      packets: int(1, 2 ** 20),
      revBytes: int(0, 2 ** 31),
      revPackets: int(0, 2 ** 20),
      tcpFlags: proto === 6 ? int(0, 255) : 0,
      vlan: int(1, 4094),
      startMs: v6 ? Math.floor(start / 1000) * 1000 : start,
      endMs: v6 ? Math.floor(end / 1000) * 1000 : end,
      app: APPS[int(0, APPS.length - 1)] as string,
    });
  }
  return out;
}

export const V9_TEMPLATE_ID = 260;
export const V9_FIELDS: FieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 1 },
  { id: 1, length: 4 },
  { id: 2, length: 4 },
  { id: 22, length: 4 },
  { id: 21, length: 4 },
  { id: 10, length: 2 },
  { id: 14, length: 2 },
  { id: 58, length: 2 },
];

export const IPFIX_V4_ID = 256;
export const IPFIX_V4_FIELDS: FieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 2 },
  { id: 1, length: 8 },
  { id: 2, length: 8 },
  { id: 152, length: 8 },
  { id: 153, length: 8 },
  { id: 58, length: 2 },
  { id: 1, length: 4, enterprise: 9 },
  { id: 96, length: 65535 },
];

export const IPFIX_V6_ID = 257;
export const IPFIX_V6_FIELDS: FieldSpec[] = [
  { id: 27, length: 16 },
  { id: 28, length: 16 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 1 },
  { id: 1, length: 4 },
  { id: 2, length: 4 },
  { id: 150, length: 4 },
  { id: 151, length: 4 },
  { id: 243, length: 2 },
  { id: 1, length: 8, enterprise: 29305 },
  { id: 2, length: 8, enterprise: 29305 },
];

const clamp32 = (n: number) => Math.min(n, 0xffffffff);

export function v9Record(f: SyntheticFlow, exportMs: number, sysUptimeMs: number): Uint8Array {
  const up = (t: number) => (sysUptimeMs - (exportMs - t)) >>> 0;
  const v: FieldValue[] = [f.src, f.dst, f.sport, f.dport, f.proto, f.tcpFlags, clamp32(f.bytes), clamp32(f.packets), up(f.startMs), up(f.endMs), 3, 7, f.vlan];
  return recordBytes(V9_FIELDS, v);
}

export function ipfixRecord(f: SyntheticFlow): Uint8Array {
  if (f.v6) {
    const v: FieldValue[] = [f.src, f.dst, f.sport, f.dport, f.proto, f.tcpFlags, clamp32(f.bytes), clamp32(f.packets), f.startMs / 1000, f.endMs / 1000, f.vlan, f.revBytes, f.revPackets];
    return recordBytes(IPFIX_V6_FIELDS, v);
  }
  const v: FieldValue[] = [f.src, f.dst, f.sport, f.dport, f.proto, f.tcpFlags, BigInt(f.bytes), BigInt(f.packets), BigInt(f.startMs), BigInt(f.endMs), f.vlan, 0xdeadbeef, f.app];
  return recordBytes(IPFIX_V4_FIELDS, v);
}

export interface PacketPlan {
  exportMs: number;
  sysUptimeMs?: number;
  /** records per datagram (default 20) */
  perPacket?: number;
  domain?: number;
  /** repeat the templates every N packets (default: every packet) */
  templateEvery?: number;
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** NetFlow v5 datagrams for the IPv4 flows (v5 cannot carry IPv6). */
export function v5Packets(flows: readonly SyntheticFlow[], plan: PacketPlan): Uint8Array[] {
  const up = plan.sysUptimeMs ?? 86_400_000;
  const secs = Math.floor(plan.exportMs / 1000);
  const nsecs = (plan.exportMs - secs * 1000) * 1_000_000;
  let seq = 0;
  return chunks(flows.filter((f) => !f.v6), Math.min(plan.perPacket ?? 20, 30)).map((batch) => {
    const pkt = encodeNetflowV5(
      { sysUptimeMs: up, unixSecs: secs, unixNsecs: nsecs, sequence: seq, engineType: 1, engineId: 2 },
      batch.map((f) => ({ src: f.src, dst: f.dst, packets: clamp32(f.packets), bytes: clamp32(f.bytes), first: (up - (plan.exportMs - f.startMs)) >>> 0, last: (up - (plan.exportMs - f.endMs)) >>> 0, sport: f.sport, dport: f.dport, tcpFlags: f.tcpFlags, proto: f.proto, input: 3, output: 7 })),
    );
    seq += batch.length;
    return pkt;
  });
}

/** NetFlow v9 datagrams (IPv4 flows); the export time is whole seconds, as v9 headers carry it. */
export function v9Packets(flows: readonly SyntheticFlow[], plan: PacketPlan): Uint8Array[] {
  const up = plan.sysUptimeMs ?? 86_400_000;
  const exportMs = Math.floor(plan.exportMs / 1000) * 1000;
  const every = plan.templateEvery ?? 1;
  return chunks(flows.filter((f) => !f.v6), plan.perPacket ?? 20).map((batch, i) =>
    encodeNetflowV9({ sysUptimeMs: up, unixSecs: exportMs / 1000, sequence: i, sourceId: plan.domain ?? 1 }, [
      ...(i % every === 0 ? [{ kind: 'template' as const, templates: [{ id: V9_TEMPLATE_ID, fields: V9_FIELDS }] }] : []),
      { kind: 'data', templateId: V9_TEMPLATE_ID, records: batch.map((f) => v9Record(f, exportMs, up)) },
    ]),
  );
}

/** IPFIX messages mixing the IPv4 and IPv6 templates. */
export function ipfixPackets(flows: readonly SyntheticFlow[], plan: PacketPlan): Uint8Array[] {
  const every = plan.templateEvery ?? 1;
  return chunks(flows, plan.perPacket ?? 20).map((batch, i) => {
    const v4 = batch.filter((f) => !f.v6);
    const v6 = batch.filter((f) => f.v6);
    return encodeIpfix({ exportTime: Math.floor(plan.exportMs / 1000), sequence: i, domain: plan.domain ?? 1 }, [
      ...(i % every === 0 ? [{ kind: 'template' as const, templates: [{ id: IPFIX_V4_ID, fields: IPFIX_V4_FIELDS }, { id: IPFIX_V6_ID, fields: IPFIX_V6_FIELDS }] }] : []),
      ...(v4.length ? [{ kind: 'data' as const, templateId: IPFIX_V4_ID, records: v4.map(ipfixRecord) }] : []),
      ...(v6.length ? [{ kind: 'data' as const, templateId: IPFIX_V6_ID, records: v6.map(ipfixRecord) }] : []),
    ]);
  });
}
