/**
 * @module Turning untrusted bytes into strings that are safe to store and show: bounded length, control
 * characters replaced, lowercase hex for identifiers.
 */

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Default bound for any string a dissector copies into an observation. */
export const MAX_FIELD_CHARS = 256;

/** true when bytes[0, n) are all printable ASCII (0x20-0x7e) */
function allPrintable(bytes: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const c = bytes[i] as number;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Printable ASCII rendering: bytes outside 0x20-0x7e become '.', result at most `max` chars. */
export function printableAscii(bytes: Uint8Array, max = MAX_FIELD_CHARS): string {
  const n = Math.min(bytes.length, max);
  // the usual case (AE titles, UIDs, hostnames): one native decode instead of a string built per char
  if (allPrintable(bytes, n)) return utf8.decode(n === bytes.length ? bytes : bytes.subarray(0, n));
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = bytes[i] as number;
    s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '.';
  }
  return s;
}

/** UTF-8 decoding (invalid sequences become U+FFFD) with control characters stripped and length bounded. */
export function safeUtf8(bytes: Uint8Array, max = MAX_FIELD_CHARS): string {
  const slice = bytes.length > max * 4 ? bytes.subarray(0, max * 4) : bytes;
  return cleanText(utf8.decode(slice), max);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Control characters replaced by '.', bounded. */
export function cleanText(s: string, max = MAX_FIELD_CHARS): string {
  const cleaned = hasControl(s) ? s.replace(CONTROL, '.') : s;
  return cleaned.length > max ? cleaned.slice(0, max) : cleaned;
}

/** a scan is cheaper than running the replacing regex on the usual clean value */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array, maxBytes = 64): string {
  const n = Math.min(bytes.length, maxBytes);
  let s = '';
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    s += (HEX[b >> 4] as string) + (HEX[b & 15] as string);
  }
  return s;
}

/** 4-digit lowercase hex of a 16-bit value (cipher suites, extensions) */
export const hex4 = (v: number): string =>
  // hot in TLS fingerprints: four table lookups instead of toString + padStart for the 16-bit case
  (v & 0xffff) === v
    ? (HEX[v >> 12] as string) + (HEX[(v >> 8) & 15] as string) + (HEX[(v >> 4) & 15] as string) + (HEX[v & 15] as string)
    : v.toString(16).padStart(4, '0');
