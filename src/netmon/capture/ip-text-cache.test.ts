import { describe, expect, it } from 'vitest';
import { ipv4FromNumber, macString } from './ip-text.js';

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

describe('address text of recurring addresses', () => {
  it('prints every address right however many have been seen (the remembered texts are bounded)', () => {
    for (let i = 0; i < 10_000; i++) {
      const n = (0x0a000000 + i * 977) >>> 0;
      expect(ipv4FromNumber(n)).toBe(dotted(n));
    }
    expect(ipv4FromNumber(0xc0a80001)).toBe('192.168.0.1');
    expect(ipv4FromNumber(0x0a000000)).toBe('10.0.0.0');
  });

  it('prints a MAC address from wherever it lies, and prints a cut-off one as before instead of remembering it', () => {
    const b = Uint8Array.of(9, 0, 0x1b, 0xa, 0xff, 1, 2, 3);
    expect(macString(b, 1)).toBe('00:1b:0a:ff:01:02');
    expect(macString(b, 2)).toBe('1b:0a:ff:01:02:03');
    expect(macString(b, 1)).toBe('00:1b:0a:ff:01:02');
    expect(macString(Uint8Array.of(1, 2, 3), 0)).toBe('01:02:03:::');
    expect(macString(Uint8Array.of(1, 2, 4), 0)).toBe('01:02:04:::');
  });
});
