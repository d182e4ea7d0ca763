import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat } from '../testing/harness.js';
import { StartGate, type DecidedStart, type SlidingScan, type StreamStart } from './stream-start.js';

/** A toy protocol: messages start at "SYNC", evidence once all four bytes are there; never an opening. */
const toy: StreamStart = {
  opens: () => 'no',
  syncPoint: (b) => {
    for (let i = 0; i + 4 <= b.length; i++) if (b[i] === 0x53 && b[i + 1] === 0x59 && b[i + 2] === 0x4e && b[i + 3] === 0x43) return i;
    return -1;
  },
};
const WINDOW = 64;
const sliding: SlidingScan = { overlap: 16, scanLimit: 10_000, eagerSearches: 2, searchEvery: 8 };
const filler = (n: number) => new Uint8Array(n).fill(0x2e);
const SYNC = Uint8Array.of(0x53, 0x59, 0x4e, 0x43);
const withSync = (at: number, n: number) => {
  const b = filler(n);
  b.set(SYNC, at);
  return b;
};

/** offers `b` in chunks of `sizes` (cycling), then flushes; the start and the most bytes ever carried */
function run(gate: StartGate, b: Uint8Array, sizes: readonly number[]): { start: DecidedStart | undefined; read: number; maxCarried: number } {
  let start: DecidedStart | undefined;
  let read = 0;
  let maxCarried = 0;
  for (let pos = 0, i = 0; pos < b.length; i++) {
    const chunk = b.slice(pos, pos + (sizes[i % sizes.length] as number));
    pos += chunk.length;
    if (start !== undefined) {
      read += chunk.length;
      continue;
    }
    start = gate.offer(chunk);
    if (start) read = start.head.length + start.rest.length;
    maxCarried = Math.max(maxCarried, gate.carriedBytes);
  }
  start ??= gate.flush();
  if (start && read === 0) read = start.head.length + start.rest.length;
  return { start, read, maxCarried };
}

describe('StartGate with a sliding scan (late sync)', () => {
  it('finds a sync point anywhere before the scan limit, cut by window ends or not, in any chunking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_990 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), (at, sizes) => {
        const b = withSync(at, 10_500);
        const { start, read, maxCarried } = run(new StartGate(toy, WINDOW, sliding), b, sizes);
        expect(start?.from).toBe(at);
        expect(start?.synced).toBe(true);
        expect([...(start?.head.subarray(0, 4) ?? [])]).toEqual([...SYNC]);
        // every byte from the sync point on is read exactly once
        expect(read).toBe(b.length - at);
        expect(maxCarried).toBeLessThanOrEqual(WINDOW);
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 300) },
    );
  });

  it('gives up at the scan limit: a sync point cut by it is not taken, whatever the chunking', () => {
    for (const sizes of [[1], [7], [64], [10_500], [3, 500]]) {
      const gate = new StartGate(toy, WINDOW, sliding);
      const { start } = run(gate, withSync(9_998, 10_500), sizes);
      expect(start).toBeUndefined();
      expect(gate.lost).toBe(true);
      expect(gate.scannedBytes).toBe(10_000);
      expect(gate.carriedBytes).toBe(0);
      expect(gate.offer(SYNC)).toBeUndefined();
    }
  });

  it('defers searches of a window arriving in tiny chunks, and flush finds what was deferred', () => {
    const gate = new StartGate(toy, WINDOW, sliding);
    const b = withSync(20, 30);
    // two eager searches (bytes 1 and 2), then one per 8 bytes: by byte 24 the sync point is not yet searched for
    let start: DecidedStart | undefined;
    for (let i = 0; i < 24 && start === undefined; i++) start = gate.offer(b.subarray(i, i + 1));
    expect(start).toBeUndefined();
    expect(gate.carriedBytes).toBe(24);
    const flushed = gate.flush();
    expect(flushed).toMatchObject({ from: 20, synced: true });
    expect(gate.decided).toBe(true);
    expect(gate.flush()).toBeUndefined();
  });

  it('without a sliding scan, looks at the first window only (as detection does)', () => {
    const gate = new StartGate(toy, WINDOW);
    expect(run(gate, withSync(70, 200), [10]).start).toBeUndefined();
    expect(gate.lost).toBe(true);
    expect(run(new StartGate(toy, WINDOW), withSync(60, 200), [10]).start?.from).toBe(60);
  });

  it('refuses an overlap over half the window, or an empty scan', () => {
    expect(() => new StartGate(toy, WINDOW, { ...sliding, overlap: 33 })).toThrow(/overlap 33/);
    expect(() => new StartGate(toy, WINDOW, { ...sliding, scanLimit: 0 })).toThrow(/scan limit 0/);
  });
});

describe('StartGate at a gap', () => {
  /** opens when the direction starts with "OPEN" */
  const opening: StreamStart = { ...toy, opens: (b) => (b.length < 4 ? 'need-more' : b[0] === 0x4f && b[1] === 0x50 && b[2] === 0x45 && b[3] === 0x4e ? 'yes' : 'no') };
  const OPEN = Uint8Array.of(0x4f, 0x50, 0x45, 0x4e);

  it('drops the window at a gap: a sync point cut by it is not taken, the next one is, offsets counting bytes seen', () => {
    for (const size of [1, 5, 100]) {
      const gate = new StartGate(toy, WINDOW, sliding);
      // "SY" before the gap, "NC" after it: not a sync point; then filler and a whole one
      const before = concat(filler(10), SYNC.subarray(0, 2));
      const after = concat(SYNC.subarray(2), filler(30), SYNC, filler(5));
      expect(run(gate, before, [size]).start).toBeUndefined();
      gate.gap();
      expect(gate.carriedBytes).toBe(0);
      expect(run(gate, after, [size]).start?.from).toBe(before.length + 32);
    }
  });

  it('after a gap only sync points count: what follows a loss cannot open the session', () => {
    const gate = new StartGate(opening, WINDOW, sliding);
    expect(gate.offer(OPEN.subarray(0, 2))).toBeUndefined();
    gate.gap();
    expect(gate.offer(concat(OPEN, filler(10)))).toBeUndefined();
    expect(gate.offer(concat(SYNC, filler(3)))).toMatchObject({ from: 16, synced: true });
    // built without openings (a stream read on after a gap), the same
    expect(new StartGate(opening, WINDOW, sliding, false).offer(concat(OPEN, SYNC))).toMatchObject({ from: 4, synced: true });
    expect(new StartGate(opening, WINDOW, sliding).offer(concat(OPEN, SYNC))).toMatchObject({ from: 0, synced: false });
  });

  it('bytes before a gap count towards the scan limit; a decided or lost gate ignores gaps', () => {
    const gate = new StartGate(toy, WINDOW, { ...sliding, scanLimit: 100 });
    gate.offer(filler(60));
    gate.gap();
    expect(gate.offer(filler(40))).toBeUndefined();
    expect(gate.lost).toBe(true);
    expect(gate.scannedBytes).toBe(100);
    gate.gap();
    expect(gate.lost).toBe(true);
    const decided = new StartGate(toy, WINDOW, sliding);
    decided.offer(SYNC);
    decided.gap();
    expect([decided.decided, decided.scannedBytes]).toEqual([true, 0]);
  });
});
