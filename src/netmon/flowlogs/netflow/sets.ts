/**
 * @module What NetFlow v9 and IPFIX share around data sets: decode with a known template or hold the
 * set until its template arrives; at the end of each packet replay held sets whose template came and
 * drop those held too long (one `flowlog.unknown-template` error each, naming where the set was).
 */
import { FlowLogError } from '../errors.js';
import { decodeDataSet, loc, type PacketOutput } from './data.js';
import type { PacketContext } from './finish.js';
import type { ExporterState, PendingSet, TemplateStore } from './templates.js';

export interface SetScope {
  store: TemplateStore;
  exporter: ExporterState;
  ctx: PacketContext;
  nowMs: number;
  out: PacketOutput;
}

/** A data set at b[start, end) (records only, after the 4-byte set header). */
export function handleDataSet(s: SetScope, b: Uint8Array, templateId: number, start: number, end: number): void {
  const t = s.store.lookup(s.exporter, s.ctx.domain, templateId, s.nowMs);
  if (t) {
    decodeDataSet(b, start, end, t, s.ctx, s.exporter, s.out);
    return;
  }
  const held: PendingSet = { domain: s.ctx.domain, templateId, body: b.slice(start, end), bodyOffset: start, ctx: s.ctx, receivedMs: s.nowMs };
  s.store.hold(s.exporter, held, (p, why) => dropped(s, p, why));
}

function dropped(s: SetScope, p: PendingSet, why: string): void {
  s.store.stats.setsDropped++;
  s.out.errors.push(
    new FlowLogError('flowlog.unknown-template', `data set for unknown template ${p.templateId} (domain ${p.domain}, ${p.body.length} bytes) dropped: ${why}`, loc(p.ctx, p.bodyOffset - 4)),
  );
}

/** End of packet: replay held sets whose template is now known; drop those that waited too long. */
export function settleHeldSets(s: SetScope, learnedTemplate: boolean): void {
  if (s.exporter.pending.length === 0) return;
  if (learnedTemplate) {
    for (const { set, template } of s.store.takeReady(s.exporter, s.nowMs)) {
      s.store.stats.setsReplayed++;
      // the held set keeps its own packet's header (export time, sequence) for times and evidence
      decodeDataSet(set.body, 0, set.body.length, template, set.ctx, s.exporter, s.out, set.bodyOffset);
    }
  }
  for (const p of s.store.expire(s.exporter, s.nowMs)) dropped(s, p, `no template within ${s.store.limits.pendingTimeoutMs} ms`);
}
