import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAD_SCALE, mad, meanAbsoluteDeviation, median, modifiedZScore } from './robust.js';

describe('robust statistics', () => {
  it('takes the middle value of an odd count and the mean of the two middle ones of an even count, in any order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('computes the median absolute deviation of the textbook example (1,1,2,2,4,6,9 -> median 2, MAD 1)', () => {
    const xs = [1, 1, 2, 2, 4, 6, 9];
    expect(median(xs)).toBe(2);
    expect(mad(xs)).toBe(1);
    expect(meanAbsoluteDeviation(xs, 2)).toBeCloseTo(15 / 7, 12);
  });

  it('scores a value by 0.6745 (x - median) / MAD and reports the figures used', () => {
    const s = modifiedZScore(12, [1, 1, 2, 2, 4, 6, 9]);
    expect(s).toMatchObject({ method: 'mad', median: 2, mad: 1, samples: 7, value: 12 });
    expect(s.z).toBeCloseTo(MAD_SCALE * 10, 12);
  });

  it('is not moved by one huge outlier in the history, where mean and standard deviation would be', () => {
    const calm = [100, 110, 90, 105, 95, 100, 102, 98];
    const withOutlier = [...calm.slice(0, -1), 1_000_000];
    const s = modifiedZScore(200, withOutlier);
    expect(s.median).toBe(101);
    expect(s.z).toBeGreaterThan(3.5);
    // the mean (about 125 000) would make 200 look perfectly ordinary
    expect(withOutlier.reduce((a, b) => a + b, 0) / withOutlier.length).toBeGreaterThan(100_000);
  });

  it('falls back to the mean absolute deviation when more than half the samples are equal (MAD 0)', () => {
    const s = modifiedZScore(50, [10, 10, 10, 10, 10, 30]);
    expect(s.mad).toBe(0);
    expect(s.method).toBe('mean-ad');
    expect(s.meanAbsoluteDeviation).toBeCloseTo(20 / 6, 12);
    expect(s.z).toBeCloseTo(40 / (1.253314 * (20 / 6)), 9);
  });

  it('calls a rise above an all-equal history infinitely unusual and an equal value ordinary', () => {
    expect(modifiedZScore(11, [10, 10, 10])).toMatchObject({ method: 'degenerate', z: Number.POSITIVE_INFINITY });
    expect(modifiedZScore(10, [10, 10, 10]).z).toBe(0);
  });

  it('gives the same z-score after shifting and scaling every value (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 3, maxLength: 50 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: -1000, max: 1000 }), (xs, x, k, c) => {
        const a = modifiedZScore(x, xs);
        const b = modifiedZScore(x * k + c, xs.map((v) => v * k + c));
        if (Number.isFinite(a.z)) expect(b.z).toBeCloseTo(a.z, 6);
        else expect(b.z).toBe(a.z);
      }),
    );
  });
});
