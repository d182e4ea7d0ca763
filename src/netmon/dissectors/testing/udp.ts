/** @module Builders for UDP protocols used by tests: DHCP, DNS/mDNS and SNMP (BER). */
import { ascii, concat, u16be, u32be } from './harness.js';

const opt = (code: number, value: Uint8Array) => concat(Uint8Array.of(code, value.length), value);

export function dhcp(o: { op?: number; mac: string; type: number; hostname?: string; vendorClass?: string; prl?: number[]; clientId?: Uint8Array; fqdn?: string }): Uint8Array {
  const fixed = new Uint8Array(236);
  fixed[0] = o.op ?? 1;
  fixed[1] = 1;
  fixed[2] = 6;
  fixed.set([0xde, 0xad, 0xbe, 0xef], 4);
  fixed.set(o.mac.split(':').map((h) => Number.parseInt(h, 16)), 28);
  const opts = [opt(53, Uint8Array.of(o.type))];
  if (o.clientId) opts.push(opt(61, o.clientId));
  if (o.hostname) opts.push(opt(12, ascii(o.hostname)));
  if (o.vendorClass) opts.push(opt(60, ascii(o.vendorClass)));
  if (o.prl) opts.push(opt(55, Uint8Array.from(o.prl)));
  if (o.fqdn) opts.push(opt(81, concat(Uint8Array.of(0, 0, 0), ascii(o.fqdn))));
  return concat(fixed, u32be(0x63825363), ...opts, Uint8Array.of(255));
}

export const dnsName = (name: string) => concat(...name.split('.').filter((l) => l.length > 0).map((l) => concat(Uint8Array.of(ascii(l).length), ascii(l))), Uint8Array.of(0));

export interface Rr {
  name: Uint8Array;
  type: number;
  ttl?: number;
  cls?: number;
  data: Uint8Array;
}

export const rr = (r: Rr) => concat(r.name, u16be(r.type), u16be(r.cls ?? 1), u32be(r.ttl ?? 120), u16be(r.data.length), r.data);
export const txt = (...strings: string[]) => concat(...strings.map((s) => concat(Uint8Array.of(ascii(s).length), ascii(s))));

export function dnsMessage(o: { id?: number; flags: number; questions?: { name: string; type: number; cls?: number }[]; answers?: Uint8Array[]; additionals?: Uint8Array[] }): Uint8Array {
  const qs = (o.questions ?? []).map((q) => concat(dnsName(q.name), u16be(q.type), u16be(q.cls ?? 1)));
  return concat(u16be(o.id ?? 0x1234), u16be(o.flags), u16be(qs.length), u16be(o.answers?.length ?? 0), u16be(0), u16be(o.additionals?.length ?? 0), ...qs, ...(o.answers ?? []), ...(o.additionals ?? []));
}

const tlv = (tag: number, value: Uint8Array) => {
  const len = value.length < 128 ? Uint8Array.of(value.length) : Uint8Array.of(0x82, value.length >> 8, value.length & 255);
  return concat(Uint8Array.of(tag), len, value);
};
const int = (n: number) => tlv(0x02, n < 128 ? Uint8Array.of(n) : Uint8Array.of((n >> 8) & 255, n & 255));
function oid(text: string): Uint8Array {
  const arcs = text.split('.').map(Number);
  const out = [40 * (arcs[0] as number) + (arcs[1] as number)];
  for (const a of arcs.slice(2)) {
    const bytes = [a & 0x7f];
    for (let v = a >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Uint8Array.from(out));
}

export function snmp(o: { version: 0 | 1; community: string; pdu: number; requestId: number; varbinds: { oid: string; value?: string }[] }): Uint8Array {
  const vbs = o.varbinds.map((v) => tlv(0x30, concat(oid(v.oid), v.value === undefined ? Uint8Array.of(0x05, 0) : tlv(0x04, ascii(v.value)))));
  const pdu = tlv(o.pdu, concat(int(o.requestId), int(0), int(0), tlv(0x30, concat(...vbs))));
  return tlv(0x30, concat(int(o.version), tlv(0x04, ascii(o.community)), pdu));
}
