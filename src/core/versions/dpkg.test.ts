import { describe, expect, it } from 'vitest';
import { compareDpkg, dpkgComparator, parseDpkgVersion } from './dpkg.js';

describe('dpkg comparator', () => {
  it.each([
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0', '1.0+b1', -1],
    ['1:0.9', '2.0', 1],
    ['1.0-1', '1.0-01', 0],
    ['1.0a', '1.0+', -1],
    ['2.30', '2.4', 1],
    ['0:1.0', '1.0', 0],
    ['1.0', '1.0-0', 0],
  ] as const)('orders %s against %s as %s', (a, b, want) => {
    expect(compareDpkg(a, b)).toBe(want);
  });

  it('splits epoch, upstream and the revision after the last hyphen', () => {
    expect(parseDpkgVersion('2:1.2-3-4')).toEqual({ epoch: 2, upstream: '1.2-3', revision: '4' });
  });

  it.each(['', ' ', '1.0 2', 'a:1.0', ':1.0', '1:', '1.0-'])('treats %j as incomparable (dpkg rejects it)', (v) => {
    expect(compareDpkg(v, '1.0')).toBe('incomparable');
  });

  it('accepts what dpkg only warns about when comparing, but reports it invalid', () => {
    expect(compareDpkg('abc', 'abd')).toBe(-1);
    expect(dpkgComparator.isValid('abc')).toBe(false);
    expect(dpkgComparator.isValid('1.0-1ubuntu1')).toBe(true);
  });
});
