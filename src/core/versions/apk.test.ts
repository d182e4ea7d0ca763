import { describe, expect, it } from 'vitest';
import { apkComparator, compareApk } from './apk.js';

describe('apk comparator', () => {
  it.each([
    ['1.0_alpha1', '1.0_beta1', -1],
    ['2.1_rc1', '2.1', -1],
    ['1.0', '1.0_p1', -1],
    ['1.0_cvs', '1.0_p1', -1],
    ['1.0', '1.0-r1', -1],
    ['1.0-r1', '1.0-r10', -1],
    ['1.0a', '1.0', 1],
    ['1.0a', '1.0b', -1],
    ['1.01', '1.1', -1],
    ['1.0.2q-r0', '1.0.2p-r3', 1],
    ['10.1', '9.9', 1],
  ] as const)('orders %s against %s as %s', (a, b, want) => {
    expect(compareApk(a, b)).toBe(want);
    expect(compareApk(b, a)).toBe(-want);
  });

  it('keeps apk 2.x\'s quirk: after a zero component, a pre-release suffix is not seen', () => {
    // get_token switches to a digit token after a run of zeros, so the '_rc' is never compared.
    expect(compareApk('1.0_rc1', '1.0')).toBe(1);
  });

  it.each(['', '1.0_foo', '1.0-x', 'abc', '_1'])('rejects %j', (v) => {
    expect(apkComparator.isValid(v)).toBe(false);
    expect(compareApk(v, '1.0')).toBe('incomparable');
  });
});
