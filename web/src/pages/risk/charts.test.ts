import { describe, expect, it } from 'vitest';
import { barPercent, segmentPercents } from './charts.js';

describe('barPercent', () => {
  it('scales to the largest value with one decimal', () => {
    expect(barPercent(66, 66)).toBe(100);
    expect(barPercent(12, 66)).toBe(18.2);
  });

  it('keeps a tiny non-zero bar visible and draws nothing for zero or bad input', () => {
    expect(barPercent(1, 10_000)).toBe(2);
    expect(barPercent(0, 10)).toBe(0);
    expect(barPercent(5, 0)).toBe(0);
    expect(barPercent(Number.NaN, 10)).toBe(0);
  });
});

describe('segmentPercents', () => {
  it('gives each non-empty band its share of the total, in the order asked', () => {
    expect(segmentPercents({ critical: 3, high: 4, medium: 1, low: 0, none: 0 }, ['critical', 'high', 'medium', 'low', 'none'])).toEqual([
      { key: 'critical', percent: 37.5 },
      { key: 'high', percent: 50 },
      { key: 'medium', percent: 12.5 },
    ]);
  });

  it('returns no segments when everything is zero', () => {
    expect(segmentPercents({ a: 0, b: 0 }, ['a', 'b'])).toEqual([]);
  });
});
