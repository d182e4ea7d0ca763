/**
 * @module Splits one direction of an HL7 v2 stream into messages and segments, with or without MLLP
 * (0x0B ... 0x1C 0x0D). Tolerant of LF or CRLF segment terminators and a missing final CR; bounded: only
 * the first MAX_SEGMENT_KEEP bytes of a segment are kept, and a frame larger than MAX_MESSAGE_BYTES is an
 * error (the stream is not HL7 or has lost sync).
 *
 * Hot path (one call per segment of every message): a segment that lies inside one chunk is handed to the
 * sink as a range of that chunk, without copying; only a segment cut by a chunk boundary is copied. The
 * terminator scan also notes whether the segment is printable ASCII, so readers can skip text decoding.
 * A stream that began inside a message is read from its first message start (start-search.ts); with a
 * scan limit (late sync, see LateSync in contract.ts) whatever its first byte, and only a start within
 * that many bytes. After a gap the consumer reads on with a stream from restart(), which looks for the
 * next message start the same way.
 */
import type { FrameMeta } from '../../model.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { DissectorError } from '../errors.js';
import { MessageStartSearch } from './start-search.js';
import { BOM, ENDING_CR, ENDING_CRLF, ENDING_LF, indexOr, initialMode, isHeaderSegment, type Framing, type MessageSink } from './framing.js';

export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** MSH, MSA and PID fit easily; long OBX segments (embedded documents) are cut, not buffered */
export const MAX_SEGMENT_KEEP = 8 * 1024;

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const LF = 0x0a;
const EMPTY = new Uint8Array(0);

/**
 * `syncing`: the stream began inside a message (a monitor started on a live, persistent connection):
 * bytes are skipped until a message start, an MLLP start block before a header segment or a header
 * segment at the start of a line, decides the framing.
 */
type Mode = 'unknown' | 'syncing' | Framing;

export class Hl7Stream {
  private mode: Mode = 'unknown';
  private inFrame = false;
  /** a segment cut by a chunk boundary is copied here (created on first need) */
  private acc: ByteAccumulator | null = null;
  /** the chunk being fed; the pending segment is chunk[segStart, segEnd) while segStart >= 0, else in acc */
  private chunk: Uint8Array = EMPTY;
  private segStart = -1;
  private segEnd = 0;
  private segPlain = true;
  private segLength = 0;
  private messageBytes = 0;
  private messageOpen = false;
  private lastWasCr = false;
  private endings = 0;
  private lastTerminated = true;
  private offset = 0;
  private bomMatched = 0;
  private junk = 0;
  /** while syncing, and after: where the first message start was found */
  private search: MessageStartSearch | null = null;
  /** read on after a gap in an MLLP stream: a header at a line start is inside a frame (its start block lost, or a batch) */
  private mllpBefore = false;
  // positions of the next CR/LF/FS in the current chunk, used past the JS scan window (see content())
  private nextCr = -1;
  private nextLf = -1;
  private nextFs = -1;

  /** `scanLimit`: late sync, a message start looked for from the first byte on, within that many bytes */
  constructor(
    private readonly sink: MessageSink,
    scanLimit?: number,
  ) {
    if (scanLimit === undefined) return;
    this.mode = 'syncing';
    this.search = new MessageStartSearch(scanLimit);
  }

  /** bytes outside MLLP frames that were skipped, and those before the first message start */
  get skippedBytes(): number {
    return this.junk + (this.search?.skippedBytes ?? 0);
  }

  /** the search for the first message start of a stream that began inside a message, null for others */
  get startSearch(): MessageStartSearch | null {
    return this.search;
  }

  /** messages are being read (the framing is known) */
  get reading(): boolean {
    return this.mode === 'mllp' || this.mode === 'raw';
  }

  /**
   * After a gap in a stream being read (flushed): a stream that reads on from the next message start
   * in the bytes after the gap, within `scanLimit` bytes (the byte right after the gap may begin a
   * line: a sender writes a message at a time, so what a gap loses whole often ends where one starts).
   */
  restart(scanLimit: number): Hl7Stream {
    const next = new Hl7Stream(this.sink, scanLimit);
    next.mllpBefore = this.mode === 'mllp';
    return next;
  }

  /** At a gap before the first message start: the search goes on in the bytes after it. */
  gap(): void {
    if (this.mode === 'unknown') this.mode = 'syncing';
    else if (this.mode === 'syncing') this.search?.gap();
  }

  feed(chunk: Uint8Array, meta: FrameMeta): void {
    let data = chunk;
    if (this.mode === 'unknown' && data.length > 0) this.mode = initialMode(data[0] as number);
    if (this.mode === 'syncing') {
      const rest = this.resync(data, meta);
      if (rest === undefined) return;
      // from the message start on: a view of data, or of a copy with the bytes carried from the last chunk
      data = rest;
    }
    let pos = 0;
    // a UTF-8 byte order mark may open a raw stream; it can arrive split across chunks
    while (this.bomMatched >= 0 && this.bomMatched < 3 && pos < data.length) {
      if (this.mode === 'raw' && data[pos] === BOM[this.bomMatched]) {
        this.bomMatched++;
        pos++;
      } else this.bomMatched = -1;
    }
    const mllp = this.mode === 'mllp';
    const n = data.length;
    this.chunk = data;
    this.nextCr = this.nextLf = this.nextFs = -1;
    try {
      while (pos < n) {
        if (mllp && !this.inFrame) {
          pos = this.skipToFrame(data, pos);
          continue;
        }
        const b = data[pos] as number;
        if (mllp && b === FS) {
          this.endSegment(meta);
          this.endMessage('mllp', meta);
          this.inFrame = false;
          this.lastWasCr = true; // the CR after FS is part of the frame trailer
          pos++;
        } else if (b === CR || b === LF) {
          this.terminator(b, meta);
          pos++;
        } else pos = this.content(data, pos, mllp);
      }
    } finally {
      // the chunk is only valid during this call: keep a segment it leaves unfinished
      this.stash();
      this.chunk = EMPTY;
    }
  }

  /**
   * Looks for the first message start in the carried bytes and `data`: returns the bytes from there
   * on (the framing set), or undefined when there is none yet (the last few bytes are carried, as a
   * start may be cut by the chunk end; the rest is skipped).
   */
  private resync(data: Uint8Array, meta: FrameMeta): Uint8Array | undefined {
    const search = (this.search ??= new MessageStartSearch());
    if (search.lost) return undefined;
    const found = search.offer(data);
    if (found === undefined) {
      if (search.lost) this.sink.lost(meta);
      return undefined;
    }
    this.mode = found.framing;
    // an MLLP stream does not turn raw at a gap: such a start is read as inside a frame up to its end block
    if (this.mllpBefore && found.framing === 'raw') {
      this.mode = 'mllp';
      this.inFrame = true;
    }
    this.sink.synced(search.skippedBytes, meta);
    return found.bytes;
  }

  /** end of stream (close or gap): a raw message in progress is complete as far as we will ever know */
  flush(meta: FrameMeta): void {
    this.endSegment(meta);
    if (this.messageOpen) this.endMessage(this.mode === 'mllp' ? 'mllp' : 'raw', meta);
    this.inFrame = false;
  }

  /** outside an MLLP frame: skip to the byte after the next VT (a CR right after FS is trailer, not junk) */
  private skipToFrame(data: Uint8Array, pos: number): number {
    while (pos < data.length) {
      const b = data[pos++] as number;
      if (b === VT) {
        this.inFrame = true;
        this.lastWasCr = false;
        return pos;
      }
      if (!(b === CR && this.lastWasCr)) this.junk++;
      this.lastWasCr = false;
    }
    return pos;
  }

  /** segment bytes from `pos` up to the next terminator (or the chunk end); returns where they stop */
  private content(data: Uint8Array, pos: number, mllp: boolean): number {
    const n = data.length;
    const fs = mllp ? FS : -1;
    // one JS pass finds the terminator and checks for printable ASCII; every terminator is a control
    // byte, so ordinary text costs two comparisons per byte
    const limit = Math.min(n, pos + MAX_SEGMENT_KEEP);
    let plain = true;
    let end = pos;
    for (; end < limit; end++) {
      const c = data[end] as number;
      if (c < 0x20 || c > 0x7e) {
        if (c === CR || c === LF || c === fs) break;
        plain = false;
      }
    }
    // past the kept prefix of a long segment (embedded document) native indexOf is much faster; bytes
    // that are never looked at are not known to be plain
    if (end === limit && limit < n) {
      end = this.farTerminator(data, end, mllp);
      plain = false;
    }
    const length = end - pos;
    if (this.segLength === 0) {
      this.segStart = pos;
      this.segEnd = end;
      this.segPlain = plain;
    } else {
      // the segment began in an earlier chunk
      this.stash();
      this.keep(data, pos, end);
      this.segPlain = this.segPlain && plain;
    }
    this.segLength += length;
    this.offset += length;
    if (this.messageBytes + this.segLength > MAX_MESSAGE_BYTES) this.tooLarge();
    this.lastWasCr = false;
    this.lastTerminated = false;
    return end;
  }

  private farTerminator(data: Uint8Array, from: number, mllp: boolean): number {
    // remembered per chunk so each byte value is scanned once per chunk, however many long segments it holds
    if (this.nextCr < from) this.nextCr = indexOr(data, CR, from);
    if (this.nextLf < from) this.nextLf = indexOr(data, LF, from);
    if (mllp && this.nextFs < from) this.nextFs = indexOr(data, FS, from);
    return Math.min(this.nextCr, this.nextLf, mllp ? this.nextFs : data.length);
  }

  private terminator(b: number, meta: FrameMeta): void {
    if (b === LF && this.lastWasCr) {
      this.endings = (this.endings & ~ENDING_CR) | ENDING_CRLF;
      this.lastWasCr = false;
    } else {
      this.endSegment(meta);
      this.endings |= b === CR ? ENDING_CR : ENDING_LF;
      this.lastWasCr = b === CR;
    }
    this.offset++;
    this.messageBytes++;
    this.lastTerminated = true;
  }

  /** copy the pending segment out of the current chunk (before the chunk goes away) */
  private stash(): void {
    if (this.segStart < 0) return;
    const start = this.segStart;
    this.segStart = -1;
    this.keep(this.chunk, start, this.segEnd);
  }

  private keep(data: Uint8Array, start: number, end: number): void {
    // append keeps only what fits under MAX_SEGMENT_KEEP
    (this.acc ??= new ByteAccumulator(MAX_SEGMENT_KEEP, 256)).append(data.subarray(start, end));
  }

  private tooLarge(): never {
    throw new DissectorError('hl7', 'too-large', `message exceeds ${MAX_MESSAGE_BYTES} bytes`, this.offset);
  }

  private endSegment(meta: FrameMeta): void {
    if (this.segLength === 0) return;
    const inChunk = this.segStart >= 0;
    let bytes: Uint8Array;
    let start = 0;
    let end: number;
    if (inChunk) {
      bytes = this.chunk;
      start = this.segStart;
      end = Math.min(this.segEnd, start + MAX_SEGMENT_KEEP);
    } else {
      bytes = (this.acc as ByteAccumulator).view();
      end = bytes.length;
    }
    const length = this.segLength;
    const plain = this.segPlain;
    this.segLength = 0;
    this.segStart = -1;
    if (this.messageOpen && isHeaderSegment(bytes, start, end)) {
      // without MLLP the next header segment is the only message boundary; inside MLLP it splits batches
      this.lastTerminated = true;
      this.endMessage(this.mode === 'mllp' ? 'mllp' : 'raw', meta);
    }
    this.messageBytes += length;
    this.messageOpen = true;
    this.sink.segment(bytes, start, end, plain, meta);
    if (!inChunk) this.acc?.reset();
  }

  private endMessage(framing: Framing, meta: FrameMeta): void {
    if (this.messageOpen) this.sink.end(framing, this.messageBytes, this.endings, this.lastTerminated, meta);
    this.messageOpen = false;
    this.messageBytes = 0;
    this.endings = 0;
    this.lastTerminated = true;
  }
}
