import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../core/index.js';
import { firstInvalidOffset, incompleteTailLength, Utf8StreamValidator } from './utf8.js';

function validateInChunks(bytes: Uint8Array, cuts: number[]): Buffer {
  const v = new Utf8StreamValidator('f.csv');
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b), bytes.length]) {
    out.push(v.push(bytes.subarray(prev, c)));
    prev = c;
  }
  v.end();
  return Buffer.concat(out);
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('Utf8StreamValidator', () => {
  it('passes valid text through unchanged however the chunks split multi-byte characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.nat({ max: 800 }), { maxLength: 8 }), (s, cuts) => {
        const bytes = Buffer.from(s, 'utf8');
        expect(validateInChunks(bytes, cuts).equals(bytes)).toBe(true);
      }),
    );
  });

  it.each([
    ['a lone continuation byte', Buffer.from([0x61, 0x80, 0x62]), 1],
    ['an overlong two-byte form of "/"', Buffer.from([0x41, 0xc0, 0xaf]), 1],
    ['a UTF-16 surrogate encoded in UTF-8', Buffer.from([0xed, 0xa0, 0x80]), 0],
    ['a code point above U+10FFFF', Buffer.from([0x41, 0x42, 0xf4, 0x90, 0x80, 0x80]), 2],
    ['a latin-1 "é"', Buffer.from('caf\xe9 ok', 'latin1'), 3],
  ])('rejects %s naming its byte offset', (_name, bytes, offset) => {
    const e = errorOf(() => validateInChunks(bytes, []));
    expect(e.code).toBe('import.invalid_utf8');
    expect(e.location).toMatchObject({ file: 'f.csv', line: 1, byteOffset: offset });
  });

  it('names the line and absolute byte offset of an invalid byte in a later chunk', () => {
    const text = Buffer.concat([Buffer.from('serial,name\nA1,ok\nA2,b'), Buffer.from([0xff]), Buffer.from('d\n')]);
    const e = errorOf(() => validateInChunks(text, [5, 14, 20]));
    expect(e.location).toMatchObject({ line: 3, byteOffset: 22 });
    expect(e.message).toContain('line 3');
    expect(e.message).toContain('byte 22');
  });

  it('rejects input that ends inside a multi-byte character', () => {
    const e = errorOf(() => validateInChunks(Buffer.from([0x61, 0xe2, 0x82]), []));
    expect(e.code).toBe('import.invalid_utf8');
    expect(e.location?.byteOffset).toBe(1);
  });

  it('agrees with the WHATWG fatal decoder on random bytes', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          decoder.decode(bytes);
        } catch {
          valid = false;
        }
        expect(firstInvalidOffset(bytes) === -1).toBe(valid);
        let threw: unknown;
        try {
          validateInChunks(bytes, [bytes.length >> 1]);
        } catch (e) {
          threw = e;
        }
        expect(threw === undefined).toBe(valid);
        if (threw !== undefined) expect(isDomainError(threw)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds back only an unfinished trailing sequence', () => {
    expect(incompleteTailLength(Buffer.from([0x61, 0xe2, 0x82]))).toBe(2);
    expect(incompleteTailLength(Buffer.from([0xe2, 0x82, 0xac]))).toBe(0);
    expect(incompleteTailLength(Buffer.from([0x61, 0xf0]))).toBe(1);
    expect(incompleteTailLength(Buffer.from('abc'))).toBe(0);
  });
});
