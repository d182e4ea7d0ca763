/**
 * @module `FlowDecoder`: one entry point for NetFlow v5, v9 and IPFIX datagrams, chosen by the
 * version field. Pure apart from the template state it owns: bytes and the receive time in,
 * records and typed errors out. It never throws; every fault is a FlowLogError with the exporter,
 * the packet sequence and the byte offset.
 */
import { FlowLogError } from '../errors.js';
import type { FlowLogRecord } from '../model.js';
import { u16 } from './bytes.js';
import type { PacketOutput } from './data.js';
import { decodeIpfix } from './ipfix.js';
import { DEFAULT_FLOW_DECODER_LIMITS, TemplateStore, type FlowDecoderLimits, type TemplateStats } from './templates.js';
import { decodeNetflowV5 } from './v5.js';
import { decodeNetflowV9 } from './v9.js';

export interface FlowExporter {
  address: string;
  port: number;
}

export interface FlowDecodeResult {
  /** 5, 9 or 10 (IPFIX); undefined when the packet is too short or of another version */
  version: number | undefined;
  records: FlowLogRecord[];
  errors: FlowLogError[];
}

export interface FlowDecoderStats extends TemplateStats {
  packets: number;
  bytes: number;
  packetsByVersion: { v5: number; v9: number; ipfix: number; unknown: number };
  records: number;
  /** data records without source/destination addresses (not flows) */
  skippedRecords: number;
  optionRecords: number;
  errors: number;
  errorsByCode: Record<string, number>;
  /** errors beyond maxErrorsPerPacket, counted but not returned */
  errorsSuppressed: number;
  exporters: number;
  templates: number;
  heldSets: number;
}

/** errors returned per packet; a packet of 4-byte garbage sets could otherwise yield thousands */
const MAX_ERRORS_PER_PACKET = 32;

export const exporterText = (e: FlowExporter): string => (e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);

export class FlowDecoder {
  readonly limits: FlowDecoderLimits;
  private readonly store: TemplateStore;
  private readonly counters = {
    packets: 0,
    bytes: 0,
    packetsByVersion: { v5: 0, v9: 0, ipfix: 0, unknown: 0 },
    records: 0,
    skippedRecords: 0,
    optionRecords: 0,
    errors: 0,
    errorsByCode: {} as Record<string, number>,
    errorsSuppressed: 0,
  };

  constructor(limits: Partial<FlowDecoderLimits> = {}) {
    this.limits = { ...DEFAULT_FLOW_DECODER_LIMITS, ...limits };
    this.store = new TemplateStore(this.limits);
  }

  /** Decodes one datagram from `exporter`, received at `nowMs` (epoch ms; drives template and hold timeouts). */
  decode(bytes: Uint8Array, exporter: FlowExporter, nowMs: number): FlowDecodeResult {
    const c = this.counters;
    c.packets++;
    c.bytes += bytes.length;
    const text = exporterText(exporter);
    if (bytes.length < 2) {
      c.packetsByVersion.unknown++;
      return this.finish(undefined, { records: [], errors: [new FlowLogError('flowlog.truncated', `datagram of ${bytes.length} byte(s) has no version field`, { exporter: text, byteOffset: bytes.length })], budget: 0, skippedRecords: 0, optionRecords: 0 });
    }
    const version = u16(bytes, 0);
    switch (version) {
      case 5:
        c.packetsByVersion.v5++;
        return this.finish(5, decodeNetflowV5(bytes, text, this.limits.maxRecordsPerPacket));
      case 9:
        c.packetsByVersion.v9++;
        return this.finish(9, decodeNetflowV9(bytes, text, exporter.address, this.store, nowMs));
      case 10:
        c.packetsByVersion.ipfix++;
        return this.finish(10, decodeIpfix(bytes, text, exporter.address, this.store, nowMs));
      default:
        c.packetsByVersion.unknown++;
        return this.finish(undefined, {
          records: [],
          errors: [new FlowLogError('flowlog.unknown-version', `version ${version} is not NetFlow v5, v9 or IPFIX (10)`, { exporter: text, byteOffset: 0 })],
          budget: 0,
          skippedRecords: 0,
          optionRecords: 0,
        });
    }
  }

  /** Drops held data sets whose template never came, across all exporters (call on a timer). */
  sweep(nowMs: number): FlowLogError[] {
    const errors: FlowLogError[] = [];
    for (const s of this.store.states()) {
      for (const p of this.store.expire(s, nowMs)) {
        this.store.stats.setsDropped++;
        errors.push(
          new FlowLogError('flowlog.unknown-template', `data set for unknown template ${p.templateId} (domain ${p.domain}, ${p.body.length} bytes) dropped: no template within ${this.limits.pendingTimeoutMs} ms`, {
            exporter: p.ctx.exporter,
            sequence: p.ctx.sequence,
            byteOffset: p.bodyOffset - 4,
          }),
        );
      }
    }
    this.countErrors(errors);
    return errors;
  }

  stats(): FlowDecoderStats {
    let held = 0;
    for (const s of this.store.states()) held += s.pending.length;
    const c = this.counters;
    return {
      ...this.store.stats,
      ...c,
      packetsByVersion: { ...c.packetsByVersion },
      errorsByCode: { ...c.errorsByCode },
      exporters: this.store.exporterCount,
      templates: this.store.templateCount(),
      heldSets: held,
    };
  }

  private finish(version: number | undefined, out: PacketOutput): FlowDecodeResult {
    const c = this.counters;
    c.records += out.records.length;
    c.skippedRecords += out.skippedRecords;
    c.optionRecords += out.optionRecords;
    this.countErrors(out.errors);
    let errors = out.errors;
    if (errors.length > MAX_ERRORS_PER_PACKET) {
      c.errorsSuppressed += errors.length - MAX_ERRORS_PER_PACKET;
      errors = errors.slice(0, MAX_ERRORS_PER_PACKET);
    }
    return { version, records: out.records, errors };
  }

  private countErrors(errors: readonly FlowLogError[]): void {
    const c = this.counters;
    c.errors += errors.length;
    for (const e of errors) c.errorsByCode[e.code] = (c.errorsByCode[e.code] ?? 0) + 1;
  }
}
