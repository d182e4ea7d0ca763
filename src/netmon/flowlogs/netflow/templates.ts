/**
 * @module NetFlow v9 / IPFIX template state: templates cached per (exporter address, source id /
 * observation domain, template id), data sets that arrived before their template held briefly, and
 * the bounds that keep a hostile or broken exporter from growing memory without limit.
 */
import type { FlowLogError } from '../errors.js';
import type { PacketContext } from './finish.js';

export interface FlowDecoderLimits {
  /** data records decoded from one packet (including buffered sets replayed into it); default 8192 */
  maxRecordsPerPacket: number;
  /** templates (data + options) held per exporter address; default 1024 */
  maxTemplatesPerExporter: number;
  /** fields in one template; default 256 */
  maxTemplateFields: number;
  /** exporters whose state is kept; the least recently heard is forgotten beyond it; default 1024 */
  maxExporters: number;
  /** data sets held per exporter while their template is unknown; default 64 */
  maxPendingSetsPerExporter: number;
  /** bytes of such sets per exporter; default 256 KiB */
  maxPendingBytesPerExporter: number;
  /** how long such a set waits for its template before it is dropped (ms); default 10 s */
  pendingTimeoutMs: number;
  /** a template not refreshed for this long is forgotten (ms); default 30 min (RFC 7011 §8.4 leaves it to the collector) */
  templateTimeoutMs: number;
}

export const DEFAULT_FLOW_DECODER_LIMITS: FlowDecoderLimits = {
  maxRecordsPerPacket: 8192,
  maxTemplatesPerExporter: 1024,
  maxTemplateFields: 256,
  maxExporters: 1024,
  maxPendingSetsPerExporter: 64,
  maxPendingBytesPerExporter: 256 * 1024,
  pendingTimeoutMs: 10_000,
  templateTimeoutMs: 30 * 60_000,
};

/** Variable-length marker in an IPFIX template field (RFC 7011 §7). */
export const VARIABLE_LENGTH = 65535;

export interface TemplateField {
  id: number;
  enterprise: number;
  length: number;
  kind: number;
}

export interface Template {
  id: number;
  domain: number;
  fields: TemplateField[];
  /** bytes of the smallest record (a variable-length field counts its 1-byte length prefix) */
  minLength: number;
  options: boolean;
  /** field list as text, to tell a refresh from a redefinition */
  signature: string;
  receivedMs: number;
}

export interface PendingSet {
  domain: number;
  templateId: number;
  /** a copy of the set's records (the packet buffer is reused by the socket) */
  body: Uint8Array;
  /** offset of body[0] in its packet, for record locations */
  bodyOffset: number;
  ctx: PacketContext;
  receivedMs: number;
}

export class ExporterState {
  readonly templates = new Map<number, Template>();
  pending: PendingSet[] = [];
  pendingBytes = 0;
  /** systemInitTimeMilliseconds per observation domain, from options data (IPFIX sysUpTime base) */
  readonly sysInit = new Map<number, number>();
}

export const templateKey = (domain: number, id: number): number => domain * 65536 + id;

export function makeTemplate(id: number, domain: number, fields: TemplateField[], options: boolean, receivedMs: number): Template {
  let minLength = 0;
  for (const f of fields) minLength += f.length === VARIABLE_LENGTH ? 1 : f.length;
  const signature = fields.map((f) => `${f.enterprise}/${f.id}/${f.length}`).join(',');
  return { id, domain, fields, minLength, options, signature, receivedMs };
}

export interface TemplateStats {
  templatesLearned: number;
  templatesRefreshed: number;
  templatesRedefined: number;
  templatesWithdrawn: number;
  templatesExpired: number;
  setsBuffered: number;
  setsReplayed: number;
  setsDropped: number;
  exportersForgotten: number;
}

export const emptyTemplateStats = (): TemplateStats => ({
  templatesLearned: 0,
  templatesRefreshed: 0,
  templatesRedefined: 0,
  templatesWithdrawn: 0,
  templatesExpired: 0,
  setsBuffered: 0,
  setsReplayed: 0,
  setsDropped: 0,
  exportersForgotten: 0,
});

/** Per-exporter state, least recently heard first (Map order), bounded by maxExporters. */
export class TemplateStore {
  private readonly exporters = new Map<string, ExporterState>();
  readonly stats: TemplateStats = emptyTemplateStats();

  constructor(readonly limits: FlowDecoderLimits) {}

  exporter(address: string): ExporterState {
    let s = this.exporters.get(address);
    if (s) {
      this.exporters.delete(address);
    } else {
      s = new ExporterState();
      while (this.exporters.size >= this.limits.maxExporters) {
        const oldest = this.exporters.keys().next().value as string;
        this.exporters.delete(oldest);
        this.stats.exportersForgotten++;
      }
    }
    this.exporters.set(address, s);
    return s;
  }

  states(): IterableIterator<ExporterState> {
    return this.exporters.values();
  }

  get exporterCount(): number {
    return this.exporters.size;
  }

  templateCount(): number {
    let n = 0;
    for (const s of this.exporters.values()) n += s.templates.size;
    return n;
  }

  /** A live template, or undefined (unknown, or expired: then it is forgotten). */
  lookup(s: ExporterState, domain: number, id: number, nowMs: number): Template | undefined {
    const key = templateKey(domain, id);
    const t = s.templates.get(key);
    if (t && nowMs - t.receivedMs > this.limits.templateTimeoutMs) {
      s.templates.delete(key);
      this.stats.templatesExpired++;
      return undefined;
    }
    return t;
  }

  /** Learns or refreshes a template; false when the exporter is at its template limit. */
  learn(s: ExporterState, t: Template): boolean {
    const key = templateKey(t.domain, t.id);
    const old = s.templates.get(key);
    if (!old && s.templates.size >= this.limits.maxTemplatesPerExporter) return false;
    if (!old) this.stats.templatesLearned++;
    else if (old.signature === t.signature) this.stats.templatesRefreshed++;
    else this.stats.templatesRedefined++;
    s.templates.set(key, t);
    return true;
  }

  withdraw(s: ExporterState, domain: number, id: number | 'all', options: boolean | undefined): void {
    for (const [key, t] of s.templates) {
      if (t.domain !== domain || (id !== 'all' && t.id !== id) || (options !== undefined && t.options !== options)) continue;
      s.templates.delete(key);
      this.stats.templatesWithdrawn++;
    }
  }

  /** Holds a data set until its template arrives; the oldest held set makes room (and is dropped). */
  hold(s: ExporterState, p: PendingSet, dropped: (p: PendingSet, why: string) => void): void {
    if (p.body.length > this.limits.maxPendingBytesPerExporter || this.limits.maxPendingSetsPerExporter === 0) {
      dropped(p, 'no template and too large to hold');
      return;
    }
    while (s.pending.length >= this.limits.maxPendingSetsPerExporter || s.pendingBytes + p.body.length > this.limits.maxPendingBytesPerExporter) {
      const old = s.pending.shift() as PendingSet;
      s.pendingBytes -= old.body.length;
      dropped(old, 'no template arrived before the hold buffer filled');
    }
    s.pending.push(p);
    s.pendingBytes += p.body.length;
    this.stats.setsBuffered++;
  }

  /** Sets whose hold time is over, removed from the exporter. */
  expire(s: ExporterState, nowMs: number): PendingSet[] {
    if (s.pending.length === 0) return [];
    const keep: PendingSet[] = [];
    const out: PendingSet[] = [];
    for (const p of s.pending) (nowMs - p.receivedMs > this.limits.pendingTimeoutMs ? out : keep).push(p);
    if (out.length > 0) {
      s.pending = keep;
      s.pendingBytes = keep.reduce((n, p) => n + p.body.length, 0);
    }
    return out;
  }

  /** Held sets whose template is now known, removed from the exporter. */
  takeReady(s: ExporterState, nowMs: number): { set: PendingSet; template: Template }[] {
    const ready: { set: PendingSet; template: Template }[] = [];
    const keep: PendingSet[] = [];
    for (const p of s.pending) {
      const t = this.lookup(s, p.domain, p.templateId, nowMs);
      if (t) ready.push({ set: p, template: t });
      else keep.push(p);
    }
    if (ready.length > 0) {
      s.pending = keep;
      s.pendingBytes = keep.reduce((n, p) => n + p.body.length, 0);
    }
    return ready;
  }
}

export type ErrorSink = (e: FlowLogError) => void;
