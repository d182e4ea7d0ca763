/**
 * @module Decodes the records of one NetFlow v9 / IPFIX data set with its template. Bytes after the
 * last whole record that are fewer than the template's smallest record are padding (RFC 3954 §5.3,
 * RFC 7011 §3.3.1). Every record consumes at least one byte (templates of length 0 are refused when
 * learned), so the loop always ends; a per-packet record budget bounds it further.
 */
import { FlowLogError } from '../errors.js';
import type { FlowLogRecord } from '../model.js';
import { u16 } from './bytes.js';
import { applyField, K, RecordDraft } from './fields.js';
import { finishRecord, type PacketContext } from './finish.js';
import { VARIABLE_LENGTH, type ExporterState, type Template } from './templates.js';

/** What one packet's decoding accumulates. */
export interface PacketOutput {
  records: FlowLogRecord[];
  errors: FlowLogError[];
  /** records still allowed in this packet */
  budget: number;
  /** data records that named no addresses (not flows; e.g. L2-only templates) */
  skippedRecords: number;
  optionRecords: number;
}

export function newPacketOutput(budget: number): PacketOutput {
  return { records: [], errors: [], budget, skippedRecords: 0, optionRecords: 0 };
}

/**
 * Records in b[start, end) decoded with `t`; `base` is the packet offset of b[0] (non-zero when a
 * held set's copy is replayed) so record locations name the byte in the original packet.
 */
export function decodeDataSet(b: Uint8Array, start: number, end: number, t: Template, ctx: PacketContext, exporter: ExporterState, out: PacketOutput, base = 0): void {
  const fields = t.fields;
  const n = fields.length;
  let o = start;
  while (end - o >= t.minLength) {
    if (out.budget <= 0) {
      // reported once per packet; later sets of the same packet are skipped silently
      if (out.budget === 0) out.errors.push(new FlowLogError('flowlog.record-limit', `more records than the per-packet limit; rest of the packet skipped`, loc(ctx, base + o)));
      out.budget = -1;
      return;
    }
    const recordStart = o;
    const d = new RecordDraft();
    for (let i = 0; i < n; i++) {
      const f = fields[i] as (typeof fields)[number];
      let len = f.length;
      if (len === VARIABLE_LENGTH) {
        if (o >= end) return badRecord(out, ctx, base + recordStart, base + o, t);
        len = b[o] as number;
        o++;
        if (len === 255) {
          if (o + 2 > end) return badRecord(out, ctx, base + recordStart, base + o, t);
          len = u16(b, o);
          o += 2;
        }
      }
      if (o + len > end) return badRecord(out, ctx, base + recordStart, base + o, t);
      if (f.kind !== K.SKIP) applyField(d, f.kind, b, o, len);
      o += len;
    }
    out.budget--;
    if (t.options) {
      out.optionRecords++;
      if (d.sysInitMs !== undefined) exporter.sysInit.set(t.domain, d.sysInitMs);
      continue;
    }
    const r = finishRecord(d, ctx, base + recordStart);
    if (r) out.records.push(r);
    else out.skippedRecords++;
  }
}

function badRecord(out: PacketOutput, ctx: PacketContext, recordStart: number, at: number, t: Template): void {
  out.errors.push(
    new FlowLogError('flowlog.bad-record', `data record at byte ${recordStart} (template ${t.id}) runs past the end of its set at byte ${at}; rest of the set skipped`, loc(ctx, at)),
  );
}

export const loc = (ctx: { exporter: string; sequence?: number }, byteOffset: number) =>
  ctx.sequence === undefined ? { exporter: ctx.exporter, byteOffset } : { exporter: ctx.exporter, sequence: ctx.sequence, byteOffset };
