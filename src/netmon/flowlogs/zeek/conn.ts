/**
 * @module One Zeek conn.log entry (from TSV or JSON, read through the same accessor) as a
 * FlowLogRecord. Zeek is bidirectional: orig is the initiator (src), resp the responder (dst).
 * IP-level byte counts (orig_ip_bytes) are the comparable ones to NetFlow octets; Zeek's
 * orig_bytes (payload) go to payloadBytes. TCP flags are derived from the `history` letters.
 */
import { ipProtocolName, type FlowLogCounters, type FlowLogRecord } from '../model.js';
import { canonicalIp } from '../ip.js';

/** The value of a field: string (TSV, JSON strings), number (JSON), undefined when unset/absent. */
export type ZeekValue = string | number | boolean | null | undefined | readonly unknown[] | object;
export type ZeekAccessor = (name: string) => ZeekValue;

/** A field that is present but unusable: the caller turns it into a line error. */
export class ZeekFieldError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

const PROTO: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };

function num(get: ZeekAccessor, name: string, required = false): number | undefined {
  const v = get(name);
  if (v === undefined || v === null || v === '') {
    if (required) throw new ZeekFieldError(name, 'is missing');
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new ZeekFieldError(name, `is not a non-negative number (${JSON.stringify(v).slice(0, 40)})`);
  return n;
}

function str(get: ZeekAccessor, name: string): string | undefined {
  const v = get(name);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

function ip(get: ZeekAccessor, name: string): string {
  const v = get(name);
  const text = typeof v === 'string' ? canonicalIp(v) : undefined;
  if (text === undefined) throw new ZeekFieldError(name, v === undefined ? 'is missing' : `is not an IP address (${JSON.stringify(v).slice(0, 60)})`);
  return text;
}

/** Zeek's time: epoch seconds (TSV, default JSON) or ISO 8601 (JSON::TS_ISO8601); as epoch ms. */
function timeMs(get: ZeekAccessor, name: string): number {
  const v = get(name);
  if (typeof v === 'string' && v.includes('T')) {
    // Date.parse keeps milliseconds only; Zeek writes microseconds, kept here as the fraction
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(v);
    const base = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
    if (!m || !Number.isFinite(base)) throw new ZeekFieldError(name, `is not a time (${v.slice(0, 40)})`);
    return base + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
  }
  return (num(get, name, true) as number) * 1000;
}

const HISTORY_FLAGS: Record<string, number> = { s: 0x02, h: 0x12, a: 0x10, d: 0x10, f: 0x01, r: 0x04 };

/** TCP flags implied by Zeek's connection history (S SYN, H SYN-ACK, A ACK, D data, F FIN, R RST; case = direction). */
export function historyFlags(history: string): number {
  let flags = 0;
  for (const c of history.toLowerCase()) flags |= HISTORY_FLAGS[c] ?? 0;
  return flags;
}

function counters(get: ZeekAccessor, side: 'orig' | 'resp'): FlowLogCounters {
  const c: FlowLogCounters = {};
  const bytes = num(get, `${side}_ip_bytes`);
  const packets = num(get, `${side}_pkts`);
  const payload = num(get, `${side}_bytes`);
  if (bytes !== undefined) c.bytes = bytes;
  if (packets !== undefined) c.packets = packets;
  if (payload !== undefined) c.payloadBytes = payload;
  return c;
}

/** The record, or throws ZeekFieldError naming the bad field. */
export function connRecord(get: ZeekAccessor, file: string, line: number): FlowLogRecord {
  const startMs = timeMs(get, 'ts');
  const duration = num(get, 'duration');
  const srcIp = ip(get, 'id.orig_h');
  const dstIp = ip(get, 'id.resp_h');
  const protoText = str(get, 'proto') ?? '';
  let protocol = num(get, 'ip_proto') ?? PROTO[protoText] ?? 0;
  if (protocol === 1 && srcIp.includes(':')) protocol = 58;
  const r: FlowLogRecord = {
    origin: 'zeek',
    startMs,
    endMs: startMs + (duration ?? 0) * 1000,
    srcIp,
    dstIp,
    srcPort: (num(get, 'id.orig_p') ?? 0) & 0xffff,
    dstPort: (num(get, 'id.resp_p') ?? 0) & 0xffff,
    protocol,
    protocolName: ipProtocolName(protocol),
    forward: counters(get, 'orig'),
    reverse: counters(get, 'resp'),
    location: { file, line },
  };
  const history = str(get, 'history');
  if (protocol === 6 && history !== undefined) r.tcpFlags = historyFlags(history);
  const vlan = num(get, 'vlan');
  if (vlan !== undefined) r.vlan = vlan;
  const service = str(get, 'service');
  if (service !== undefined) r.service = service;
  const state = str(get, 'conn_state');
  if (state !== undefined) r.connState = state;
  const uid = str(get, 'uid');
  if (uid !== undefined) r.uid = uid;
  return r;
}
