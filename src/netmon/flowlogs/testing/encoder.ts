/**
 * @module Encodes NetFlow v5, NetFlow v9 and IPFIX datagrams for tests, benchmarks and the tshark
 * differential: headers, template / options template / data sets (with padding), enterprise fields
 * and variable-length values, all written byte by byte as RFC 3954 and RFC 7011 lay them out.
 */
import { concatBytes } from '../../capture/testing/pcap-writer.js';
import { ipBytes } from '../../capture/testing/frames.js';

export type FieldValue = number | bigint | string | Uint8Array;

export interface FieldSpec {
  id: number;
  /** bytes; 65535 = variable length (IPFIX only) */
  length: number;
  enterprise?: number;
}

function uintBytes(v: number | bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = BigInt(v);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export const be16 = (v: number): Uint8Array => uintBytes(v, 2);
export const be32 = (v: number): Uint8Array => uintBytes(v, 4);

/** One value as a field of `length` bytes: numbers big-endian, addresses as 4/16 bytes, strings UTF-8. */
export function fieldBytes(value: FieldValue, length: number): Uint8Array {
  if (value instanceof Uint8Array) return length === 65535 ? withVarLength(value) : fit(value, length);
  if (typeof value === 'string') {
    const isIp = (length === 4 && /^\d+\.\d+\.\d+\.\d+$/.test(value)) || (length === 16 && value.includes(':'));
    const bytes = isIp ? ipBytes(value) : new TextEncoder().encode(value);
    return length === 65535 ? withVarLength(bytes) : fit(bytes, length);
  }
  return uintBytes(value, length);
}

const fit = (b: Uint8Array, len: number): Uint8Array => {
  const out = new Uint8Array(len);
  out.set(b.subarray(0, len));
  return out;
};

/** RFC 7011 §7: one length byte, or 255 and a 2-byte length. */
export function withVarLength(b: Uint8Array, forceLong = false): Uint8Array {
  return b.length < 255 && !forceLong ? concatBytes([Uint8Array.of(b.length), b]) : concatBytes([Uint8Array.of(255), be16(b.length), b]);
}

export function recordBytes(fields: readonly FieldSpec[], values: readonly FieldValue[]): Uint8Array {
  return concatBytes(fields.map((f, i) => fieldBytes(values[i] ?? 0, f.length)));
}

/** A set/flowset: 2-byte id, 2-byte length, body, zero padding to `padTo` bytes alignment. */
export function setBytes(id: number, body: Uint8Array, padTo = 1): Uint8Array {
  const raw = 4 + body.length;
  const padded = Math.ceil(raw / padTo) * padTo;
  const out = new Uint8Array(padded);
  out.set(be16(id), 0);
  out.set(be16(padded), 2);
  out.set(body, 4);
  return out;
}

// ---- NetFlow v5 ----

export interface V5Record {
  src: string;
  dst: string;
  nexthop?: string;
  input?: number;
  output?: number;
  packets: number;
  bytes: number;
  /** sysUptime ms at the first and last packet */
  first: number;
  last: number;
  sport: number;
  dport: number;
  tcpFlags?: number;
  proto: number;
  tos?: number;
}

export interface V5Header {
  sysUptimeMs: number;
  unixSecs: number;
  unixNsecs?: number;
  sequence: number;
  engineType?: number;
  engineId?: number;
  /** override the count field */
  count?: number;
}

export function encodeNetflowV5(h: V5Header, records: readonly V5Record[]): Uint8Array {
  const head = concatBytes([be16(5), be16(h.count ?? records.length), be32(h.sysUptimeMs), be32(h.unixSecs), be32(h.unixNsecs ?? 0), be32(h.sequence), Uint8Array.of(h.engineType ?? 0, h.engineId ?? 0), be16(0)]);
  const body = records.map((r) =>
    concatBytes([
      ipBytes(r.src),
      ipBytes(r.dst),
      ipBytes(r.nexthop ?? '0.0.0.0'),
      be16(r.input ?? 0),
      be16(r.output ?? 0),
      be32(r.packets),
      be32(r.bytes),
      be32(r.first),
      be32(r.last),
      be16(r.sport),
      be16(r.dport),
      Uint8Array.of(0, r.tcpFlags ?? 0, r.proto, r.tos ?? 0),
      be16(0),
      be16(0),
      Uint8Array.of(24, 24),
      be16(0),
    ]),
  );
  return concatBytes([head, ...body]);
}

// ---- NetFlow v9 ----

export interface V9Header {
  sysUptimeMs: number;
  unixSecs: number;
  sequence: number;
  sourceId: number;
  /** override the count field (default: records + templates encoded) */
  count?: number;
}

export type V9Flowset =
  | { kind: 'template'; templates: { id: number; fields: readonly FieldSpec[] }[] }
  | { kind: 'options-template'; id: number; scope: readonly FieldSpec[]; options: readonly FieldSpec[] }
  | { kind: 'data'; templateId: number; records: Uint8Array[]; padTo?: number }
  | { kind: 'raw'; bytes: Uint8Array };

const fieldPairs = (fields: readonly FieldSpec[]) => concatBytes(fields.map((f) => concatBytes([be16(f.id), be16(f.length)])));

export function encodeNetflowV9(h: V9Header, flowsets: readonly V9Flowset[]): Uint8Array {
  let count = 0;
  const sets = flowsets.map((fs) => {
    switch (fs.kind) {
      case 'template':
        count += fs.templates.length;
        return setBytes(0, concatBytes(fs.templates.map((t) => concatBytes([be16(t.id), be16(t.fields.length), fieldPairs(t.fields)]))));
      case 'options-template':
        count++;
        return setBytes(1, concatBytes([be16(fs.id), be16(fs.scope.length * 4), be16(fs.options.length * 4), fieldPairs(fs.scope), fieldPairs(fs.options)]), 4);
      case 'data':
        count += fs.records.length;
        return setBytes(fs.templateId, concatBytes(fs.records), fs.padTo ?? 4);
      case 'raw':
        return fs.bytes;
    }
  });
  const head = concatBytes([be16(9), be16(h.count ?? count), be32(h.sysUptimeMs), be32(h.unixSecs), be32(h.sequence), be32(h.sourceId)]);
  return concatBytes([head, ...sets]);
}

// ---- IPFIX ----

export interface IpfixHeader {
  exportTime: number;
  sequence: number;
  domain: number;
  /** override the message length field */
  length?: number;
}

export type IpfixSet =
  | { kind: 'template'; templates: { id: number; fields: readonly FieldSpec[] }[] }
  | { kind: 'options-template'; templates: { id: number; scopeCount: number; fields: readonly FieldSpec[] }[] }
  | { kind: 'withdraw'; templateId: number; options?: boolean }
  | { kind: 'data'; templateId: number; records: Uint8Array[]; padTo?: number }
  | { kind: 'raw'; bytes: Uint8Array };

const ipfixFields = (fields: readonly FieldSpec[]) =>
  concatBytes(fields.map((f) => (f.enterprise ? concatBytes([be16(f.id | 0x8000), be16(f.length), be32(f.enterprise)]) : concatBytes([be16(f.id), be16(f.length)]))));

export function encodeIpfix(h: IpfixHeader, sets: readonly IpfixSet[]): Uint8Array {
  const body = sets.map((s) => {
    switch (s.kind) {
      case 'template':
        return setBytes(2, concatBytes(s.templates.map((t) => concatBytes([be16(t.id), be16(t.fields.length), ipfixFields(t.fields)]))));
      case 'options-template':
        return setBytes(3, concatBytes(s.templates.map((t) => concatBytes([be16(t.id), be16(t.fields.length), be16(t.scopeCount), ipfixFields(t.fields)]))));
      case 'withdraw':
        return setBytes(s.options ? 3 : 2, concatBytes([be16(s.templateId), be16(0)]));
      case 'data':
        return setBytes(s.templateId, concatBytes(s.records), s.padTo ?? 1);
      case 'raw':
        return s.bytes;
    }
  });
  const rest = concatBytes(body);
  return concatBytes([be16(10), be16(h.length ?? 16 + rest.length), be32(h.exportTime), be32(h.sequence), be32(h.domain), rest]);
}
