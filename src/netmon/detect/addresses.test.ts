import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressScope, cidrContains, formatIp, parseCidr, parseIp, type Cidr } from './addresses.js';

const cidr = (t: string): Cidr => {
  const c = parseCidr(t);
  if ('error' in c) throw new Error(c.error);
  return c;
};

describe('address parsing and scope', () => {
  it('parses dotted-quad IPv4 and refuses out-of-range or zero-padded octets', () => {
    expect(parseIp('10.1.2.3')).toEqual({ v: 4, value: 0x0a010203n });
    for (const bad of ['256.1.1.1', '10.1.2', '10.01.2.3', '1.2.3.4.5', 'a.b.c.d', '']) expect(parseIp(bad)).toBeUndefined();
  });

  it('parses compressed IPv6, embedded IPv4 and zone indexes', () => {
    expect(parseIp('::1')).toEqual({ v: 6, value: 1n });
    expect(parseIp('fe80::1%eth0')?.value).toBe(parseIp('fe80::1')?.value);
    expect(parseIp('::ffff:192.168.1.1')?.value).toBe(0xffffc0a80101n);
    expect(parseIp('2001:db8:0:0:0:0:0:1')?.value).toBe(parseIp('2001:db8::1')?.value);
    for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.256', 'g::1']) expect(parseIp(bad)).toBeUndefined();
  });

  it('reads CIDR blocks and explains invalid ones', () => {
    expect(cidr('10.0.0.0/8')).toMatchObject({ v: 4, bits: 8 });
    expect(cidr('10.0.0.5')).toMatchObject({ bits: 32 });
    expect(parseCidr('10.0.0.1/8')).toEqual({ error: '"10.0.0.1/8" has host bits set (the network is 10.0.0.0/8)' });
    expect(parseCidr('fd00::1/8')).toEqual({ error: '"fd00::1/8" has host bits set (the network is fd00::/8)' });
    expect(parseCidr('10.0.0.0/33')).toEqual({ error: 'prefix length "33" must be 0-32 for IPv4' });
    expect(parseCidr('nope/8')).toEqual({ error: '"nope" is not an IPv4 or IPv6 address' });
    expect(cidrContains(cidr('10.1.0.0/16'), parseIp('10.1.200.3')!)).toBe(true);
    expect(cidrContains(cidr('10.1.0.0/16'), parseIp('10.2.0.1')!)).toBe(false);
    expect(cidrContains(cidr('0.0.0.0/0'), parseIp('::1')!)).toBe(false);
  });

  it.each([
    ['8.8.8.8', 'global'],
    ['51.137.28.239', 'global'],
    ['10.4.5.6', 'private'],
    ['172.31.3.224', 'private'],
    ['172.32.0.1', 'global'],
    ['192.168.0.1', 'private'],
    ['100.67.35.238', 'shared'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['192.0.2.7', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2a00:1450:4001::200e', 'global'],
    ['2001:db8::1', 'documentation'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::fb', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'global'],
    ['64:ff9b::8.8.8.8', 'global'],
    ['2002:c000:204::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['not an ip', 'reserved'],
  ])('classifies %s as %s', (ip, scope) => {
    expect(addressScope(ip)).toBe(scope);
  });

  it('formats any address back to text that parses to the same value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat({ max: 0xffffffff }), (v6, v4) => {
        expect(parseIp(formatIp(6, v6))).toEqual({ v: 6, value: v6 });
        expect(parseIp(formatIp(4, BigInt(v4)))).toEqual({ v: 4, value: BigInt(v4) });
      }),
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        parseIp(s);
        parseCidr(s);
        addressScope(s);
      }),
    );
  });
});
