import { describe, expect, it } from 'vitest';
import { compareMaven } from './maven.js';

describe('maven comparator (ComparableVersion 3.8.7)', () => {
  it.each([
    ['1', '1.0', 0],
    ['1.0-SNAPSHOT', '1.0', -1],
    ['1-alpha', '1-beta', -1],
    ['1-beta', '1-milestone', -1],
    ['1-milestone', '1-rc', -1],
    ['1-cr', '1-rc', 0],
    ['1-rc', '1-snapshot', -1],
    ['1-snapshot', '1', -1],
    ['1', '1-sp', -1],
    ['1-sp', '1-foo', -1],
    ['1.0.RELEASE', '1', 0],
    ['1-ga', '1-final', 0],
    ['1a1', '1-alpha-1', 0],
    ['1.1', '1-1', 1],
    ['1.0.0.1', '1', 1],
    ['01.002', '1.2', 0],
    ['1-xyz', '1-abc', 1],
  ] as const)('orders %s against %s as %s', (a, b, want) => {
    expect(compareMaven(a, b)).toBe(want);
    expect(compareMaven(b, a)).toBe(want === 0 ? 0 : -want);
  });
});
