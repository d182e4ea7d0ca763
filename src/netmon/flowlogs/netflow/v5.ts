/**
 * @module NetFlow v5: a 24-byte header and up to 30 fixed 48-byte IPv4 records. Stateless. A packet
 * shorter than its header's count says yields the whole records it holds and a truncation error.
 */
import { FlowLogError } from '../errors.js';
import type { FlowLogRecord } from '../model.js';
import { ipv4At, u16, u32, u8 } from './bytes.js';
import { loc, newPacketOutput, type PacketOutput } from './data.js';
import { RecordDraft } from './fields.js';
import { finishRecord, type PacketContext } from './finish.js';

export const V5_HEADER = 24;
export const V5_RECORD = 48;
/** Cisco's documented maximum records per v5 packet */
export const V5_MAX_COUNT = 30;

export function decodeNetflowV5(b: Uint8Array, exporter: string, maxRecords: number): PacketOutput {
  const out = newPacketOutput(maxRecords);
  if (b.length < V5_HEADER) {
    out.errors.push(new FlowLogError('flowlog.truncated', `NetFlow v5 packet of ${b.length} bytes is shorter than its 24-byte header`, { exporter, byteOffset: b.length }));
    return out;
  }
  const count = u16(b, 2);
  const sysUptimeMs = u32(b, 4);
  const exportMs = u32(b, 8) * 1000 + Math.floor(u32(b, 12) / 1_000_000);
  const sequence = u32(b, 16);
  const ctx: PacketContext = { origin: 'netflow-v5', exporter, exportMs, sysUptimeMs, sysInitMs: undefined, sequence, domain: (u8(b, 20) << 8) | u8(b, 21) };
  if (count === 0 || count > V5_MAX_COUNT) {
    out.errors.push(new FlowLogError('flowlog.bad-length', `NetFlow v5 header count ${count} is outside 1-${V5_MAX_COUNT}`, loc(ctx, 2)));
    if (count === 0) return out;
  }
  const present = Math.floor((b.length - V5_HEADER) / V5_RECORD);
  const n = Math.min(count, present, maxRecords);
  if (present < count) {
    out.errors.push(
      new FlowLogError('flowlog.truncated', `NetFlow v5 header count ${count} needs ${V5_HEADER + count * V5_RECORD} bytes, packet has ${b.length}; ${present} whole record(s) decoded`, loc(ctx, V5_HEADER + present * V5_RECORD)),
    );
  }
  if (count > maxRecords && present > maxRecords) {
    out.errors.push(new FlowLogError('flowlog.record-limit', `more records than the per-packet limit ${maxRecords}`, loc(ctx, V5_HEADER + maxRecords * V5_RECORD)));
  }
  for (let i = 0; i < n; i++) {
    const o = V5_HEADER + i * V5_RECORD;
    out.records.push(v5Record(b, o, ctx));
  }
  out.budget -= n;
  return out;
}

function v5Record(b: Uint8Array, o: number, ctx: PacketContext): FlowLogRecord {
  const d = new RecordDraft();
  d.srcIp = ipv4At(b, o);
  d.dstIp = ipv4At(b, o + 4);
  d.inIf = u16(b, o + 12);
  d.outIf = u16(b, o + 14);
  d.packets = u32(b, o + 16);
  d.bytes = u32(b, o + 20);
  d.startUptime = u32(b, o + 24);
  d.endUptime = u32(b, o + 28);
  d.srcPort = u16(b, o + 32);
  d.dstPort = u16(b, o + 34);
  d.tcpFlags = u8(b, o + 37);
  d.protocol = u8(b, o + 38);
  return finishRecord(d, ctx, o) as FlowLogRecord;
}
