import { describe, expect, it } from 'vitest';
import { comparePep440, isValidPep440 } from './pep440.js';

describe('PEP 440 comparator', () => {
  it.each([
    ['1.0', '1.0.0', 0],
    ['1.0a1', '1.0', -1],
    ['1.0.dev1', '1.0a1', -1],
    ['1.0.post1', '1.0', 1],
    ['1!0.5', '2.0', 1],
    ['1.0+local', '1.0', 1],
  ] as const)('orders %s against %s as %s', (a, b, want) => {
    expect(comparePep440(a, b)).toBe(want);
  });

  it('refuses the invalid 4.36.-1 seen in a real OSV record', () => {
    expect(isValidPep440('4.36.-1')).toBe(false);
    expect(comparePep440('4.36.-1', '4.36.1')).toBe('incomparable');
  });
});
