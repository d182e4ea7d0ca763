import { describe, expect, it } from 'vitest';
import { FrameCursor, formatRanges, normalizeRanges, parseFrameList, subtractRanges } from './frame-ranges.js';

describe('parseFrameList', () => {
  it('reads frame numbers and ranges into merged ascending ranges', () => {
    expect(parseFrameList('17,20-25')).toEqual([
      { first: 17, last: 17 },
      { first: 20, last: 25 },
    ]);
    expect(parseFrameList(' 30-40 , 5, 35-50,41,4')).toEqual([
      { first: 4, last: 5 },
      { first: 30, last: 50 },
    ]);
  });

  it.each([
    ['', /is not a frame number/],
    ['0', /from 1/],
    ['7-3', /ends before it starts/],
    ['1-', /is not a frame number/],
    ['a,2', /"a" is not a frame number/],
    ['1;2', /is not a frame number/],
  ])('refuses %j with netmon.invalid_frames', (text, message) => {
    expect(() => parseFrameList(text)).toThrow(message);
    expect(() => parseFrameList(text)).toThrow(expect.objectContaining({ code: 'netmon.invalid_frames', status: 400 }));
  });

  it('refuses more than 1,000 frames or ranges', () => {
    const many = Array.from({ length: 1001 }, (_, i) => String(i * 2 + 1)).join(',');
    expect(() => parseFrameList(many)).toThrow(/at most 1000 frames or ranges/);
    expect(parseFrameList(many.split(',').slice(0, 1000).join(','))).toHaveLength(1000);
  });
});

describe('range arithmetic', () => {
  it('merges adjacent and overlapping ranges', () => {
    expect(normalizeRanges([{ first: 5, last: 6 }, { first: 1, last: 4 }, { first: 9, last: 9 }])).toEqual([{ first: 1, last: 6 }, { first: 9, last: 9 }]);
  });

  it('subtracts the frames a capture holds from those asked, leaving gaps and the tail', () => {
    const held = [{ first: 1, last: 10 }, { first: 21, last: 30 }];
    expect(subtractRanges([{ first: 5, last: 25 }, { first: 29, last: 40 }], held)).toEqual([{ first: 11, last: 20 }, { first: 31, last: 40 }]);
    expect(subtractRanges([{ first: 2, last: 3 }], held)).toEqual([]);
    expect(subtractRanges([{ first: 2, last: 3 }], [])).toEqual([{ first: 2, last: 3 }]);
    expect(formatRanges([{ first: 11, last: 20 }, { first: 40, last: 40 }])).toBe('11-20,40');
  });

  it('answers membership for ascending frames and seeks back for a lower one', () => {
    const c = new FrameCursor([{ first: 3, last: 4 }, { first: 8, last: 8 }]);
    expect([1, 2, 3, 4, 5, 8, 9].map((n) => c.has(n))).toEqual([false, false, true, true, false, true, false]);
    expect(c.has(3)).toBe(true);
  });
});
