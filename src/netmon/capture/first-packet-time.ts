/**
 * @module The timestamp of a capture file's first packet, read from a bounded prefix with the same
 * parser that reads whole captures (pcap byte order and µs/ns magic; pcapng sections, interfaces with
 * if_tsresol/if_tsoffset, and the first EPB or PB; an SPB carries no time and is passed over). It is
 * what orders the files of a rotating capture directory and tells a rewritten ring file from the old one.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Micros } from '../model.js';
import { u32be, u32le } from './bytes.js';
import { isCaptureError, type CaptureErrorCode } from './errors.js';
import { CaptureParser } from './parser.js';

/** What the start of a capture file says about its first packet. */
export type FirstPacket =
  | { kind: 'packet'; ts: Micros; tsNanos: number }
  /** a valid start of a capture without a timestamped packet in the bytes looked at (empty, header only, still being written) */
  | { kind: 'none' }
  /** not a capture we can read (or the file could not be read); readCapture reports why */
  | { kind: 'unparseable'; code: CaptureErrorCode | 'unreadable'; message: string };

/** How much of a file is looked at, at most: enough for headers, interface blocks and a jumbo first packet. */
export const FIRST_PACKET_PREFIX_BYTES = 1024 * 1024;
/** Reads grow to the limit only when needed: most first packets end within the first few KiB. */
const READ_STEPS = [4 * 1024, 64 * 1024];

const SIMPLE_PACKET_BLOCK = 3;
/** Thrown out of the parser's callback to stop at the first packet; never escapes this module. */
const FOUND = Symbol('first packet found');

/**
 * The first timestamped packet in `prefix` (the first bytes of a capture file, possibly cut anywhere).
 * Pure; never throws.
 */
export function firstPacketTime(prefix: Uint8Array, file?: string): FirstPacket {
  let found: FirstPacket = { kind: 'none' };
  const parser: CaptureParser = new CaptureParser(
    (p) => {
      // The prefix is pushed as one chunk, so a block's stream offset is its offset in `prefix`.
      if (parser.format === 'pcapng' && isSimplePacketBlock(prefix, p.byteOffset)) return;
      found = { kind: 'packet', ts: p.ts, tsNanos: p.tsNanos };
      throw FOUND;
    },
    file === undefined ? {} : { file },
  );
  try {
    // No end(): a prefix cut inside a record is a file still being written (or cut by the limit).
    parser.push(prefix);
  } catch (e) {
    if (e === FOUND) return found;
    if (isCaptureError(e)) return { kind: 'unparseable', code: e.code, message: e.message };
    return { kind: 'unparseable', code: 'unreadable', message: e instanceof Error ? e.message : String(e) };
  }
  return found;
}

/**
 * Only EPB (6), PB (2) and SPB (3) carry packets, and neither 6 nor 2 reads 3 in the other byte order,
 * so the type word tells an SPB without knowing the section's byte order.
 */
const isSimplePacketBlock = (b: Uint8Array, off: number): boolean =>
  off + 4 <= b.length && (u32le(b, off) === SIMPLE_PACKET_BLOCK || u32be(b, off) === SIMPLE_PACKET_BLOCK);

/**
 * The first packet of the capture file at `path`, reading at most `limit` bytes (4 KiB first, more only
 * when the first packet is not within them). Throws only when the file cannot be opened or read.
 */
export async function readFirstPacketTime(path: string, limit = FIRST_PACKET_PREFIX_BYTES): Promise<FirstPacket> {
  const fh = await open(path, 'r');
  try {
    return await readFirstPacketTimeOf(fh, path, limit);
  } finally {
    await fh.close();
  }
}

/** readFirstPacketTime of a file already open (a reader checking that the file it reads was not rewritten). */
export async function readFirstPacketTimeOf(fh: FileHandle, path?: string, limit = FIRST_PACKET_PREFIX_BYTES): Promise<FirstPacket> {
  for (const step of [...READ_STEPS.filter((s) => s < limit), limit]) {
    const buf = new Uint8Array(step);
    let filled = 0;
    // A regular file fills the buffer in one read unless it ends first; loop for other file systems.
    for (;;) {
      const { bytesRead } = await fh.read(buf, filled, step - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === step) break;
    }
    const first = firstPacketTime(buf.subarray(0, filled), path);
    if (first.kind !== 'none' || filled < step) return first;
  }
  return { kind: 'none' };
}

/** Whether two looks at a file's start found the same first packet. */
export const sameFirstPacket = (a: FirstPacket, b: FirstPacket): boolean =>
  a.kind === 'packet' && b.kind === 'packet' ? a.ts === b.ts && a.tsNanos === b.tsNanos : a.kind === b.kind;
