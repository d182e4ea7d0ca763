/**
 * @module Frame selections as ranges: the text analysts type ("17,20-25"), merged ascending ranges,
 * what part of them a capture does not hold, and a cursor that answers "is frame n wanted" for
 * ascending n in constant time per frame.
 */
import { DomainError } from '../../core/index.js';
import type { FrameRange } from './model.js';

/** Ranges in one selection; bounds the text parsed and the work per request. */
export const MAX_FRAME_RANGES = 1000;
/** Frame numbers are counts of packets in a file: far below 2^53, and this bound keeps them exact. */
const MAX_FRAME = 2 ** 40;

const invalid = (message: string) => new DomainError('netmon.invalid_frames', message, { status: 400, location: { pointer: '/frames' } });

/** "17,20-25" -> merged ascending ranges; throws netmon.invalid_frames naming the bad item. */
export function parseFrameList(text: string, maxRanges = MAX_FRAME_RANGES): FrameRange[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length > maxRanges) throw invalid(`at most ${maxRanges} frames or ranges in one selection, found ${items.length}`);
  const ranges = items.map((item) => {
    const m = /^(\d{1,13})(?:-(\d{1,13}))?$/.exec(item);
    if (m === null) throw invalid(`"${item}" is not a frame number or a range like 20-25 (frames are numbered from 1)`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (first < 1 || last > MAX_FRAME) throw invalid(`frame numbers run from 1 to ${MAX_FRAME}, found "${item}"`);
    if (last < first) throw invalid(`the range "${item}" ends before it starts`);
    return { first, last };
  });
  return normalizeRanges(ranges);
}

/** Sorted, with overlapping and adjacent ranges merged. */
export function normalizeRanges(ranges: readonly FrameRange[]): FrameRange[] {
  const sorted = [...ranges].sort((x, y) => x.first - y.first);
  const out: FrameRange[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && r.first <= prev.last + 1) prev.last = Math.max(prev.last, r.last);
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}

/** The frames of `asked` outside every range of `held` (both ascending and merged). */
export function subtractRanges(asked: readonly FrameRange[], held: readonly FrameRange[]): FrameRange[] {
  const out: FrameRange[] = [];
  let h = 0;
  for (const a of asked) {
    let from = a.first;
    while (h < held.length && (held[h] as FrameRange).last < from) h++;
    for (let i = h; i < held.length && from <= a.last; i++) {
      const r = held[i] as FrameRange;
      if (r.first > a.last) break;
      if (r.first > from) out.push({ first: from, last: r.first - 1 });
      from = Math.max(from, r.last + 1);
    }
    if (from <= a.last) out.push({ first: from, last: a.last });
  }
  return out;
}

export function rangesIntersect(ranges: readonly FrameRange[], first: number, last: number): boolean {
  return ranges.some((r) => r.first <= last && r.last >= first);
}

export const formatRanges = (ranges: readonly FrameRange[]): string => ranges.map((r) => (r.first === r.last ? String(r.first) : `${r.first}-${r.last}`)).join(',');

/** Whether frame n is in the ranges, for frames asked in ascending order (a lower n seeks back). */
export class FrameCursor {
  private i = 0;
  private lastAsked = 0;

  constructor(private readonly ranges: readonly FrameRange[]) {}

  has(n: number): boolean {
    if (n < this.lastAsked) this.i = 0;
    this.lastAsked = n;
    const rs = this.ranges;
    while (this.i < rs.length && (rs[this.i] as FrameRange).last < n) this.i++;
    const r = rs[this.i];
    return r !== undefined && r.first <= n;
  }
}
