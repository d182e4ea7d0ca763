/** @module Unaligned integer reads from byte arrays in either byte order (faster than a DataView per chunk). */

export const u16le = (b: Uint8Array, o: number): number => (b[o] as number) | ((b[o + 1] as number) << 8);
export const u16be = (b: Uint8Array, o: number): number => ((b[o] as number) << 8) | (b[o + 1] as number);
export const u32le = (b: Uint8Array, o: number): number =>
  ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
export const u32be = (b: Uint8Array, o: number): number =>
  (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;

export const u16 = (b: Uint8Array, o: number, le: boolean): number => (le ? u16le(b, o) : u16be(b, o));
export const u32 = (b: Uint8Array, o: number, le: boolean): number => (le ? u32le(b, o) : u32be(b, o));

/**
 * The plain Uint8Array view b[start, end) (bounds already checked by the caller). The constructor is
 * faster than `subarray`, which goes through the species lookup; hot paths that make many views of
 * one buffer also keep its `buffer` and `byteOffset`, whose getters cost about as much again.
 */
export const view = (b: Uint8Array, start: number, end: number): Uint8Array =>
  new Uint8Array(b.buffer, b.byteOffset + start, end - start);
