/** @module Tells a capture format from its first four bytes (magic number). */
import { u32 } from './bytes.js';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap.js';
import { PCAPNG_SHB } from './pcapng.js';

export type CaptureFormatName = 'pcap' | 'pcapng';

export interface DetectedFormat {
  format: CaptureFormatName;
  /** byte order of a pcap file; pcapng declares it per section */
  littleEndian?: boolean;
  nanosecond?: boolean;
}

/** Sniffs `head` (at least 4 bytes); undefined when the bytes are no capture format we read. */
export function detectCaptureFormat(head: Uint8Array): DetectedFormat | undefined {
  if (head.length < 4) return undefined;
  const le = u32(head, 0, true);
  const be = u32(head, 0, false);
  if (be === PCAPNG_SHB) return { format: 'pcapng' };
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return { format: 'pcap', littleEndian: true, nanosecond: le === PCAP_MAGIC_NS };
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return { format: 'pcap', littleEndian: false, nanosecond: be === PCAP_MAGIC_NS };
  return undefined;
}

/** A short human description of bytes that are not a capture, for error messages. */
export function describeUnknownMagic(head: Uint8Array): string {
  const hex = Array.from(head.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  if (head[0] === 0x1f && head[1] === 0x8b) return `gzip data (${hex}); decompress it first`;
  if (u32(head, 0, false) === 0xa1b2cd34 || u32(head, 0, true) === 0xa1b2cd34) return `modified (Kuznetzov) pcap (${hex}), not supported`;
  return `magic ${hex}`;
}
