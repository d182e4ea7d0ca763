import { describe, expect, it } from 'vitest';
import { compareNuGet, nugetComparator } from './nuget.js';

describe('nuget comparator', () => {
  it.each([
    ['1.0', '1.0.0.0', 0],
    ['1.01', '1.1', 0],
    ['1.0.0-beta', '1.0.0', -1],
    ['1.0.0-Beta', '1.0.0-beta', 0],
    ['1.0.0-beta.2', '1.0.0-beta.10', -1],
    ['1.0.0-1', '1.0.0-alpha', -1],
    ['1.0.0-beta', '1.0.0-beta.1', -1],
    ['1.0.0+build1', '1.0.0+build2', 0],
    ['1.2.3.4', '1.2.3.5', -1],
  ] as const)('orders %s against %s as %s', (a, b, want) => {
    expect(compareNuGet(a, b)).toBe(want);
  });

  it('rejects non-NuGet versions', () => {
    expect(nugetComparator.isValid('v1.0')).toBe(false);
    expect(compareNuGet('1.0.0.0.0', '1.0')).toBe('incomparable');
  });
});
