/**
 * @module Writes classic pcap bytes (either byte order, µs or ns timestamps) for test fixtures and the
 * synthetic capture generator. Records are produced one at a time so large captures can be streamed.
 */

export interface PcapWriterOptions {
  littleEndian?: boolean;
  nanosecond?: boolean;
  linkType?: number;
  snaplen?: number;
}

export interface PcapRecordInput {
  /** microseconds since the epoch */
  ts: number;
  /** extra nanoseconds (0-999), kept only by nanosecond files */
  nanos?: number;
  data: Uint8Array;
  /** original length on the wire; defaults to data.length */
  origLen?: number;
}

export class PcapWriter {
  private readonly le: boolean;
  private readonly nanosecond: boolean;

  constructor(private readonly opts: PcapWriterOptions = {}) {
    this.le = opts.littleEndian ?? true;
    this.nanosecond = opts.nanosecond ?? false;
  }

  header(): Uint8Array {
    const out = new Uint8Array(24);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, this.le);
    v.setUint16(4, 2, this.le);
    v.setUint16(6, 4, this.le);
    v.setUint32(16, this.opts.snaplen ?? 262144, this.le);
    v.setUint32(20, this.opts.linkType ?? 1, this.le);
    return out;
  }

  /** Writes one record into `out` at `at` (which must have 16 + data.length bytes free); returns bytes written. */
  recordInto(r: PcapRecordInput, out: Uint8Array, at: number): number {
    const v = new DataView(out.buffer, out.byteOffset + at, 16);
    const sec = Math.floor(r.ts / 1_000_000);
    const us = r.ts - sec * 1_000_000;
    v.setUint32(0, sec, this.le);
    v.setUint32(4, this.nanosecond ? us * 1000 + (r.nanos ?? 0) : us, this.le);
    v.setUint32(8, r.data.length, this.le);
    v.setUint32(12, r.origLen ?? r.data.length, this.le);
    out.set(r.data, at + 16);
    return 16 + r.data.length;
  }

  record(r: PcapRecordInput): Uint8Array {
    const out = new Uint8Array(16 + r.data.length);
    this.recordInto(r, out, 0);
    return out;
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A whole pcap file in memory (fixtures only). */
export function writePcap(records: PcapRecordInput[], opts: PcapWriterOptions = {}): Uint8Array {
  const w = new PcapWriter(opts);
  return concatBytes([w.header(), ...records.map((r) => w.record(r))]);
}
