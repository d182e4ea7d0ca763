import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToBucket, newVolume, volumeBytes } from './volume.js';

describe('volume series', () => {
  it('grows forward with zero buckets in between and capacity doubling up to the bound', () => {
    const v = newVolume(100);
    addToBucket(v, 100, 5, 1, 50);
    addToBucket(v, 103, 7, 1, 50);
    expect(v.startBucket).toBe(100);
    expect(volumeBytes(v)).toEqual([5, 0, 0, 7]);
    expect(v.bytes.length).toBe(8);
    for (let b = 104; b < 140; b++) addToBucket(v, b, 1, 1, 50);
    expect(v.bytes.length).toBe(50);
    expect(v.count).toBe(40);
  });

  it('accepts a late flow for an earlier bucket while the bound allows, and refuses older ones', () => {
    const v = newVolume(100);
    addToBucket(v, 100, 5, 1, 4);
    expect(addToBucket(v, 98, 3, 1, 4)).toBe(true);
    expect(v.startBucket).toBe(98);
    expect(volumeBytes(v)).toEqual([3, 0, 5]);
    expect(addToBucket(v, 96, 1, 1, 4)).toBe(false);
  });

  it('slides the oldest buckets out, and starts over after a gap longer than the bound', () => {
    const v = newVolume(0);
    for (let b = 0; b < 6; b++) addToBucket(v, b, b + 1, 1, 4);
    expect([v.startBucket, volumeBytes(v)]).toEqual([2, [3, 4, 5, 6]]);
    addToBucket(v, 100, 9, 1, 4);
    expect([v.startBucket, volumeBytes(v)]).toEqual([100, [9]]);
  });

  it('never holds more than the bound, always holds the newest bucket, and never invents bytes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 80 }), (keep, adds) => {
        const v = newVolume(0);
        const accepted = new Map<number, number>();
        let newest = -1;
        for (const [b, n] of adds) {
          if (!addToBucket(v, b, n, 1, keep)) continue;
          accepted.set(b, (accepted.get(b) ?? 0) + n);
          newest = Math.max(newest, b);
        }
        expect(v.count).toBeLessThanOrEqual(keep);
        expect(v.bytes.length).toBeLessThanOrEqual(keep);
        expect(v.startBucket + v.count - 1).toBe(newest);
        for (let i = 0; i < v.count; i++) expect(v.bytes[i]).toBeLessThanOrEqual(accepted.get(v.startBucket + i) ?? 0);
      }),
    );
  });

  it('keeps exact sums when buckets arrive in order within the bound (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 10 }), (steps) => {
        const v = newVolume(0);
        const sums = new Map<number, number>();
        let b = 5;
        for (const [step, n] of steps) {
          b += step;
          addToBucket(v, b, n, 1, 64);
          sums.set(b, (sums.get(b) ?? 0) + n);
        }
        for (const [bucket, sum] of sums) expect(v.bytes[bucket - v.startBucket]).toBe(sum);
      }),
    );
  });
});
