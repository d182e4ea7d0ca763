/**
 * @module Big-endian reads for NetFlow/IPFIX. Callers check bounds first; these never read past what
 * they are told. Unsigned integers of 1-8 bytes (IPFIX reduced-size encoding, RFC 7011 §6.2) become
 * JS numbers: exact below 2^53, which no real octet counter reaches.
 */
import { ipv4FromNumber, ipv6String } from '../../capture/index.js';

export const u8 = (b: Uint8Array, o: number): number => b[o] as number;
export const u16 = (b: Uint8Array, o: number): number => ((b[o] as number) << 8) | (b[o + 1] as number);
export const u32 = (b: Uint8Array, o: number): number =>
  (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;

/** Unsigned integer of `len` bytes (1-8); longer fields keep their low 8 bytes. */
export function uint(b: Uint8Array, o: number, len: number): number {
  // the common widths first: this runs once per field of every record
  if (len === 4) return u32(b, o);
  if (len === 2) return u16(b, o);
  if (len === 1) return b[o] as number;
  let v = 0;
  const from = len > 8 ? o + len - 8 : o;
  for (let i = from; i < o + len; i++) v = v * 256 + (b[i] as number);
  return v;
}

export const ipv4At = (b: Uint8Array, o: number): string => ipv4FromNumber(u32(b, o));
export const ipv6At = ipv6String;

/** Seconds between the NTP era 0 epoch (1900) and the Unix epoch. */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

/** An RFC 7011 dateTimeMicroseconds/Nanoseconds value (NTP 64-bit timestamp) as epoch milliseconds. */
export function ntpToMs(b: Uint8Array, o: number): number {
  const secs = u32(b, o);
  const frac = u32(b, o + 4);
  return (secs - NTP_UNIX_OFFSET_S) * 1000 + (frac / 0x1_0000_0000) * 1000;
}
