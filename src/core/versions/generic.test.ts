import { describe, expect, it } from 'vitest';
import { compareGeneric, genericComparator } from './generic.js';

describe('generic firmware comparator', () => {
  it.each([
    ['2.6A', '2.6B', -1],
    ['2.6A', '2.6', 1],
    ['4.01', '4.1', 0],
    ['1', '1.0.0', 0],
    ['v3.2.1', '3.2.1', 0],
    ['v3.2.1-b4', '3.2.1-b5', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0-beta', '1.0-rc', -1],
    ['1.0rc1', '1.0.1', -1],
    ['B.06.18', 'B.12', -1],
    ['012U000040', '012U000041', -1],
    ['1.8.4 Service Pack 01', '1.8.4 Service Pack 02', -1],
    ['1-2', '1.2', 0],
    ['10.0', '9.9', 1],
  ] as const)('orders %s against %s as %s', (a, b, want) => {
    expect(compareGeneric(a, b)).toBe(want);
    expect(compareGeneric(b, a)).toBe(want === 0 ? 0 : -want);
  });

  it.each([
    ['OpenSSL letter releases', '1.0.2k', '1.0.2l', -1],
    ['OpenSSL base before its first letter release', '1.0.2', '1.0.2a', -1],
    ['OpenSSL 1.1.1w before 3.0.0', '1.1.1w', '3.0.0', -1],
    ['wolfSSL stable tag after the bare version', '5.6.6-stable', '5.6.6', 1],
    ['FreeRTOS date-style releases', '202212.00', '202210.01', 1],
    ['FreeRTOS V-prefixed kernel versions', 'V10.4.3', '10.5.1', -1],
    ['Windows build numbers', '10.0.19045.3693', '10.0.19045.4046', -1],
    ['Linux stable releases', '5.10.150', '5.10.9', 1],
    ['BusyBox', '1.36.1', '1.32.0', 1],
  ] as const)('orders %s: %s vs %s = %s', (_, a, b, want) => {
    expect(compareGeneric(a, b)).toBe(want);
  });

  it.each([
    ['U61', 'L81', 'different leading words are different product lines'],
    ['2.6A', '2.6.1', 'a letter against a number'],
    ['4.20 SP1', '4.20 SR1', 'two different multi-letter words'],
    ['', '1.0', 'no segments'],
    ['...', '1.0', 'no segments'],
  ])('refuses to order %s against %s (%s)', (a, b) => {
    expect(compareGeneric(a, b)).toBe('incomparable');
  });

  it('rejects oversized input instead of scanning it', () => {
    expect(genericComparator.isValid('1.'.repeat(200))).toBe(false);
  });
});
