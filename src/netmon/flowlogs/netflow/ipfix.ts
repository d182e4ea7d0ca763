/**
 * @module IPFIX (RFC 7011): a 16-byte message header, then sets: 2 templates, 3 options templates,
 * >= 256 data. Fields may be variable-length (65535) and enterprise-specific (high bit + a 4-byte
 * enterprise number); those we do not know are skipped by their length. Templates with zero fields
 * withdraw one template, or all of a domain's when the id is 2 (3 for options), RFC 7011 §8.1.
 */
import { FlowLogError } from '../errors.js';
import { u16, u32 } from './bytes.js';
import { loc, newPacketOutput, type PacketOutput } from './data.js';
import { fieldKind } from './fields.js';
import type { PacketContext } from './finish.js';
import { handleDataSet, settleHeldSets, type SetScope } from './sets.js';
import { makeTemplate, type TemplateField, type TemplateStore } from './templates.js';

export const IPFIX_HEADER = 16;

export function decodeIpfix(b: Uint8Array, exporter: string, address: string, store: TemplateStore, nowMs: number): PacketOutput {
  const out = newPacketOutput(store.limits.maxRecordsPerPacket);
  if (b.length < IPFIX_HEADER) {
    out.errors.push(new FlowLogError('flowlog.truncated', `IPFIX message of ${b.length} bytes is shorter than its 16-byte header`, { exporter, byteOffset: b.length }));
    return out;
  }
  const length = u16(b, 2);
  const domain = u32(b, 12);
  const es = store.exporter(address);
  const ctx: PacketContext = { origin: 'ipfix', exporter, exportMs: u32(b, 4) * 1000, sysUptimeMs: undefined, sysInitMs: es.sysInit.get(domain), sequence: u32(b, 8), domain };
  if (length < IPFIX_HEADER) {
    out.errors.push(new FlowLogError('flowlog.bad-length', `IPFIX message length ${length} is shorter than the header`, loc(ctx, 2)));
    return out;
  }
  if (length > b.length) {
    out.errors.push(new FlowLogError('flowlog.truncated', `IPFIX message length ${length} but only ${b.length} bytes received; sets inside the received bytes decoded`, loc(ctx, b.length)));
  }
  const end = Math.min(length, b.length);
  const s: SetScope = { store, exporter: es, ctx, nowMs, out };
  let learned = false;
  let stopped = false;
  let o = IPFIX_HEADER;
  while (!stopped && end - o >= 4) {
    const id = u16(b, o);
    const len = u16(b, o + 2);
    if (len < 4) {
      out.errors.push(new FlowLogError('flowlog.bad-set', `set ${id} has length ${len} (< 4); rest of the message skipped`, loc(ctx, o + 2)));
      stopped = true;
      break;
    }
    if (o + len > end) {
      out.errors.push(new FlowLogError('flowlog.truncated', `set ${id} of ${len} bytes runs past the message end (${end} bytes); rest of the message skipped`, loc(ctx, o)));
      stopped = true;
      break;
    }
    if (id === 2 || id === 3) learned = templateSet(s, b, o + 4, o + len, id === 3) || learned;
    else if (id >= 256) handleDataSet(s, b, id, o + 4, o + len);
    else out.errors.push(new FlowLogError('flowlog.bad-set', `reserved set id ${id} skipped`, loc(ctx, o)));
    o += len;
  }
  if (!stopped && o < end) out.errors.push(new FlowLogError('flowlog.bad-length', `${end - o} byte(s) after the last set (sets must fill the message)`, loc(ctx, o)));
  settleHeldSets(s, learned);
  return out;
}

function templateSet(s: SetScope, b: Uint8Array, start: number, end: number, options: boolean): boolean {
  const { ctx, out, store } = s;
  const max = store.limits.maxTemplateFields;
  const head = options ? 6 : 4;
  let learned = false;
  let o = start;
  while (end - o >= 4) {
    const at = o;
    const id = u16(b, o);
    const count = u16(b, o + 2);
    if (count === 0) {
      store.withdraw(s.exporter, ctx.domain, id === (options ? 3 : 2) ? 'all' : id, id === 2 || id === 3 ? options : undefined);
      o += 4;
      continue;
    }
    if (end - o < head) break;
    const scopeCount = options ? u16(b, o + 4) : 0;
    if (id < 256 || count > max || (options && (scopeCount === 0 || scopeCount > count))) {
      const why = id < 256 ? `template id ${id} is below 256` : count > max ? `template ${id} has ${count} fields (limit ${max})` : `options template ${id} has scope field count ${scopeCount} of ${count} fields`;
      out.errors.push(new FlowLogError('flowlog.bad-template', `${why}; rest of the template set skipped`, loc(ctx, at)));
      return learned;
    }
    o += head;
    const fields: TemplateField[] = [];
    for (let i = 0; i < count; i++) {
      if (end - o < 4) return truncatedTemplate(s, id, at, learned);
      const raw = u16(b, o);
      const length = u16(b, o + 2);
      o += 4;
      let enterprise = 0;
      if (raw & 0x8000) {
        if (end - o < 4) return truncatedTemplate(s, id, at, learned);
        enterprise = u32(b, o);
        o += 4;
      }
      const ie = raw & 0x7fff;
      fields.push({ id: ie, enterprise, length, kind: fieldKind(ie, enterprise) });
    }
    const t = makeTemplate(id, ctx.domain, fields, options, s.nowMs);
    if (t.minLength === 0) {
      out.errors.push(new FlowLogError('flowlog.bad-template', `template ${id} describes records of 0 bytes; ignored`, loc(ctx, at)));
    } else if (!store.learn(s.exporter, t)) {
      out.errors.push(new FlowLogError('flowlog.template-limit', `template ${id} not kept: exporter already has ${store.limits.maxTemplatesPerExporter} templates`, loc(ctx, at)));
    } else {
      learned = true;
    }
  }
  return learned;
}

function truncatedTemplate(s: SetScope, id: number, at: number, learned: boolean): boolean {
  s.out.errors.push(new FlowLogError('flowlog.truncated', `template ${id} runs past the end of its set`, loc(s.ctx, at)));
  return learned;
}
