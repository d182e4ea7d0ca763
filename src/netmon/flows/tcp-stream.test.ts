import { describe, expect, it } from 'vitest';
import type { FrameMeta } from '../model.js';
import { SEGMENT_OVERHEAD, TcpHalfStream } from './tcp-stream.js';
import type { BufferBudget } from './types.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A half stream whose output is recorded as text with gaps shown as [gap n]. */
function harness(opts: { maxBytes?: number; maxSegments?: number; budget?: BufferBudget } = {}) {
  const events: string[] = [];
  const frames: number[] = [];
  const budget = opts.budget ?? { used: 0, peak: 0, max: 1 << 30 };
  const half = new TcpHalfStream(
    {
      data: (d, meta) => {
        events.push(new TextDecoder().decode(d));
        frames.push(meta.frame);
        return 0;
      },
      gap: (n) => events.push(`[gap ${n}]`),
    },
    budget,
    { maxBytes: opts.maxBytes ?? 1 << 20, maxSegments: opts.maxSegments ?? 1000 },
  );
  let frame = 0;
  const seg = (seq: number, text: string, fin = false, missing = 0) => {
    const meta: FrameMeta = { frame: ++frame, ts: frame };
    half.segment(seq >>> 0, enc(text), missing, fin, meta);
  };
  return { half, events, frames, seg, budget, text: () => events.join('') };
}

describe('TCP direction reassembly', () => {
  it('delivers in-order segments as they arrive, starting after the SYN', () => {
    const h = harness();
    h.half.syn(999);
    h.seg(1000, 'hello ');
    h.seg(1006, 'world');
    expect(h.events).toEqual(['hello ', 'world']);
  });

  it('holds segments that arrive ahead of a hole and delivers them once it is filled, with their own frames', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(1, 'AAAA');
    h.seg(9, 'CCCC');
    h.seg(13, 'DDDD');
    expect(h.text()).toBe('AAAA');
    h.seg(5, 'BBBB');
    expect(h.text()).toBe('AAAABBBBCCCCDDDD');
    expect(h.frames).toEqual([1, 4, 2, 3]);
    expect(h.half.outOfOrderSegments).toBe(2);
    expect(h.half.buffered).toBe(0);
    expect(h.budget.used).toBe(0);
  });

  it('drops a retransmission of bytes already delivered and counts it', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(1, 'abcd');
    h.seg(1, 'abcd');
    h.seg(5, 'efgh');
    expect(h.text()).toBe('abcdefgh');
    expect(h.half.retransmittedSegments).toBe(1);
  });

  it('keeps the first copy of overlapping bytes and delivers only the new tail of a partial retransmission', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(1, 'abcd');
    h.seg(3, 'XXef');
    expect(h.text()).toBe('abcdef');
    expect(h.half.overlapBytes).toBe(2);
  });

  it('resolves overlaps among held segments first-wins', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(5, 'EFGH');
    h.seg(3, 'xxxxxxIJ');
    h.seg(1, 'ab');
    expect(h.text()).toBe('abxxEFGHIJ');
    expect(h.half.overlapBytes).toBe(4);
  });

  it('starts mid-stream at the first sequence number seen when there was no SYN', () => {
    const h = harness();
    h.seg(123456, 'middle ');
    h.seg(123463, 'of it');
    expect(h.text()).toBe('middle of it');
    expect(h.half.handshakeSeen).toBe(false);
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const h = harness();
    h.half.syn(0xfffffffd);
    h.seg(0xfffffffe, 'abcd');
    h.seg(2, 'ef');
    expect(h.text()).toBe('abcdef');
  });

  it('declares a gap and moves on when held bytes exceed the per-direction bound', () => {
    // Room for two 4-byte segments with their bookkeeping, not three.
    const h = harness({ maxBytes: 2 * (4 + SEGMENT_OVERHEAD) });
    h.half.syn(0);
    h.seg(1, 'aa');
    h.seg(10, 'cccc');
    h.seg(14, 'dddd');
    expect(h.text()).toBe('aa');
    h.seg(18, 'eeee');
    // The hole 3-9 is given up; everything after it is contiguous and flows out.
    expect(h.text()).toBe('aa[gap 7]ccccddddeeee');
    expect(h.half.forcedGaps).toBe(1);
    expect(h.half.buffered).toBe(0);
  });

  it('declares a gap when the global buffer budget shared by all flows is exhausted', () => {
    const budget: BufferBudget = { used: 1000, peak: 1000, max: 1000 };
    const h = harness({ budget });
    h.half.syn(0);
    h.seg(5, 'late');
    expect(h.text()).toBe('[gap 4]late');
    expect(budget.used).toBe(1000);
  });

  it('charges each held segment its bookkeeping overhead, so tiny segments cannot exhaust memory', () => {
    const h = harness({ maxBytes: 10 * (1 + SEGMENT_OVERHEAD) });
    h.half.syn(0);
    for (let seq = 3; seq < 60; seq += 2) h.seg(seq, 'x');
    expect(h.half.buffered).toBeLessThanOrEqual(10 * (1 + SEGMENT_OVERHEAD));
    expect(h.half.forcedGaps).toBeGreaterThan(0);
  });

  it('bounds the number of held segments', () => {
    const h = harness({ maxSegments: 2 });
    h.half.syn(0);
    h.seg(3, 'b');
    h.seg(5, 'c');
    h.seg(7, 'd');
    // One hole is given up, which is enough to get back within two held segments.
    expect(h.text()).toBe('[gap 2]b');
    h.seg(4, 'x');
    expect(h.text()).toBe('[gap 2]bxc');
    expect(h.half.buffered).toBe(1 + SEGMENT_OVERHEAD);
  });

  it('finishes at the FIN once every byte before it arrived, even when the FIN came first', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(5, 'end', true);
    expect(h.half.finished).toBe(false);
    h.seg(1, 'the ');
    expect(h.text()).toBe('the end');
    expect(h.half.finished).toBe(true);
  });

  it('reports the holes before a FIN as gaps when flushed', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(1, 'ab');
    h.seg(6, 'fg', true);
    h.half.flush({ frame: 99, ts: 99 });
    expect(h.text()).toBe('ab[gap 3]fg');
    expect(h.half.finished).toBe(true);
    expect(h.half.gapBytes).toBe(3);
  });

  it('reports bytes the snap length cut off as a gap right after the captured part', () => {
    const h = harness();
    h.half.syn(0);
    h.seg(1, 'head', false, 96);
    h.seg(101, 'next');
    expect(h.text()).toBe('head[gap 96]next');
  });

  it('ignores a SYN arriving after data has flowed', () => {
    const h = harness();
    h.seg(50, 'ab');
    h.half.syn(10);
    h.seg(52, 'cd');
    expect(h.text()).toBe('abcd');
  });
});
