/**
 * @module pcapng as written by an extraction whose packets have several link types: one section,
 * one interface per link type (nanosecond if_tsresol where the packets had sub-microsecond times),
 * and an enhanced packet block per packet with the captured bytes unchanged. Little-endian.
 */
import type { Micros } from '../model.js';

const SHB_BYTES = 28;
const IDB_BYTES = 20;
const IDB_TSRESOL_BYTES = IDB_BYTES + 12;
const EPB_OVERHEAD = 32;

const pad4 = (n: number): number => (n + 3) & ~3;

export const pcapngEpbBytes = (caplen: number): number => EPB_OVERHEAD + pad4(caplen);

export interface OutInterface {
  linkType: number;
  nanos: boolean;
}

export function pcapngHeaderBytes(interfaces: readonly OutInterface[]): number {
  return SHB_BYTES + interfaces.reduce((n, i) => n + (i.nanos ? IDB_TSRESOL_BYTES : IDB_BYTES), 0);
}

/** The section header and the interface blocks, in the order given (interface i is interfaces[i]). */
export function pcapngHeader(interfaces: readonly OutInterface[]): Uint8Array {
  const out = new Uint8Array(pcapngHeaderBytes(interfaces));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x0a0d0d0a, true);
  v.setUint32(4, SHB_BYTES, true);
  v.setUint32(8, 0x1a2b3c4d, true);
  v.setUint16(12, 1, true);
  v.setUint16(14, 0, true);
  // section length unknown (-1): the file is streamed
  v.setInt32(16, -1, true);
  v.setInt32(20, -1, true);
  v.setUint32(24, SHB_BYTES, true);
  let at = SHB_BYTES;
  for (const i of interfaces) {
    const len = i.nanos ? IDB_TSRESOL_BYTES : IDB_BYTES;
    v.setUint32(at, 1, true);
    v.setUint32(at + 4, len, true);
    v.setUint16(at + 8, i.linkType, true);
    // snaplen 0: no limit declared
    v.setUint32(at + 12, 0, true);
    if (i.nanos) {
      v.setUint16(at + 16, 9, true); // if_tsresol
      v.setUint16(at + 18, 1, true);
      out[at + 20] = 9; // 10^-9 s
      v.setUint16(at + 24, 0, true); // opt_endofopt
      v.setUint16(at + 26, 0, true);
    }
    v.setUint32(at + len - 4, len, true);
    at += len;
  }
  return out;
}

/** Writes one enhanced packet block at out[at]; returns its length. */
export function writeEpb(out: Uint8Array, at: number, interfaceId: number, ts: Micros, tsNanos: number, nanos: boolean, data: Uint8Array, origLen: number): number {
  const len = pcapngEpbBytes(data.length);
  const v = new DataView(out.buffer, out.byteOffset + at, len);
  // nanoseconds since the epoch pass 2^53: exact only as a BigInt
  const units = nanos ? BigInt(ts) * 1000n + BigInt(tsNanos) : BigInt(ts);
  v.setUint32(0, 6, true);
  v.setUint32(4, len, true);
  v.setUint32(8, interfaceId, true);
  v.setUint32(12, Number(units >> 32n), true);
  v.setUint32(16, Number(units & 0xffffffffn), true);
  v.setUint32(20, data.length, true);
  v.setUint32(24, origLen, true);
  out.set(data, at + 28);
  out.fill(0, at + 28 + data.length, at + len - 4);
  v.setUint32(len - 4, len, true);
  return len;
}
