/**
 * @module Builds packets byte by byte for scenario fixtures and the synthetic capture generator:
 * Ethernet (with VLAN/QinQ tags), Linux SLL/SLL2, BSD loopback, ARP, IPv4 (checksummed, fragmentable),
 * IPv6 (with extension headers), TCP (with options), UDP and ICMP.
 */
import { concatBytes } from './pcap-writer.js';

export function ipBytes(ip: string): Uint8Array {
  if (!ip.includes(':')) return Uint8Array.from(ip.split('.').map(Number));
  const [head = '', tail] = ip.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export const macBytes = (mac: string): Uint8Array => Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16)));

const u16 = (n: number) => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
const u32 = (n: number) => Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

export interface EthernetSpec {
  src?: string;
  dst?: string;
  etherType: number;
  /** VLAN ids, outermost first; with two or more the outer ones use the 802.1ad TPID 0x88a8 */
  vlans?: number[];
  payload: Uint8Array;
}

export function ethernet(e: EthernetSpec): Uint8Array {
  const vlans = e.vlans ?? [];
  const tags = vlans.map((vid, i) => concatBytes([u16(i < vlans.length - 1 ? 0x88a8 : 0x8100), u16(vid)]));
  return concatBytes([
    macBytes(e.dst ?? '02:00:00:00:00:02'),
    macBytes(e.src ?? '02:00:00:00:00:01'),
    ...tags,
    u16(e.etherType),
    e.payload,
  ]);
}

export const sll = (etherType: number, payload: Uint8Array): Uint8Array =>
  concatBytes([u16(0), u16(1), u16(6), macBytes('02:00:00:00:00:01'), Uint8Array.of(0, 0), u16(etherType), payload]);

export const sll2 = (etherType: number, payload: Uint8Array): Uint8Array =>
  concatBytes([u16(etherType), u16(0), u32(1), u16(1), Uint8Array.of(0, 6), macBytes('02:00:00:00:00:01'), Uint8Array.of(0, 0), payload]);

/** BSD NULL loopback header: address family in the given byte order. */
export const nullLoopback = (family: number, payload: Uint8Array, littleEndian = true): Uint8Array => {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, family, littleEndian);
  return concatBytes([h, payload]);
};

export function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += ((b[i] as number) << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Spec {
  src: string;
  dst: string;
  proto: number;
  payload: Uint8Array;
  id?: number;
  ttl?: number;
  more?: boolean;
  /** fragment offset in bytes (multiple of 8) */
  fragOffset?: number;
  /** override the total-length field */
  totalLength?: number;
  badChecksum?: boolean;
}

export function ipv4(s: Ipv4Spec): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  h[0] = 0x45;
  v.setUint16(2, s.totalLength ?? 20 + s.payload.length);
  v.setUint16(4, s.id ?? 1);
  v.setUint16(6, (s.more ? 0x2000 : 0) | ((s.fragOffset ?? 0) / 8));
  h[8] = s.ttl ?? 64;
  h[9] = s.proto;
  h.set(ipBytes(s.src), 12);
  h.set(ipBytes(s.dst), 16);
  v.setUint16(10, checksum(h) ^ (s.badChecksum ? 0x5555 : 0));
  return concatBytes([h, s.payload]);
}

/** Splits an unfragmented datagram's payload into IPv4 fragments of `fragPayload` bytes (multiple of 8). */
export function ipv4Fragments(s: Ipv4Spec, fragPayload: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < s.payload.length; off += fragPayload) {
    const piece = s.payload.subarray(off, off + fragPayload);
    out.push(ipv4({ ...s, payload: piece, fragOffset: off, more: off + fragPayload < s.payload.length }));
  }
  return out;
}

export interface Ipv6Ext {
  type: number;
  /** body after the next-header and length bytes; padded here to a multiple of 8 with the first two */
  body?: Uint8Array;
}

export function ipv6(s: { src: string; dst: string; nextHeader: number; payload: Uint8Array; ext?: Ipv6Ext[]; hopLimit?: number }): Uint8Array {
  const ext = s.ext ?? [];
  const extBytes = ext.map((e, i) => {
    const next = i + 1 < ext.length ? (ext[i + 1] as Ipv6Ext).type : s.nextHeader;
    if (e.type === 44) return concatBytes([Uint8Array.of(next, 0), e.body ?? new Uint8Array(6)]);
    const body = e.body ?? new Uint8Array(6);
    const total = (2 + body.length + 7) & ~7;
    const out = new Uint8Array(total);
    out[0] = next;
    out[1] = total / 8 - 1;
    out.set(body, 2);
    return out;
  });
  const rest = concatBytes([...extBytes, s.payload]);
  const h = new Uint8Array(40);
  h[0] = 0x60;
  new DataView(h.buffer).setUint16(4, rest.length);
  h[6] = ext.length > 0 ? (ext[0] as Ipv6Ext).type : s.nextHeader;
  h[7] = s.hopLimit ?? 64;
  h.set(ipBytes(s.src), 8);
  h.set(ipBytes(s.dst), 24);
  return concatBytes([h, rest]);
}

/** Body of an IPv6 fragment extension header (after the next-header byte and reserved byte). */
export const ipv6FragmentBody = (offset: number, more: boolean, id: number): Uint8Array => concatBytes([u16(offset | (more ? 1 : 0)), u32(id)]);

export interface TcpOptionsSpec {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  ts?: [number, number];
}

export function tcpOptions(o: TcpOptionsSpec): Uint8Array {
  const parts: Uint8Array[] = [];
  if (o.mss !== undefined) parts.push(concatBytes([Uint8Array.of(2, 4), u16(o.mss)]));
  if (o.sackPermitted) parts.push(Uint8Array.of(4, 2));
  if (o.ts) parts.push(concatBytes([Uint8Array.of(8, 10), u32(o.ts[0]), u32(o.ts[1])]));
  if (o.wscale !== undefined) parts.push(Uint8Array.of(1, 3, 3, o.wscale));
  const raw = concatBytes(parts);
  const out = new Uint8Array((raw.length + 3) & ~3);
  out.set(raw);
  return out;
}

export interface TcpSpec {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** TcpFlag bits */
  flags: number;
  window?: number;
  payload?: Uint8Array;
  options?: Uint8Array;
}

export function tcp(s: TcpSpec): Uint8Array {
  const opts = s.options ?? new Uint8Array(0);
  const h = new Uint8Array(20 + opts.length);
  const v = new DataView(h.buffer);
  v.setUint16(0, s.sport);
  v.setUint16(2, s.dport);
  v.setUint32(4, s.seq >>> 0);
  v.setUint32(8, (s.ack ?? 0) >>> 0);
  h[12] = (h.length / 4) << 4;
  h[13] = s.flags;
  v.setUint16(14, s.window ?? 65535);
  h.set(opts, 20);
  return concatBytes([h, s.payload ?? new Uint8Array(0)]);
}

export function udp(s: { sport: number; dport: number; payload: Uint8Array; length?: number }): Uint8Array {
  return concatBytes([u16(s.sport), u16(s.dport), u16(s.length ?? 8 + s.payload.length), u16(0), s.payload]);
}

export const icmp = (type: number, code: number, payload: Uint8Array = new Uint8Array(4)): Uint8Array =>
  concatBytes([Uint8Array.of(type, code, 0, 0), payload]);

export function arp(s: { op: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string }): Uint8Array {
  return concatBytes([u16(1), u16(0x0800), Uint8Array.of(6, 4), u16(s.op), macBytes(s.senderMac), ipBytes(s.senderIp), macBytes(s.targetMac), ipBytes(s.targetIp)]);
}

/** Ethernet + IPv4 + TCP in one call, the common case in flow scenarios. */
export function tcpFrame(src: string, dst: string, t: TcpSpec, vlans?: number[]): Uint8Array {
  return ethernet({ etherType: 0x0800, vlans, payload: ipv4({ src, dst, proto: 6, payload: tcp(t) }) });
}

export function udpFrame(src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return ethernet({ etherType: 0x0800, payload: ipv4({ src, dst, proto: 17, payload: udp({ sport, dport, payload }) }) });
}
