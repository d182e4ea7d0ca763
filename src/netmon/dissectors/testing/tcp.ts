/** @module Builders for TCP legacy protocols used by tests: SMB negotiate, RDP connection request/confirm. */
import { ascii, concat, u16be, u16le, u32le } from './harness.js';

const nbss = (msg: Uint8Array) => concat(Uint8Array.of(0, 0), u16be(msg.length), msg);

export function smb1Negotiate(dialects: string[], reply = false): Uint8Array {
  const header = new Uint8Array(32);
  header.set([0xff, 0x53, 0x4d, 0x42, 0x72]);
  header[9] = reply ? 0x80 : 0x18;
  const bytes = concat(...dialects.map((d) => concat(Uint8Array.of(2), ascii(d), Uint8Array.of(0))));
  return nbss(concat(header, Uint8Array.of(0), u16le(bytes.length), bytes));
}

export function smb2Negotiate(o: { response: boolean; dialects: number[]; securityMode: number }): Uint8Array {
  const header = new Uint8Array(64);
  header.set([0xfe, 0x53, 0x4d, 0x42, 64, 0]);
  header.set(u32le(o.response ? 1 : 0), 16);
  const body = o.response
    ? concat(u16le(65), u16le(o.securityMode), u16le(o.dialects[0] ?? 0), new Uint8Array(58))
    : concat(u16le(36), u16le(o.dialects.length), u16le(o.securityMode), new Uint8Array(2 + 4 + 16 + 8), ...o.dialects.map(u16le));
  return nbss(concat(header, body));
}

const tpkt = (x224: Uint8Array) => concat(Uint8Array.of(3, 0), u16be(x224.length + 4), x224);

export function rdpRequest(user: string | undefined, protocols: number | undefined): Uint8Array {
  const cookie = user === undefined ? new Uint8Array(0) : ascii(`Cookie: mstshash=${user}\r\n`);
  const neg = protocols === undefined ? new Uint8Array(0) : concat(Uint8Array.of(1, 0), u16le(8), u32le(protocols));
  const tpdu = concat(Uint8Array.of(0xe0, 0, 0, 0, 0, 0), cookie, neg);
  return tpkt(concat(Uint8Array.of(tpdu.length), tpdu));
}

export function rdpConfirm(selected: number): Uint8Array {
  const tpdu = concat(Uint8Array.of(0xd0, 0, 0, 0x12, 0x34, 0), Uint8Array.of(2, 0), u16le(8), u32le(selected));
  return tpkt(concat(Uint8Array.of(tpdu.length), tpdu));
}
