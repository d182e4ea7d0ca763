import { describe, expect, it } from 'vitest';
import type { Direction, FrameMeta } from '../../model.js';
import type { Emit } from './emitter.js';
import { DirectionGaps, flushBoth, gapSummary, resyncScan } from './gap-resync.js';

const meta: FrameMeta = { frame: 1, ts: 1 };

function recorder(): { emit: Emit; seen: [string, Direction | undefined, Record<string, unknown>][] } {
  const seen: [string, Direction | undefined, Record<string, unknown>][] = [];
  return { emit: (kind, dir, _m, fields) => void seen.push([kind, dir, fields]), seen };
}

describe('DirectionGaps: one direction\'s gaps and resyncs', () => {
  it('counts gaps and resyncs; the first observation after a resync says what was lost and skipped, every later one the count', () => {
    const gaps = new DirectionGaps('hl7', 'c2s', 1000);
    const { emit, seen } = recorder();
    const marked = gaps.marked(emit);
    gaps.gap(100, true);
    // a second gap while the resync looks: lost bytes add up
    gaps.gap(20, false);
    expect(gaps.synced(7)).toBe(true);
    marked('hl7.message', 'c2s', meta, { controlId: 'A' });
    marked('hl7.message', 'c2s', meta, { controlId: 'B' });
    gaps.gap(5, true);
    expect(gaps.synced(3)).toBe(true);
    marked('hl7.message', 'c2s', meta, { controlId: 'C' });
    expect(seen.map(([, , f]) => f)).toEqual([
      { controlId: 'A', resyncedAfterGap: 1, afterGap: { gapBytes: 120, skippedBytes: 7 } },
      { controlId: 'B', resyncedAfterGap: 1 },
      { controlId: 'C', resyncedAfterGap: 2, afterGap: { gapBytes: 5, skippedBytes: 3 } },
    ]);
    expect(gaps.counts()).toEqual({ gaps: 3, lostBytes: 125, resyncs: 2, skippedBytes: 10, givenUp: false });
    expect(gaps.sinceGap).toBe(true);
  });

  it('a first start found after a gap (the direction was never read) is no resync', () => {
    const gaps = new DirectionGaps('mqtt', 's2c', 1000);
    gaps.gap(50, false);
    expect(gaps.synced(10)).toBe(false);
    expect(gaps.counts()).toEqual({ gaps: 1, lostBytes: 50, resyncs: 0, skippedBytes: 0, givenUp: false });
    expect(gaps.sinceGap).toBe(false);
  });

  it('says once when a resync is given up at the scan limit, and only for a resync', () => {
    const { emit, seen } = recorder();
    const never = new DirectionGaps('dicom', 'c2s', 4096);
    never.gap(10, false);
    expect(never.lost(emit, meta)).toBe(false);
    const gaps = new DirectionGaps('dicom', 'c2s', 4096);
    gaps.gap(1460, true);
    expect(gaps.lost(emit, meta)).toBe(true);
    expect(gaps.lost(emit, meta)).toBe(false);
    expect(seen).toEqual([['dicom.resync-given-up', 'c2s', { gaps: 1, gapBytes: 1460, scannedBytes: 4096, scanLimit: 4096 }]]);
    expect(gapSummary({ c2s: gaps, s2c: null })).toEqual({
      c2s: { gaps: 1, lostBytes: 1460, resyncs: 0, skippedBytes: 0, givenUp: true },
      s2c: { gaps: 0, lostBytes: 0, resyncs: 0, skippedBytes: 0, givenUp: false },
    });
  });

  it('resyncs with late sync\'s sliding scan, and flushBoth returns the first failure after trying both directions', () => {
    expect(resyncScan(1024, 5000)).toEqual({ overlap: 1024, scanLimit: 5000, eagerSearches: 8, searchEvery: 512 });
    const flushed: Direction[] = [];
    const failure = flushBoth((dir) => {
      flushed.push(dir);
      throw new Error(`bad ${dir}`);
    });
    expect(flushed).toEqual(['c2s', 's2c']);
    expect((failure?.error as Error).message).toBe('bad c2s');
    expect(flushBoth(() => undefined)).toBeUndefined();
  });
});
