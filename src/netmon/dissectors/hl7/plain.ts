/**
 * @module Byte-level versions of the segments.ts readers for the common case, so a message costs no text
 * decoding, splitting into arrays or regex cleaning. They give exactly the segments.ts results when:
 * - MSH, MSA: every byte of the segment is printable ASCII (decoding is then the identity and cleanText
 *   only truncates);
 * - PID: the field separator is ASCII (UTF-8 never uses an ASCII byte inside a multi-byte character, so
 *   splitting the bytes splits the text at the same places, and a non-ASCII byte always decodes to a
 *   character that is not one of the "empty" ones).
 * Callers fall back to segments.ts otherwise. hl7.test.ts checks the two agree.
 */
import { delimiters, EMPTY_CHARS, MAX_VALUE, PID_IDENTIFIERS, type AckInfo, type Delimiters, type MshInfo } from './segments.js';

const latin1 = new TextDecoder('latin1');
const CIRCUMFLEX = 0x5e;

const fromCharCode = String.fromCharCode;

/**
 * Printable ASCII bytes [start, end) as text. String.fromCharCode with several arguments makes a flat
 * string in one step; a loop of `+=` makes a string per character and a TextDecoder call costs more than
 * a short field (measured: 7 chars 20 ns vs 68 ns vs 146 ns).
 */
function build(b: Uint8Array, s: number, e: number): string {
  switch (e - s) {
    case 0: return '';
    case 1: return fromCharCode(b[s] as number);
    case 2: return fromCharCode(b[s] as number, b[s + 1] as number);
    case 3: return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number);
    case 4: return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number);
    case 5: return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number);
    case 6: return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number);
    case 7: return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number);
    case 8: return fromCharCode(b[s] as number, b[s + 1] as number, b[s + 2] as number, b[s + 3] as number, b[s + 4] as number, b[s + 5] as number, b[s + 6] as number, b[s + 7] as number);
    default: return e - s > 32 ? latin1.decode(b.subarray(s, e)) : build(b, s, s + 8) + build(b, s + 8, e);
  }
}

/** build() cut to MAX_VALUE chars, as cleanText cuts */
const text = (b: Uint8Array, start: number, end: number): string => build(b, start, Math.min(end, start + MAX_VALUE));

/** index of the first `byte` in [start, end), or end */
function until(b: Uint8Array, start: number, end: number, byte: number): number {
  for (let i = start; i < end; i++) if (b[i] === byte) return i;
  return end;
}

// bounds of the parts of one split (reused: parsing is synchronous and never nested)
const starts = new Int32Array(12);
const ends = new Int32Array(12);

/** like text.split(sep) but records only the first `max` parts' bounds; returns how many parts there are (<= max) */
function split(b: Uint8Array, start: number, end: number, sep: number, max: number): number {
  let count = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    if (b[i] !== sep) continue;
    starts[count] = from;
    ends[count] = i;
    from = i + 1;
    if (++count === max) return count;
  }
  starts[count] = from;
  ends[count] = end;
  return count + 1;
}

/** whole part k (segments.ts `whole`), '' if absent */
const part = (b: Uint8Array, k: number, count: number): string => (k < count ? text(b, starts[k] as number, ends[k] as number) : '');

/** first component of part k (segments.ts `first`), '' if absent */
function firstOf(b: Uint8Array, k: number, count: number, component: number): string {
  if (k >= count) return '';
  const s = starts[k] as number;
  return text(b, s, until(b, s, ends[k] as number, component));
}

/** the same Delimiters object for the same separators (printable ASCII, so at most 95 * 95 entries) */
const DELIMITERS = new Map<number, Delimiters>();
function delimitersOf(field: number, component: number): Delimiters {
  const key = (field << 8) | component;
  let d = DELIMITERS.get(key);
  if (d === undefined) DELIMITERS.set(key, (d = delimiters(String.fromCharCode(field), String.fromCharCode(component))));
  return d;
}

/** parseMsh for a printable-ASCII segment b[start, end) */
export function parseMshPlain(b: Uint8Array, start: number, end: number): MshInfo | undefined {
  if (end - start < 4 || b[start] !== 0x4d || b[start + 1] !== 0x53 || b[start + 2] !== 0x48) return undefined;
  const field = b[start + 3] as number;
  const count = split(b, start, end, field, 12);
  // parts[1] is MSH-2 (encoding characters); MSH-n is parts[n - 1] from MSH-2 on
  const component = count > 1 && (ends[1] as number) > (starts[1] as number) ? (b[starts[1] as number] as number) : CIRCUMFLEX;
  // MSH-9 type^trigger^structure
  let type = '';
  let trigger = '';
  let structure = '';
  if (count > 8) {
    const s = starts[8] as number;
    const e = ends[8] as number;
    const c1 = until(b, s, e, component);
    type = text(b, s, c1);
    if (c1 < e) {
      const c2 = until(b, c1 + 1, e, component);
      trigger = text(b, c1 + 1, c2);
      if (c2 < e) structure = text(b, c2 + 1, until(b, c2 + 1, e, component));
    }
  }
  return {
    delimiters: delimitersOf(field, component),
    sendingApplication: firstOf(b, 2, count, component),
    sendingFacility: firstOf(b, 3, count, component),
    receivingApplication: firstOf(b, 4, count, component),
    receivingFacility: firstOf(b, 5, count, component),
    dateTime: firstOf(b, 6, count, component),
    messageType: type,
    triggerEvent: trigger,
    messageStructure: structure,
    controlId: part(b, 9, count),
    processingId: firstOf(b, 10, count, component),
    version: firstOf(b, 11, count, component),
  };
}

/** parseMsa for a printable-ASCII segment whose field separator is ASCII (d.fieldByte >= 0) */
export function parseMsaPlain(b: Uint8Array, start: number, end: number, d: Delimiters): AckInfo {
  const count = split(b, start, end, d.fieldByte, 3);
  const code = count > 1 ? text(b, starts[1] as number, Math.min(ends[1] as number, (starts[1] as number) + 2)) : '';
  return { code, controlId: part(b, 2, count) };
}

const EMPTY_BYTE = new Uint8Array(256);
for (let i = 0; i < EMPTY_CHARS.length; i++) EMPTY_BYTE[EMPTY_CHARS.charCodeAt(i)] = 1;
const LAST_PID_FIELD = Math.max(...PID_IDENTIFIERS.map(([n]) => n));

/** pidIdentifiersPresent on bytes, for an ASCII field separator `sep` (any bytes in the segment) */
export function pidIdentifiersPresentBytes(b: Uint8Array, start: number, end: number, sep: number): string[] {
  // bit n: PID-n holds something other than delimiters and spaces
  let valued = 0;
  let field = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c === sep) {
      if (++field > LAST_PID_FIELD) break;
    } else if (EMPTY_BYTE[c] === 0) valued |= 1 << field;
  }
  const present: string[] = [];
  for (const [n, name] of PID_IDENTIFIERS) if (valued & (1 << n)) present.push(name);
  return present;
}
