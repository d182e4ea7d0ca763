/**
 * @module Strict, streaming UTF-8 validation. Chunk boundaries may split a multi-byte character,
 * so an incomplete tail is held back and prepended to the next chunk; downstream parsers therefore
 * only ever see whole characters. The fast path is the native `isUtf8`; the exact offset of a bad
 * sequence is searched for only once validation has failed.
 */
import { isUtf8 } from 'node:buffer';
import { importError } from './errors.js';

const LF = 0x0a;

export class Utf8StreamValidator {
  private carry: Buffer | undefined;
  /** absolute offset of the first byte not yet handed downstream */
  private offset = 0;
  /** newlines seen in bytes already handed downstream (for error locations) */
  private newlines = 0;

  constructor(private readonly file?: string) {}

  /** Bytes handed downstream so far. */
  get bytesValidated(): number {
    return this.offset;
  }

  /** Validates `chunk` and returns the whole characters it completes (possibly empty). */
  push(chunk: Uint8Array): Buffer {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = undefined;
    }
    const tail = incompleteTailLength(buf);
    const body = tail === 0 ? buf : buf.subarray(0, buf.length - tail);
    if (!isUtf8(body)) this.fail(body, firstInvalidOffset(body));
    if (tail !== 0) this.carry = Buffer.from(buf.subarray(buf.length - tail));
    this.newlines += countNewlines(body, body.length);
    this.offset += body.length;
    return body;
  }

  /** Call at end of input: a held-back partial character is a truncated sequence. */
  end(): void {
    if (this.carry) this.fail(this.carry, 0, 'the input ends inside a multi-byte UTF-8 sequence');
  }

  private fail(body: Buffer, at: number, reason?: string): never {
    const line = this.newlines + countNewlines(body, at) + 1;
    const byteOffset = this.offset + at;
    const bad = body.subarray(at, Math.min(body.length, at + 4));
    const hex = [...bad].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw importError(
      'import.invalid_utf8',
      `${reason ?? 'the input is not valid UTF-8'}: invalid byte sequence ${hex}`,
      { ...(this.file ? { file: this.file } : {}), line, byteOffset },
      { bytes: hex },
    );
  }
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  let i = buf.indexOf(LF);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(LF, i + 1);
  }
  return n;
}

/** Length (1..3) of a lead byte plus continuations at the end that still lack bytes, else 0. */
export function incompleteTailLength(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Offset of the first byte of the first invalid sequence (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), or -1 when the buffer is valid.
 */
export function firstInvalidOffset(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = buf[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}
