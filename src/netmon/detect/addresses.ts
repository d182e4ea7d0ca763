/**
 * @module IP address text -> numbers, CIDR blocks and address scope (RFC 6890 special-purpose
 * registries for IPv4 and IPv6). Detections need two questions answered for every flow: is this
 * address on the internet (global unicast, not special) and which configured block contains it.
 * Parsing happens per flow, never per packet, and callers cache the answers.
 */
import { ipv4FromNumber, ipv6FromWords } from '../capture/index.js';

export type IpVersion = 4 | 6;

export interface ParsedIp {
  v: IpVersion;
  /** the address as an unsigned integer (32 or 128 bits) */
  value: bigint;
}

export interface Cidr {
  v: IpVersion;
  /** network address (host bits cleared) */
  base: bigint;
  bits: number;
  /** canonical text as written, e.g. "10.0.0.0/8" */
  text: string;
}

export type AddressScope =
  | 'global'
  | 'private'
  | 'shared'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'unspecified'
  | 'documentation'
  | 'unique-local'
  | 'reserved';

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4_RE.exec(text);
  if (!m) return undefined;
  let n = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string;
    // "010" is octal in some parsers and decimal in others: refuse the ambiguity
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const o = Number(part);
    if (o > 255) return undefined;
    n = (n << 8n) | BigInt(o);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let s = text;
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct); // zone index (fe80::1%eth0) names an interface, not an address
  if (s.length < 2 || s.length > 45) return undefined;
  // embedded IPv4 in the last 32 bits (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) becomes two hex groups
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseV4(last);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (g: string): bigint | undefined => (/^[0-9a-fA-F]{1,4}$/.test(g) ? BigInt(parseInt(g, 16)) : undefined);
  const parse = (part: string): bigint[] | undefined => {
    if (part === '') return [];
    const out: bigint[] = [];
    for (const g of part.split(':')) {
      const v = group(g);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<bigint>(8 - explicit).fill(0n), ...rest];
  } else {
    if (explicit !== 8) return undefined;
    groups = head;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses dotted-quad IPv4 or IPv6 text (compressed, embedded IPv4, zone index); undefined when invalid. */
export function parseIp(text: string): ParsedIp | undefined {
  if (text.includes(':')) {
    const value = parseV6(text);
    return value === undefined ? undefined : { v: 6, value };
  }
  const value = parseV4(text);
  return value === undefined ? undefined : { v: 4, value };
}

const width = (v: IpVersion): number => (v === 4 ? 32 : 128);
const mask = (v: IpVersion, bits: number): bigint => {
  const w = BigInt(width(v));
  return bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << (w - BigInt(bits));
};

/**
 * Parses "a.b.c.d/n", "x::/n" or a bare address (a host block). Returns a reason instead of a CIDR
 * when the text is invalid or has host bits set ("10.0.0.1/8" is almost always a typo for a host).
 */
export function parseCidr(text: string): Cidr | { error: string } {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addr);
  if (!ip) return { error: `"${addr}" is not an IPv4 or IPv6 address` };
  let bits = width(ip.v);
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > width(ip.v)) return { error: `prefix length "${b}" must be 0-${width(ip.v)} for IPv${ip.v}` };
    bits = Number(b);
  }
  const base = ip.value & mask(ip.v, bits);
  if (base !== ip.value) return { error: `"${text}" has host bits set (the network is ${formatIp(ip.v, base)}/${bits})` };
  return { v: ip.v, base, bits, text };
}

/** Canonical text of an address value (RFC 5952 for IPv6, as the capture layer prints it). */
export function formatIp(v: IpVersion, value: bigint): string {
  if (v === 4) return ipv4FromNumber(Number(value));
  const w = (s: bigint) => Number((value >> s) & 0xffffffffn);
  return ipv6FromWords(w(96n), w(64n), w(32n), w(0n));
}

export function cidrContains(c: Cidr, ip: ParsedIp): boolean {
  return c.v === ip.v && (ip.value & mask(c.v, c.bits)) === c.base;
}

const block = (text: string): Cidr => {
  const c = parseCidr(text);
  if ('error' in c) throw new Error(`bad built-in block ${text}: ${c.error}`);
  return c;
};

/** IPv4 special-purpose blocks (RFC 6890 and successors); anything else is global unicast. */
const V4_SPECIAL: ReadonlyArray<[Cidr, AddressScope]> = [
  [block('0.0.0.0/32'), 'unspecified'],
  [block('255.255.255.255/32'), 'broadcast'],
  [block('0.0.0.0/8'), 'reserved'],
  [block('10.0.0.0/8'), 'private'],
  [block('100.64.0.0/10'), 'shared'],
  [block('127.0.0.0/8'), 'loopback'],
  [block('169.254.0.0/16'), 'link-local'],
  [block('172.16.0.0/12'), 'private'],
  [block('192.0.0.0/24'), 'reserved'],
  [block('192.0.2.0/24'), 'documentation'],
  [block('192.88.99.0/24'), 'reserved'],
  [block('192.168.0.0/16'), 'private'],
  [block('198.18.0.0/15'), 'reserved'],
  [block('198.51.100.0/24'), 'documentation'],
  [block('203.0.113.0/24'), 'documentation'],
  [block('224.0.0.0/4'), 'multicast'],
  [block('240.0.0.0/4'), 'reserved'],
];

/** IPv6: only 2000::/3 is global unicast, minus the special blocks inside it. */
const V6_SPECIAL: ReadonlyArray<[Cidr, AddressScope]> = [
  [block('::/128'), 'unspecified'],
  [block('::1/128'), 'loopback'],
  [block('fe80::/10'), 'link-local'],
  [block('fc00::/7'), 'unique-local'],
  [block('ff00::/8'), 'multicast'],
  [block('2001:db8::/32'), 'documentation'],
  [block('3fff::/20'), 'documentation'],
  [block('2001::/23'), 'reserved'],
  [block('2002::/16'), 'reserved'],
];
const V6_GLOBAL = block('2000::/3');
const V4_MAPPED = block('::ffff:0:0/96');
const NAT64 = block('64:ff9b::/96');

/** The scope of a parsed address; IPv4-mapped and NAT64 IPv6 addresses take the scope of their IPv4 part. */
export function scopeOf(ip: ParsedIp): AddressScope {
  if (ip.v === 4) {
    for (const [c, scope] of V4_SPECIAL) if (cidrContains(c, ip)) return scope;
    return 'global';
  }
  if (cidrContains(V4_MAPPED, ip) || cidrContains(NAT64, ip)) return scopeOf({ v: 4, value: ip.value & 0xffffffffn });
  for (const [c, scope] of V6_SPECIAL) if (cidrContains(c, ip)) return scope;
  return cidrContains(V6_GLOBAL, ip) ? 'global' : 'reserved';
}

/** Scope of address text; unparseable text is 'reserved' (never treated as the internet). */
export function addressScope(text: string): AddressScope {
  const ip = parseIp(text);
  return ip ? scopeOf(ip) : 'reserved';
}

/** One-to-many destinations: never a device of their own, never a sweep target. */
export const isGroupScope = (s: AddressScope): boolean => s === 'multicast' || s === 'broadcast' || s === 'unspecified';
