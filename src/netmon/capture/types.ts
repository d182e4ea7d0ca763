/**
 * @module What a capture reader hands on: one captured packet (a view into the bytes read, not a
 * copy), the link-layer type numbers we recognise, and the reader options that bound memory.
 */
import type { Micros } from '../model.js';

/** LINKTYPE_* values (tcpdump.org/linktypes.html) the decoder understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW_OPENBSD: 12,
  RAW_BSDOS: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export interface CapturedPacket {
  /** 1-based frame number within this capture stream (matches tshark's frame.number) */
  frame: number;
  /** microseconds since the epoch, truncated */
  ts: Micros;
  /** nanoseconds beyond `ts` (0-999); non-zero only when the capture has sub-microsecond resolution */
  tsNanos: number;
  linkType: number;
  /** pcapng interface id; 0 for classic pcap */
  interfaceId: number;
  caplen: number;
  origLen: number;
  /** captured bytes: a view into the chunk that was read; copy it to keep it beyond the packet's lifetime */
  data: Uint8Array;
  /** offset of the packet's record (pcap) or block (pcapng) in the stream */
  byteOffset: number;
}

/** A name-resolution record from a pcapng NRB. */
export interface NameRecord {
  ip: string;
  names: string[];
}

export interface CaptureParserOptions {
  /** largest captured length accepted for one packet; larger records are a CaptureError (default 256 KiB) */
  maxPacketBytes?: number;
  /** file name put in error messages */
  file?: string;
  onNameRecord?: (record: NameRecord) => void;
}

export const DEFAULT_MAX_PACKET_BYTES = 256 * 1024;
/** pcapng blocks carry options beyond the packet bytes; this much slack is allowed above maxPacketBytes */
export const BLOCK_OPTION_SLACK = 64 * 1024;
