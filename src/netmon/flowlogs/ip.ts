/**
 * @module Address text from logs made canonical: dotted quad for IPv4, RFC 5952 for IPv6 (the form
 * the packet path and tshark print), so a Zeek "2001:DB8:0:0::1" and a NetFlow 2001:db8::1 are one
 * endpoint downstream.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6FromWords } from '../capture/index.js';

function ipv4Words(text: string): number {
  const p = text.split('.').map(Number);
  return (((p[0] as number) << 24) | ((p[1] as number) << 16) | ((p[2] as number) << 8) | (p[3] as number)) >>> 0;
}

/** Canonical text of an IPv4/IPv6 address, or undefined when `text` is not one. */
export function canonicalIp(text: string): string | undefined {
  if (isIPv4(text)) return text.split('.').map(Number).join('.');
  // a zone ("fe80::1%eth0") is not part of the address on the wire
  const bare = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (!isIPv6(bare)) return undefined;
  let s = bare.toLowerCase();
  const groups: number[] = [];
  const lastColon = s.lastIndexOf(':');
  let tailV4: number | undefined;
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = ipv4Words(s.slice(lastColon + 1));
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', tail] = s.split('::');
  const parse = (x: string) => (x === '' ? [] : x.split(':').map((g) => parseInt(g, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  groups.push(...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t);
  if (tailV4 !== undefined) {
    groups[6] = tailV4 >>> 16;
    groups[7] = tailV4 & 0xffff;
  }
  const w = (i: number) => (((groups[i] as number) << 16) | (groups[i + 1] as number)) >>> 0;
  return ipv6FromWords(w(0), w(2), w(4), w(6));
}
