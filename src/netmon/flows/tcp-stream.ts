/**
 * @module Reassembly of one direction of a TCP connection into in-order bytes, from sequence numbers
 * alone (so one-sided captures work: no ACKs needed). Starts at the SYN, or at the first sequence
 * number seen (mid-stream). Retransmitted bytes are dropped, overlaps resolve first-wins, segments
 * ahead of a hole wait in a bounded buffer; when a bound, FIN or close forces it, the hole is
 * reported as a gap and delivery moves on.
 */
import type { FrameMeta } from '../model.js';
import type { BufferBudget } from './types.js';

export interface HalfOutput {
  /** returns how many of the bytes that follow need not be delivered (see StreamConsumer.onData) */
  data(d: Uint8Array, meta: FrameMeta): number;
  gap(length: number, meta: FrameMeta): void;
}

interface Segment {
  seq: number;
  /** sequence space covered: data.length captured bytes, then len - data.length never captured */
  len: number;
  data: Uint8Array;
  meta: FrameMeta;
  /** data is our own copy (counted against the buffer bounds), not a view into the capture */
  owned: boolean;
}

export interface HalfLimits {
  maxBytes: number;
  maxSegments: number;
}

const relative = (seq: number, base: number): number => (seq - base) | 0;
/**
 * Bytes charged per held segment on top of its data, for its object and buffer headers: without it a
 * stream of 1-byte segments would hold far more memory than the byte budgets say.
 */
export const SEGMENT_OVERHEAD = 128;

/** Shared by every stream with nothing held (never mutated: holding data always builds a new array). */
const NONE: Segment[] = [];

export class TcpHalfStream {
  // The fields the in-order fast path reads come first, so they share the object's first cache lines.
  private readonly out: HalfOutput;
  nextSeq = 0;
  /** in-order bytes still to pass over without delivering them, as the consumer asked */
  skip = 0;
  private segs: Segment[] = NONE;
  started = false;
  finished = false;
  private deliveredAny = false;
  private finSeq = -1;
  handshakeSeen = false;
  private bufferedBytes = 0;
  retransmittedSegments = 0;
  overlapBytes = 0;
  outOfOrderSegments = 0;
  gapBytes = 0;
  forcedGaps = 0;
  private readonly budget: BufferBudget;
  private readonly limits: HalfLimits;

  constructor(out: HalfOutput, budget: BufferBudget, limits: HalfLimits) {
    this.out = out;
    this.budget = budget;
    this.limits = limits;
  }

  /** memory charged for held segments: their bytes plus SEGMENT_OVERHEAD each */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /** A SYN fixes the initial sequence number, unless data has already flowed from an earlier guess. */
  syn(seq: number): void {
    if (this.deliveredAny || this.segs.length > 0) return;
    this.nextSeq = (seq + 1) >>> 0;
    this.started = true;
    this.handshakeSeen = true;
  }

  /** One segment: `seq` of its first payload byte, captured `data`, `missing` bytes cut by the snap length. */
  segment(seq: number, data: Uint8Array, missing: number, fin: boolean, meta: FrameMeta): void {
    const len = data.length + missing;
    if (seq === this.nextSeq && this.segs.length === 0 && this.started && !this.finished && missing === 0 && len > 0) {
      // Nearly every segment: exactly the next expected bytes, nothing held. What accept() and emit()
      // would do, without their bookkeeping.
      if (fin && this.finSeq < 0) this.finSeq = (seq + len) >>> 0;
      this.deliveredAny = true;
      if (this.skip >= len) this.skip -= len;
      else this.deliver(data, meta);
      this.nextSeq = (seq + len) >>> 0;
      this.checkFin();
      return;
    }
    if (!this.started) {
      this.nextSeq = seq >>> 0;
      this.started = true;
    }
    if (fin && this.finSeq < 0) this.finSeq = (seq + len) >>> 0;
    if (len > 0 && !this.finished) this.accept(seq >>> 0, data, len, meta);
    this.checkFin();
  }

  /**
   * The fast path of segment() for a segment the consumer asked to pass over entirely, taken before
   * anyone builds a view of its bytes: true when it applied (in order, nothing held, all captured,
   * all inside the skip), false to call segment() as usual.
   */
  skipSegment(seq: number, len: number, fin: boolean): boolean {
    if (seq !== this.nextSeq || this.skip < len || len === 0 || this.segs.length !== 0 || !this.started || this.finished) return false;
    if (fin && this.finSeq < 0) this.finSeq = (seq + len) >>> 0;
    this.skip -= len;
    this.nextSeq = (seq + len) >>> 0;
    this.checkFin();
    return true;
  }

  /** Hands `data` on, less what is still to be skipped; remembers the skip the consumer asks for next. */
  private deliver(data: Uint8Array, meta: FrameMeta): void {
    const skip = this.skip;
    this.skip = this.out.data(skip === 0 ? data : data.subarray(skip), meta);
  }

  /** Delivers everything still held, reporting holes as gaps (close, timeout, end of capture). */
  flush(meta: FrameMeta): void {
    while (this.segs.length > 0) this.skipHole(meta);
    if (this.finSeq >= 0 && !this.finished) {
      const hole = relative(this.finSeq, this.nextSeq);
      if (hole > 0) this.reportGap(hole, meta);
      this.nextSeq = this.finSeq;
    }
    this.finished = this.finSeq >= 0;
  }

  private accept(seq: number, data: Uint8Array, len: number, meta: FrameMeta): void {
    let rel = relative(seq, this.nextSeq);
    if (rel + len <= 0) {
      this.retransmittedSegments++;
      return;
    }
    let start = 0;
    if (rel < 0) {
      this.overlapBytes += -rel;
      start = -rel;
      rel = 0;
    }
    if (this.segs.length === 0 && rel === 0) {
      // The common case, in-order with nothing held: no segment object, no copy.
      const view = start === 0 ? data : data.subarray(Math.min(start, data.length));
      this.emit((seq + start) >>> 0, view, len - start, meta);
      return;
    }
    this.insertHoles(seq, data, start, len, rel, meta);
    this.drain();
    this.adoptViews();
    while (this.segs.length > 0 && this.overBudget()) this.skipHole(meta);
  }

  /** Adds the parts of the segment not already held (first copy wins) as uncopied views. */
  private insertHoles(seq: number, data: Uint8Array, start: number, len: number, rel: number, meta: FrameMeta): void {
    const base = this.nextSeq;
    const merged: Segment[] = [];
    // Positions are relative to the segment's own first byte.
    let cur = start;
    const segStart = rel - start;
    for (const s of this.segs) {
      const ss = relative(s.seq, base) - segStart;
      const se = ss + s.len;
      if (se > cur && ss < len) {
        if (ss > cur) merged.push(piece(seq, data, cur, ss, meta));
        this.overlapBytes += Math.min(se, len) - Math.max(ss, cur);
        cur = Math.max(cur, se);
      }
      merged.push(s);
    }
    if (cur < len) merged.push(piece(seq, data, cur, len, meta));
    merged.sort((a, b) => relative(a.seq, base) - relative(b.seq, base));
    this.segs = merged;
  }

  private drain(): void {
    let i = 0;
    for (; i < this.segs.length; i++) {
      const s = this.segs[i] as Segment;
      if (relative(s.seq, this.nextSeq) > 0) break;
      this.release(s);
      this.emit(s.seq, s.data, s.len, s.meta);
    }
    if (i === this.segs.length) this.segs = NONE;
    else if (i > 0) this.segs.splice(0, i);
  }

  /** Copies the views still waiting, so capture chunks are not kept alive by the buffer. */
  private adoptViews(): void {
    let copied = false;
    for (const s of this.segs) {
      if (s.owned) continue;
      s.data = s.data.slice();
      s.owned = true;
      this.bufferedBytes += s.data.length + SEGMENT_OVERHEAD;
      this.budget.used += s.data.length + SEGMENT_OVERHEAD;
      copied = true;
    }
    if (this.budget.used > this.budget.peak) this.budget.peak = this.budget.used;
    if (copied) this.outOfOrderSegments++;
  }

  private overBudget(): boolean {
    return this.bufferedBytes > this.limits.maxBytes || this.segs.length > this.limits.maxSegments || this.budget.used > this.budget.max;
  }

  private skipHole(meta: FrameMeta): void {
    const first = this.segs[0] as Segment;
    const hole = relative(first.seq, this.nextSeq);
    if (hole > 0) {
      this.reportGap(hole, meta);
      this.forcedGaps++;
      this.nextSeq = first.seq;
    }
    this.drain();
  }

  private emit(seq: number, bytes: Uint8Array, length: number, meta: FrameMeta): void {
    // A held segment may begin before nextSeq only if delivery overtook it; skip what was delivered.
    const behind = -relative(seq, this.nextSeq);
    let data = bytes;
    let len = length;
    if (behind > 0) {
      if (behind >= len) return;
      data = data.subarray(Math.min(behind, data.length));
      len -= behind;
    }
    if (data.length > 0) {
      this.deliveredAny = true;
      if (this.skip >= data.length) this.skip -= data.length;
      else this.deliver(data, meta);
    }
    const missing = len - data.length;
    if (missing > 0) this.reportGap(missing, meta);
    this.nextSeq = (this.nextSeq + len) >>> 0;
  }

  private reportGap(length: number, meta: FrameMeta): void {
    this.gapBytes += length;
    this.deliveredAny = true;
    // The consumer decides afresh after a hole what it needs.
    this.skip = 0;
    this.out.gap(length, meta);
  }

  private release(s: Segment): void {
    if (!s.owned) return;
    this.bufferedBytes -= s.data.length + SEGMENT_OVERHEAD;
    this.budget.used -= s.data.length + SEGMENT_OVERHEAD;
  }

  private checkFin(): void {
    if (this.finSeq >= 0 && !this.finished && this.nextSeq === this.finSeq && this.segs.length === 0) this.finished = true;
  }
}

/** The part [a, b) of a segment, as a view. */
function piece(seq: number, data: Uint8Array, a: number, b: number, meta: FrameMeta): Segment {
  const dl = data.length;
  return { seq: (seq + a) >>> 0, len: b - a, data: data.subarray(Math.min(a, dl), Math.min(b, dl)), meta, owned: false };
}
