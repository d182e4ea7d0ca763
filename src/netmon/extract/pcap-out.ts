/**
 * @module Classic pcap as written by an extraction: little-endian, microsecond or nanosecond magic,
 * one link type; a record is its 16-byte header and the captured bytes unchanged.
 */
import { DEFAULT_MAX_PACKET_BYTES } from '../capture/index.js';
import type { Micros } from '../model.js';

export const PCAP_HEADER_BYTES = 24;
const RECORD_HEADER = 16;

export const pcapRecordBytes = (caplen: number): number => RECORD_HEADER + caplen;

export function pcapHeader(linkType: number, nanos: boolean): Uint8Array {
  const out = new Uint8Array(PCAP_HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, nanos ? 0xa1b23c4d : 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  // The reader takes records up to this size, so no packet read can be larger.
  v.setUint32(16, DEFAULT_MAX_PACKET_BYTES, true);
  v.setUint32(20, linkType, true);
  return out;
}

/** Writes one record at out[at]; returns its length. */
export function writePcapRecord(out: Uint8Array, at: number, ts: Micros, tsNanos: number, nanos: boolean, data: Uint8Array, origLen: number): number {
  const v = new DataView(out.buffer, out.byteOffset + at, RECORD_HEADER);
  const sec = Math.floor(ts / 1_000_000);
  const us = ts - sec * 1_000_000;
  v.setUint32(0, sec, true);
  v.setUint32(4, nanos ? us * 1000 + tsNanos : us, true);
  v.setUint32(8, data.length, true);
  v.setUint32(12, origLen, true);
  out.set(data, at + RECORD_HEADER);
  return RECORD_HEADER + data.length;
}
