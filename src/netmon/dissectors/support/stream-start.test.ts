import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
