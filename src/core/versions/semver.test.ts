import { describe, expect, it } from 'vitest';
import { cargoComparator, goComparator, npmComparator, semverComparator } from './semver.js';

describe('semver-family comparators', () => {
  it('orders pre-releases below the release and ignores build metadata', () => {
    expect(semverComparator.compare('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(semverComparator.compare('1.0.0+a', '1.0.0+b')).toBe(0);
  });

  it('pads a missing minor or patch, as CVE 5 and OSV write them', () => {
    expect(semverComparator.compare('17.0', '17.0.0')).toBe(0);
    expect(semverComparator.compare('17', '16.9.9')).toBe(1);
  });

  it('lets npm parse loosely and accept a v prefix, but not cargo', () => {
    expect(npmComparator.compare('v1.2.3', '=1.2.3')).toBe(0);
    expect(cargoComparator.compare('v1.2.3', '1.2.3')).toBe('incomparable');
  });

  it('accepts Go module versions with v and +incompatible', () => {
    expect(goComparator.compare('v2.0.0+incompatible', '2.0.0')).toBe(0);
    expect(goComparator.compare('v0.0.0-20200101000000-abcdefabcdef', 'v0.0.1')).toBe(-1);
  });

  it('treats garbage as incomparable', () => {
    expect(npmComparator.compare('not a version', '1.0.0')).toBe('incomparable');
  });
});
