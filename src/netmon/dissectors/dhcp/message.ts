/**
 * @module Parses a BOOTP/DHCP message (RFC 2131, RFC 2132 options) tolerantly: the fixed header must be
 * complete, but option parsing stops at the first option that overruns the packet and reports where, so
 * a damaged packet still yields its host name and client id (the same partial view Wireshark gives).
 */
import { ByteReader, concatBytes } from '../support/bytes.js';
import { printableAscii, toHex } from '../support/text.js';

const MAGIC = 0x63825363;
export const DHCP_FIXED = 236;

export interface DhcpMessage {
  op: number;
  htype: number;
  xid: string;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  clientMac: string | null;
  magicCookie: boolean;
  options: Map<number, Uint8Array>;
  /** option codes in wire order (the order itself is a fingerprint) */
  optionOrder: number[];
  truncatedAt: number | null;
  truncatedOption: number | null;
}

const ip = (b: Uint8Array) => `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
const mac = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');

export function parseDhcp(bytes: Uint8Array): DhcpMessage {
  const r: ByteReader = new ByteReader(bytes, 'dhcp');
  const op = r.u8('op');
  const htype = r.u8('htype');
  const hlen = r.u8('hlen');
  r.skip(1, 'hops');
  const xid = toHex(r.take(4, 'xid'));
  r.skip(4, 'secs and flags');
  const ciaddr = ip(r.take(4, 'ciaddr'));
  const yiaddr = ip(r.take(4, 'yiaddr'));
  const siaddr = ip(r.take(4, 'siaddr'));
  const giaddr = ip(r.take(4, 'giaddr'));
  const chaddr = r.take(16, 'chaddr');
  r.skip(64 + 128, 'sname and file');
  const msg: DhcpMessage = {
    op, htype, xid, ciaddr, yiaddr, siaddr, giaddr,
    clientMac: htype === 1 && hlen === 6 ? mac(chaddr.subarray(0, 6)) : null,
    magicCookie: false, options: new Map(), optionOrder: [], truncatedAt: null, truncatedOption: null,
  };
  if (r.remaining < 4 || r.u32be('magic cookie') !== MAGIC) return msg;
  msg.magicCookie = true;
  while (r.remaining > 0) {
    const at = r.offset;
    const code = r.u8('option code');
    if (code === 0) continue;
    if (code === 255) break;
    if (r.remaining < 1 || r.remaining - 1 < (bytes[r.offset] as number)) {
      msg.truncatedAt = at;
      msg.truncatedOption = code;
      break;
    }
    const value = r.take(r.u8('option length'), `option ${code}`);
    if (msg.optionOrder.length < 64) msg.optionOrder.push(code);
    // RFC 3396: a repeated option continues the previous one
    const prev = msg.options.get(code);
    msg.options.set(code, prev ? concatBytes(prev, value) : value);
  }
  return msg;
}

export const MESSAGE_TYPES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM', 'FORCERENEW', 'LEASEQUERY', 'LEASEUNASSIGNED', 'LEASEUNKNOWN', 'LEASEACTIVE', 'BULKLEASEQUERY', 'LEASEQUERYDONE', 'ACTIVELEASEQUERY', 'LEASEQUERYSTATUS', 'TLS'];

export const text = (v: Uint8Array | undefined, max = 128): string | null => (v === undefined ? null : printableAscii(v, max).replace(/\.+$/, ''));

/** option 61: type byte 1 + 6 bytes is a MAC; anything else hex */
export function clientIdentifier(v: Uint8Array | undefined): string | null {
  if (v === undefined || v.length === 0) return null;
  if (v[0] === 1 && v.length === 7) return `01:${mac(v.subarray(1))}`;
  return toHex(v, 64);
}

/** option 81 (RFC 4702): flags, two deprecated rcodes, then the name (wire format when flag E is set) */
export function clientFqdn(v: Uint8Array | undefined): string | null {
  if (v === undefined || v.length < 3) return null;
  const name = v.subarray(3);
  if (((v[0] as number) & 0x04) === 0) return printableAscii(name, 255);
  const labels: string[] = [];
  for (let i = 0; i < name.length; ) {
    const len = name[i] as number;
    if (len === 0 || len > 63 || i + 1 + len > name.length) break;
    labels.push(printableAscii(name.subarray(i + 1, i + 1 + len), 63));
    i += 1 + len;
  }
  return labels.join('.');
}
