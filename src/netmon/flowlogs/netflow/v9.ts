/**
 * @module NetFlow v9 (RFC 3954): a 20-byte header, then flowsets: 0 templates, 1 options templates,
 * >= 256 data. Templates are cached per (exporter address, source id, template id). The header's
 * record count is advisory (exporters get it wrong); the flowset lengths are what is trusted.
 */
import { FlowLogError } from '../errors.js';
import { u16, u32 } from './bytes.js';
import { loc, newPacketOutput, type PacketOutput } from './data.js';
import { fieldKind } from './fields.js';
import type { PacketContext } from './finish.js';
import { handleDataSet, settleHeldSets, type SetScope } from './sets.js';
import { makeTemplate, type TemplateField, type TemplateStore } from './templates.js';

export const V9_HEADER = 20;

export function decodeNetflowV9(b: Uint8Array, exporter: string, address: string, store: TemplateStore, nowMs: number): PacketOutput {
  const out = newPacketOutput(store.limits.maxRecordsPerPacket);
  if (b.length < V9_HEADER) {
    out.errors.push(new FlowLogError('flowlog.truncated', `NetFlow v9 packet of ${b.length} bytes is shorter than its 20-byte header`, { exporter, byteOffset: b.length }));
    return out;
  }
  const ctx: PacketContext = { origin: 'netflow-v9', exporter, exportMs: u32(b, 8) * 1000, sysUptimeMs: u32(b, 4), sysInitMs: undefined, sequence: u32(b, 12), domain: u32(b, 16) };
  const s: SetScope = { store, exporter: store.exporter(address), ctx, nowMs, out };
  let learned = false;
  let o = V9_HEADER;
  // fewer than 4 bytes cannot hold a flowset header: trailing padding
  while (b.length - o >= 4) {
    const id = u16(b, o);
    const len = u16(b, o + 2);
    if (len < 4) {
      out.errors.push(new FlowLogError('flowlog.bad-set', `flowset ${id} has length ${len} (< 4); rest of the packet skipped`, loc(ctx, o + 2)));
      break;
    }
    if (o + len > b.length) {
      out.errors.push(new FlowLogError('flowlog.truncated', `flowset ${id} of ${len} bytes runs past the packet end (${b.length} bytes); rest of the packet skipped`, loc(ctx, o)));
      break;
    }
    if (id === 0) learned = templateFlowset(s, b, o + 4, o + len) || learned;
    else if (id === 1) learned = optionsFlowset(s, b, o + 4, o + len) || learned;
    else if (id >= 256) handleDataSet(s, b, id, o + 4, o + len);
    else out.errors.push(new FlowLogError('flowlog.bad-set', `reserved flowset id ${id} skipped`, loc(ctx, o)));
    o += len;
  }
  settleHeldSets(s, learned);
  return out;
}

function learn(s: SetScope, id: number, fields: TemplateField[], options: boolean, at: number): boolean {
  const { ctx, out } = s;
  const t = makeTemplate(id, ctx.domain, fields, options, s.nowMs);
  if (t.minLength === 0) {
    out.errors.push(new FlowLogError('flowlog.bad-template', `template ${id} describes records of 0 bytes; ignored`, loc(ctx, at)));
    return false;
  }
  if (!s.store.learn(s.exporter, t)) {
    out.errors.push(new FlowLogError('flowlog.template-limit', `template ${id} not kept: exporter already has ${s.store.limits.maxTemplatesPerExporter} templates`, loc(ctx, at)));
    return false;
  }
  return true;
}

function readFields(b: Uint8Array, o: number, count: number): TemplateField[] {
  const fields: TemplateField[] = [];
  for (let i = 0; i < count; i++, o += 4) {
    const id = u16(b, o);
    fields.push({ id, enterprise: 0, length: u16(b, o + 2), kind: fieldKind(id, 0) });
  }
  return fields;
}

function templateFlowset(s: SetScope, b: Uint8Array, start: number, end: number): boolean {
  const { ctx, out } = s;
  let learned = false;
  let o = start;
  while (end - o >= 4) {
    const id = u16(b, o);
    const count = u16(b, o + 2);
    if (id < 256 || count === 0 || count > s.store.limits.maxTemplateFields) {
      const why = id < 256 ? `template id ${id} is below 256` : `template ${id} has ${count} fields (allowed 1-${s.store.limits.maxTemplateFields})`;
      out.errors.push(new FlowLogError('flowlog.bad-template', `${why}; rest of the template flowset skipped`, loc(ctx, o)));
      return learned;
    }
    if (o + 4 + count * 4 > end) {
      out.errors.push(new FlowLogError('flowlog.truncated', `template ${id} with ${count} fields runs past the end of its flowset`, loc(ctx, o)));
      return learned;
    }
    learned = learn(s, id, readFields(b, o + 4, count), false, o) || learned;
    o += 4 + count * 4;
  }
  return learned;
}

function optionsFlowset(s: SetScope, b: Uint8Array, start: number, end: number): boolean {
  const { ctx, out } = s;
  let learned = false;
  let o = start;
  // an options template is at least id + two lengths + one 4-byte field; less is padding
  while (end - o >= 10) {
    const id = u16(b, o);
    const scopeLen = u16(b, o + 2);
    const optLen = u16(b, o + 4);
    const count = (scopeLen + optLen) / 4;
    if (id < 256 || scopeLen % 4 !== 0 || optLen % 4 !== 0 || count === 0 || count > s.store.limits.maxTemplateFields) {
      out.errors.push(new FlowLogError('flowlog.bad-template', `options template ${id} has scope length ${scopeLen} and option length ${optLen}; rest of the flowset skipped`, loc(ctx, o)));
      return learned;
    }
    if (o + 6 + scopeLen + optLen > end) {
      out.errors.push(new FlowLogError('flowlog.truncated', `options template ${id} runs past the end of its flowset`, loc(ctx, o)));
      return learned;
    }
    // v9 scope field types (1 system, 2 interface, ...) are not IEs: only the option fields are read
    const scope = readFields(b, o + 6, scopeLen / 4).map((f) => ({ ...f, kind: 0 }));
    const fields = [...scope, ...readFields(b, o + 6 + scopeLen, optLen / 4)];
    learned = learn(s, id, fields, true, o) || learned;
    o += 6 + scopeLen + optLen;
  }
  return learned;
}
