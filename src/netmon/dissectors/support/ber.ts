/**
 * @module Minimal BER (X.690) reading for SNMP: single-byte tags, definite lengths up to 4 bytes, INTEGER,
 * OCTET STRING and OBJECT IDENTIFIER. Indefinite lengths and high tag numbers are rejected: SNMP never
 * uses them and accepting them would only widen the attack surface.
 */
import type { ByteReader } from './bytes.js';

const MAX_ARCS = 128;

export interface Tlv {
  tag: number;
  value: ByteReader;
  at: number;
}

export function readTlv(r: ByteReader, what: string): Tlv {
  const at = r.offset;
  const tag = r.u8(`${what} tag`);
  if ((tag & 0x1f) === 0x1f) r.fail('bad-ber', `${what}: high tag numbers are not supported`, at);
  const first = r.u8(`${what} length`);
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) r.fail('bad-ber', `${what}: ${n === 0 ? 'indefinite' : 'oversized'} length`, at + 1);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + r.u8(`${what} length`);
  }
  return { tag, value: r.sub(length, what), at };
}

export function expectTlv(r: ByteReader, tag: number, what: string): ByteReader {
  const t = readTlv(r, what);
  if (t.tag !== tag) r.fail('bad-ber', `${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`, t.at);
  return t.value;
}

/** INTEGER as a JS number; values beyond 6 bytes are clamped rather than losing precision silently */
export function integer(v: ByteReader): number {
  const bytes = v.rest();
  if (bytes.length === 0) return 0;
  let n = (bytes[0] as number) & 0x80 ? -1 : 0;
  for (let i = 0; i < Math.min(bytes.length, 6); i++) n = n * 256 + (bytes[i] as number);
  return n;
}

export function oid(v: ByteReader): string {
  const bytes = v.rest();
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < bytes.length && arcs.length < MAX_ARCS; i++) {
    const b = bytes[i] as number;
    acc = acc * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(acc < 80 ? Math.floor(acc / 40) : 2, acc < 80 ? acc % 40 : acc - 80);
    else arcs.push(acc);
    acc = 0;
  }
  return arcs.join('.');
}
