import { describe, expect, it } from 'vitest';
import { ipBytes } from './testing/frames.js';
import { ipv4FromNumber, ipv6String, macString } from './ip-text.js';

describe('address text', () => {
  it('prints IPv4 from a 32-bit number', () => {
    expect(ipv4FromNumber(0xc0a80001)).toBe('192.168.0.1');
    expect(ipv4FromNumber(0xffffffff)).toBe('255.255.255.255');
  });

  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1::1', '2001:0:0:1::1'],
    ['2001:db8::1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:c000:280', '::ffff:192.0.2.128'],
  ])('prints %s in RFC 5952 form as %s', (input, expected) => {
    expect(ipv6String(ipBytes(input), 0)).toBe(expected);
  });

  it('prints MAC addresses with two lowercase hex digits per byte', () => {
    expect(macString(Uint8Array.of(0, 0x1b, 0xa, 0xff, 1, 2), 0)).toBe('00:1b:0a:ff:01:02');
  });
});
