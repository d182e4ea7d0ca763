/**
 * @module Bounds-checked reading of untrusted bytes. Every read checks the remaining length first and fails
 * with a DissectorError naming the protocol and the absolute stream offset, so no parser can read past a
 * buffer or misreport where the input went wrong.
 */
import { DissectorError } from '../errors.js';

export class ByteReader {
  private pos: number;
  private readonly end: number;

  /**
   * @param base stream offset of `bytes[0]`, so errors name the position in the whole direction's stream
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly protocol: string,
    readonly base = 0,
    start = 0,
    end = bytes.length,
  ) {
    this.pos = start;
    this.end = Math.min(end, bytes.length);
  }

  /** absolute stream offset of the next byte */
  get offset(): number {
    return this.base + this.pos;
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(reason: string, message: string, at = this.offset): never {
    throw new DissectorError(this.protocol, reason, message, at);
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.end - this.pos < n) this.fail('truncated', `${what} needs ${n} bytes, ${this.end - this.pos} left`);
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  u16be(what = 'u16'): number {
    this.need(2, what);
    const b = this.bytes;
    const v = ((b[this.pos] as number) << 8) | (b[this.pos + 1] as number);
    this.pos += 2;
    return v;
  }

  u16le(what = 'u16'): number {
    this.need(2, what);
    const b = this.bytes;
    const v = (b[this.pos] as number) | ((b[this.pos + 1] as number) << 8);
    this.pos += 2;
    return v;
  }

  u24be(what = 'u24'): number {
    this.need(3, what);
    const b = this.bytes;
    const v = ((b[this.pos] as number) << 16) | ((b[this.pos + 1] as number) << 8) | (b[this.pos + 2] as number);
    this.pos += 3;
    return v;
  }

  u32be(what = 'u32'): number {
    this.need(4, what);
    const v = readU32be(this.bytes, this.pos);
    this.pos += 4;
    return v;
  }

  u32le(what = 'u32'): number {
    this.need(4, what);
    const b = this.bytes;
    const p = this.pos;
    const v = ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;
    this.pos += 4;
    return v;
  }

  /** a view (not a copy) of the next n bytes */
  take(n: number, what = 'field'): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, what = 'field'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** a reader over the next n bytes (consumed from this one); offsets stay absolute */
  sub(n: number, what = 'field'): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.bytes, this.protocol, this.base, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** the remaining bytes as a view, consuming them */
  rest(): Uint8Array {
    const v = this.bytes.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }
}

export const readU16be = (b: Uint8Array, o: number): number => ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
export const readU32be = (b: Uint8Array, o: number): number =>
  (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;

/** true when `bytes` starts with the ASCII text `prefix` */
export function startsWithAscii(bytes: Uint8Array, prefix: string, at = 0): boolean {
  if (bytes.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** true when the first min(len, prefix.length) bytes agree with `prefix`: a partial match means "need more" */
export function prefixAgrees(bytes: Uint8Array, prefix: string): boolean {
  const n = Math.min(bytes.length, prefix.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** index of `byte` in bytes[from, to), or -1 */
export function indexOfByte(bytes: Uint8Array, byte: number, from = 0, to = bytes.length): number {
  const end = Math.min(to, bytes.length);
  for (let i = Math.max(0, from); i < end; i++) if (bytes[i] === byte) return i;
  return -1;
}

/** a followed by b, in a new array */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
