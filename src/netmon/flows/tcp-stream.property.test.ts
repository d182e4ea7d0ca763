import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpHalfStream } from './tcp-stream.js';

/** Random stream, cut into random segments, delivered in random order with duplicates and overlapping resends. */
const scenario = fc
  .record({
    data: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
    isn: fc.integer({ min: 0, max: 0xffffffff }),
    cuts: fc.array(fc.nat(), { maxLength: 40 }),
    extra: fc.array(fc.record({ start: fc.nat(), len: fc.integer({ min: 1, max: 500 }) }), { maxLength: 10 }),
    order: fc.array(fc.nat(), { maxLength: 80 }),
  })
  .map(({ data, isn, cuts, extra, order }) => {
    const points = [...new Set(cuts.map((c) => c % data.length))].filter((c) => c > 0).sort((a, b) => a - b);
    const bounds = [0, ...points, data.length];
    const segs: [number, number][] = [];
    for (let i = 0; i + 1 < bounds.length; i++) segs.push([bounds[i] as number, bounds[i + 1] as number]);
    // Resends of arbitrary ranges carry the same bytes (no loss, no conflicting data).
    for (const e of extra) {
      const s = e.start % data.length;
      segs.push([s, Math.min(data.length, s + e.len)]);
    }
    const shuffled = segs.map((s, i) => ({ s, k: order[i] ?? i })).sort((a, b) => a.k - b.k).map((x) => x.s);
    return { data, isn, segs: shuffled };
  });

describe('TCP reassembly property', () => {
  it('reproduces the original bytes from any order of segments, duplicates and overlaps when nothing is lost', () => {
    fc.assert(
      fc.property(scenario, ({ data, isn, segs }) => {
        const out: number[] = [];
        let gaps = 0;
        const half = new TcpHalfStream(
          {
            data: (d) => {
              out.push(...d);
              return 0;
            },
            gap: () => gaps++,
          },
          { used: 0, peak: 0, max: 1 << 30 },
          { maxBytes: 1 << 20, maxSegments: 10_000 },
        );
        half.syn(isn);
        let frame = 0;
        for (const [a, b] of segs) half.segment((isn + 1 + a) >>> 0, data.slice(a, b), 0, false, { frame: ++frame, ts: frame });
        expect(gaps).toBe(0);
        expect(Uint8Array.from(out)).toEqual(data);
        expect(half.buffered).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('delivers every byte exactly once, as data or gap, whatever the buffer bounds', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 20 }), ({ data, isn, segs }, maxBytes, maxSegments) => {
        const out = new Map<number, number>();
        let pos = 0;
        const half = new TcpHalfStream(
          {
            data: (d) => {
              for (const x of d) out.set(pos++, x);
              return 0;
            },
            gap: (n) => {
              pos += n;
            },
          },
          { used: 0, peak: 0, max: 1 << 30 },
          { maxBytes, maxSegments },
        );
        half.syn(isn);
        let frame = 0;
        for (const [a, b] of segs) half.segment((isn + 1 + a) >>> 0, data.slice(a, b), 0, false, { frame: ++frame, ts: frame });
        half.flush({ frame: 0, ts: 0 });
        expect(half.buffered).toBeLessThanOrEqual(maxBytes);
        // Positions never run past the stream, and every delivered byte is the right one.
        expect(pos).toBeLessThanOrEqual(data.length);
        for (const [i, x] of out) expect(x).toBe(data[i]);
      }),
      { numRuns: 400 },
    );
  });

  it('passes over exactly the bytes the consumer asks to skip, through reordering, overlaps and bounds', () => {
    type Event = { data: number[] } | { gap: number };
    const run = (data: Uint8Array, isn: number, segs: [number, number][], maxBytes: number, maxSegments: number, asks: number[] | null): Event[] => {
      const events: Event[] = [];
      let call = 0;
      const half = new TcpHalfStream(
        {
          data: (d) => {
            events.push({ data: [...d] });
            return asks === null ? 0 : (asks[call++ % asks.length] as number);
          },
          gap: (n) => {
            events.push({ gap: n });
          },
        },
        { used: 0, peak: 0, max: 1 << 30 },
        { maxBytes, maxSegments },
      );
      half.syn(isn);
      let frame = 0;
      for (const [a, b] of segs) {
        const seq = (isn + 1 + a) >>> 0;
        // As flow tracking does: a segment wholly inside the skip is passed over before any view is made.
        if (asks === null || !half.skipSegment(seq, b - a, false)) half.segment(seq, data.slice(a, b), 0, false, { frame: ++frame, ts: frame });
      }
      half.flush({ frame: 0, ts: 0 });
      return events;
    };
    /** The skipping rules applied to what a consumer that never skips receives. */
    const model = (reference: Event[], asks: number[]): Event[] => {
      const out: Event[] = [];
      let skip = 0;
      let call = 0;
      for (const e of reference) {
        if ('gap' in e) {
          skip = 0;
          out.push(e);
        } else if (skip >= e.data.length) {
          skip -= e.data.length;
        } else {
          out.push({ data: e.data.slice(skip) });
          skip = asks[call++ % asks.length] as number;
        }
      }
      return out;
    };
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 1, max: 20 }),
        ({ data, isn, segs }, asks, maxBytes, maxSegments) => {
          const reference = run(data, isn, segs, maxBytes, maxSegments, null);
          expect(run(data, isn, segs, maxBytes, maxSegments, asks)).toEqual(model(reference, asks));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('without gaps, delivered and skipped bytes tile the stream exactly', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 30 }), ({ data, isn, segs }, asks) => {
        const out: number[] = [];
        let call = 0;
        let gaps = 0;
        const half = new TcpHalfStream(
          {
            data: (d) => {
              out.push(...d);
              const ask = asks[call++ % asks.length] as number;
              // Only bytes that exist can be skipped: the model tiles against the real stream length.
              const real = Math.min(ask, data.length - out.length);
              for (let i = 0; i < real; i++) out.push(-1);
              return ask;
            },
            gap: () => gaps++,
          },
          { used: 0, peak: 0, max: 1 << 30 },
          { maxBytes: 1 << 20, maxSegments: 10_000 },
        );
        half.syn(isn);
        let frame = 0;
        for (const [a, b] of segs) {
          if (!half.skipSegment((isn + 1 + a) >>> 0, b - a, false)) half.segment((isn + 1 + a) >>> 0, data.slice(a, b), 0, false, { frame: ++frame, ts: frame });
        }
        expect(gaps).toBe(0);
        expect(out.length).toBe(data.length);
        out.forEach((x, i) => {
          if (x !== -1) expect(x).toBe(data[i]);
        });
        expect(half.buffered).toBe(0);
      }),
      { numRuns: 400 },
    );
  });
});
