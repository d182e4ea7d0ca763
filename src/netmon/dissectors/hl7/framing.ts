/**
 * @module The parts of HL7 v2 stream splitting (stream.ts) that are not the splitter itself: what a
 * message sink receives, the line-ending bits, and the byte tests for a stream's first byte and for a
 * header segment.
 */
import type { FrameMeta } from '../../model.js';
import { isAlnum } from './mid-stream.js';

const VT = 0x0b;
export const BOM = [0xef, 0xbb, 0xbf];

/** Line endings seen in a message, as bits of one number (a Set of strings per message was measurable) */
export const ENDING_CR = 1;
export const ENDING_CRLF = 2;
export const ENDING_LF = 4;

export type Framing = 'mllp' | 'raw';

export interface MessageSink {
  /**
   * A segment of the current message: `bytes[start, end)`, truncated to MAX_SEGMENT_KEEP and valid only
   * during the call. `plain` is true only if every byte is printable ASCII (0x20-0x7e).
   */
  segment(bytes: Uint8Array, start: number, end: number, plain: boolean, meta: FrameMeta): void;
  /** the current message ended; `endings` holds ENDING_* bits */
  end(framing: Framing, bytes: number, endings: number, finalTerminator: boolean, meta: FrameMeta): void;
  /** a stream that began inside a message (or after a gap) is read from a message start `skippedBytes` in */
  synced(skippedBytes: number, meta: FrameMeta): void;
  /** no message start within the scan limit: the rest of the stream is not read (called once) */
  lost(meta: FrameMeta): void;
}

/** A stream opening with a start block or a byte order mark is read from its first byte; any other is synced (a header at its very start counts). */
export function initialMode(b0: number): 'mllp' | 'raw' | 'syncing' {
  if (b0 === VT) return 'mllp';
  return b0 === BOM[0] ? 'raw' : 'syncing';
}

export const indexOr = (data: Uint8Array, byte: number, from: number): number => {
  const i = data.indexOf(byte, from);
  return i < 0 ? data.length : i;
};


/** MSH, BHS or FHS followed by a separator, checked on bytes so ordinary segments are never decoded */
export function isHeaderSegment(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 4) return false;
  const c3 = b[start + 3] as number;
  if (isAlnum(c3) || c3 <= 0x20) return false;
  const c0 = b[start];
  const c1 = b[start + 1];
  const c2 = b[start + 2];
  if (c0 === 0x4d) return c1 === 0x53 && c2 === 0x48; // MSH
  return (c0 === 0x42 || c0 === 0x46) && c1 === 0x48 && c2 === 0x53; // BHS, FHS
}

/** line-ending bits as the sorted names observations carry (a fresh array each time) */
const ENDING_NAMES: readonly (readonly string[])[] = Array.from({ length: 8 }, (_, bits) =>
  [bits & ENDING_CR ? 'CR' : '', bits & ENDING_CRLF ? 'CRLF' : '', bits & ENDING_LF ? 'LF' : ''].filter((s) => s !== ''),
);
export const endingNames = (bits: number): string[] => (ENDING_NAMES[bits & 7] as readonly string[]).slice();
