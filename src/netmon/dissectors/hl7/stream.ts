/**
 * @module Splits one direction of an HL7 v2 stream into messages and segments, with or without MLLP
 * (0x0B ... 0x1C 0x0D). Tolerant of LF or CRLF segment terminators and a missing final CR; bounded: only
 * the first MAX_SEGMENT_KEEP bytes of a segment are kept, and a frame larger than MAX_MESSAGE_BYTES is an
 * error (the stream is not HL7 or has lost sync).
 */
import type { FrameMeta } from '../../model.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { DissectorError } from '../errors.js';

export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** MSH, MSA and PID fit easily; long OBX segments (embedded documents) are cut, not buffered */
export const MAX_SEGMENT_KEEP = 8 * 1024;

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

export interface MessageSink {
  /** a segment of the current message (bytes truncated to MAX_SEGMENT_KEEP; a view valid during the call) */
  segment(bytes: Uint8Array, meta: FrameMeta): void;
  /** the current message ended */
  end(info: { framing: 'mllp' | 'raw'; bytes: number; lineEndings: string[]; finalTerminator: boolean }, meta: FrameMeta): void;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class Hl7Stream {
  private mode: 'unknown' | 'mllp' | 'raw' = 'unknown';
  private inFrame = false;
  private readonly seg = new ByteAccumulator(MAX_SEGMENT_KEEP, 256);
  private segLength = 0;
  private messageBytes = 0;
  private messageOpen = false;
  private lastWasCr = false;
  private endings = new Set<string>();
  private lastTerminated = true;
  private offset = 0;
  private bomMatched = 0;
  private junk = 0;

  constructor(private readonly sink: MessageSink) {}

  /** bytes outside MLLP frames that were skipped */
  get skippedBytes(): number {
    return this.junk;
  }

  feed(data: Uint8Array, meta: FrameMeta): void {
    let pos = 0;
    if (this.mode === 'unknown' && data.length > 0) this.mode = data[0] === VT ? 'mllp' : 'raw';
    // a UTF-8 byte order mark may open a raw stream; it can arrive split across chunks
    while (this.bomMatched >= 0 && this.bomMatched < 3 && pos < data.length) {
      if (this.mode === 'raw' && data[pos] === BOM[this.bomMatched]) {
        this.bomMatched++;
        pos++;
      } else this.bomMatched = -1;
    }
    let nextCr = -1;
    let nextLf = -1;
    let nextFs = -1;
    while (pos < data.length) {
      const b = data[pos] as number;
      if (this.mode === 'mllp' && !this.inFrame) {
        if (b === VT) {
          this.inFrame = true;
          this.lastWasCr = false;
        } else if (!(b === CR && this.lastWasCr)) this.junk++;
        this.lastWasCr = false;
        pos++;
        continue;
      }
      if (this.mode === 'mllp' && b === FS) {
        this.endSegment(meta);
        this.endMessage('mllp', meta);
        this.inFrame = false;
        this.lastWasCr = true; // the CR after FS is part of the frame trailer
        pos++;
        continue;
      }
      // next terminator via native indexOf, remembering each result so a chunk is scanned once per byte value
      if (nextCr < pos) nextCr = indexOr(data, CR, pos);
      if (nextLf < pos) nextLf = indexOr(data, LF, pos);
      if (this.mode === 'mllp' && nextFs < pos) nextFs = indexOr(data, FS, pos);
      const end = Math.min(nextCr, nextLf, this.mode === 'mllp' ? nextFs : data.length);
      if (end > pos) {
        this.seg.append(data.subarray(pos, end));
        this.segLength += end - pos;
        this.offset += end - pos;
        if (this.messageBytes + this.segLength > MAX_MESSAGE_BYTES) this.tooLarge();
        this.lastWasCr = false;
        this.lastTerminated = false;
        pos = end;
        continue;
      }
      // b is CR or LF
      if (b === LF && this.lastWasCr) {
        this.endings.delete('CR');
        this.endings.add('CRLF');
        this.lastWasCr = false;
      } else {
        this.endSegment(meta);
        this.endings.add(b === CR ? 'CR' : 'LF');
        this.lastWasCr = b === CR;
      }
      this.offset++;
      this.messageBytes++;
      this.lastTerminated = true;
      pos++;
    }
  }

  /** end of stream (close or gap): a raw message in progress is complete as far as we will ever know */
  flush(meta: FrameMeta): void {
    this.endSegment(meta);
    if (this.messageOpen) this.endMessage(this.mode === 'mllp' ? 'mllp' : 'raw', meta);
    this.inFrame = false;
  }

  private tooLarge(): never {
    throw new DissectorError('hl7', 'too-large', `message exceeds ${MAX_MESSAGE_BYTES} bytes`, this.offset);
  }

  private endSegment(meta: FrameMeta): void {
    if (this.segLength === 0) return;
    const bytes = this.seg.view();
    const length = this.segLength;
    this.segLength = 0;
    if (this.messageOpen && isHeaderSegmentBytes(bytes)) {
      // without MLLP the next header segment is the only message boundary; inside MLLP it splits batches
      this.lastTerminated = true;
      this.endMessage(this.mode === 'mllp' ? 'mllp' : 'raw', meta);
    }
    this.messageBytes += length;
    this.messageOpen = true;
    this.sink.segment(bytes, meta);
    this.seg.reset();
  }

  private endMessage(framing: 'mllp' | 'raw', meta: FrameMeta): void {
    if (this.messageOpen) {
      this.sink.end({ framing, bytes: this.messageBytes, lineEndings: [...this.endings].sort(), finalTerminator: this.lastTerminated }, meta);
    }
    this.messageOpen = false;
    this.messageBytes = 0;
    this.endings = new Set();
    this.lastTerminated = true;
  }
}

const indexOr = (data: Uint8Array, byte: number, from: number): number => {
  const i = data.indexOf(byte, from);
  return i < 0 ? data.length : i;
};

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if ((b[i] as number) > 0x7f) return false;
  return true;
}

/** segment text: ASCII fast path, else UTF-8 (invalid sequences replaced) */
export const segmentText = (b: Uint8Array): string => (isAscii(b) ? latin1 : utf8).decode(b);

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** MSH, BHS or FHS followed by a separator, checked on bytes so ordinary segments are never decoded */
function isHeaderSegmentBytes(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const c3 = b[3] as number;
  if (isAlnum(c3) || c3 <= 0x20) return false;
  const id = String.fromCharCode(b[0] as number, b[1] as number, b[2] as number);
  return id === 'MSH' || id === 'BHS' || id === 'FHS';
}
