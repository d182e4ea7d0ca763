/** @module Unaligned integer reads from byte arrays in either byte order (faster than a DataView per chunk). */

export const u16le = (b: Uint8Array, o: number): number => (b[o] as number) | ((b[o + 1] as number) << 8);
export const u16be = (b: Uint8Array, o: number): number => ((b[o] as number) << 8) | (b[o + 1] as number);
export const u32le = (b: Uint8Array, o: number): number =>
  ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
export const u32be = (b: Uint8Array, o: number): number =>
  (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;

export const u16 = (b: Uint8Array, o: number, le: boolean): number => (le ? u16le(b, o) : u16be(b, o));
export const u32 = (b: Uint8Array, o: number, le: boolean): number => (le ? u32le(b, o) : u32be(b, o));
