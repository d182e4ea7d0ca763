import { describe, expect, it } from 'vitest';
import { compareRpm, parseRpmEvr, rpmvercmp } from './rpm.js';

describe('rpm comparator', () => {
  it.each([
    ['1.0~rc1', '1.0', -1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0_1', '1.0.1', 0],
    ['1.01', '1.1', 0],
    ['a', '1', -1],
    ['2.0', '10.0', -1],
    ['1.0a', '1.0.a', 0],
  ] as const)('rpmvercmp orders %s against %s as %s', (a, b, want) => {
    expect(rpmvercmp(a, b)).toBe(want);
  });

  it('compares epoch first, then version, then release', () => {
    expect(compareRpm('1:1.0', '2.0')).toBe(1);
    expect(compareRpm('0:1.0', '1.0')).toBe(0);
    expect(compareRpm('1.0-2.el8', '1.0-10.el8')).toBe(-1);
  });

  it('ranks a version carrying a release above the same bare version, as rpm 4.18 does', () => {
    expect(compareRpm('1.0-1', '1.0')).toBe(1);
    expect(compareRpm('1.0', '1.0-~')).toBe(-1);
  });

  it('parses EVR with the release after the last hyphen', () => {
    expect(parseRpmEvr('3:1.2-3-4')).toEqual({ epoch: '3', version: '1.2-3', release: '4' });
    expect(parseRpmEvr(':1')).toEqual({ epoch: '0', version: '1', release: null });
  });

  it('treats the empty string as incomparable', () => {
    expect(compareRpm('', '1')).toBe('incomparable');
  });
});
