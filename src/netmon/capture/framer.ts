/**
 * @module Cuts a byte stream arriving in arbitrary chunks into length-prefixed units (pcap records,
 * pcapng blocks). Units wholly inside a chunk are handed on as views (zero copy); only a unit that
 * straddles a chunk boundary is copied, into a buffer of exactly its own size, so that views handed
 * out earlier are never overwritten.
 */
import { CaptureError } from './errors.js';

export interface UnitFormat {
  /** bytes of a unit that must be present before `unitLength` can be answered */
  headerLength(): number;
  /** total length of the unit at `off` (header included); throws CaptureError when implausible */
  unitLength(b: Uint8Array, off: number, streamOffset: number): number;
  onUnit(b: Uint8Array, off: number, length: number, streamOffset: number): void;
  /**
   * Optional fast path: hands on whole units from b[off, end) as onUnit would, and returns the offset
   * after the last one. It may stop early at any unit (e.g. one that needs checking); the framer then
   * carries on unit by unit from there.
   */
  scan?(b: Uint8Array, off: number, end: number, streamOffset: number): number;
  /** packets handed on so far */
  readonly packetCount: number;
  /** whether an interface's timestamps are finer than a microsecond (0 for classic pcap); false while unknown */
  subMicrosecond?(interfaceId: number): boolean;
}

export class UnitFramer {
  private partial: Uint8Array | null = null;
  private partialLen = 0;
  /** length of the straddling unit once its header has been seen; 0 while unknown */
  private partialTotal = 0;
  /** stream offset of the next unit to start */
  private offset = 0;

  constructor(
    private readonly format: UnitFormat,
    private readonly file?: string,
  ) {}

  /** stream offset up to which whole units have been handed on */
  get consumed(): number {
    return this.offset;
  }

  get pendingBytes(): number {
    return this.partialLen;
  }

  push(chunk: Uint8Array): void {
    let off = 0;
    if (this.partial !== null) {
      off = this.completePartial(chunk);
      if (this.partial !== null) return;
    }
    const n = chunk.length;
    if (this.format.scan !== undefined) {
      const next = this.format.scan(chunk, off, n, this.offset);
      this.offset += next - off;
      off = next;
    }
    for (;;) {
      const rest = n - off;
      if (rest === 0) return;
      const h = this.format.headerLength();
      if (rest < h) {
        this.stash(chunk, off, rest, h, 0);
        return;
      }
      const len = this.checkedLength(chunk, off);
      if (rest < len) {
        this.stash(chunk, off, rest, len, len);
        return;
      }
      this.format.onUnit(chunk, off, len, this.offset);
      off += len;
      this.offset += len;
    }
  }

  /** Throws if the stream stopped inside a unit. */
  end(): void {
    if (this.partial !== null) {
      const want = this.partialTotal === 0 ? this.format.headerLength() : this.partialTotal;
      throw new CaptureError(
        'capture.truncated',
        `capture ends inside a record at byte offset ${this.offset}: ${this.partialLen} of ${want} bytes present`,
        this.offset,
        this.file,
      );
    }
  }

  private checkedLength(b: Uint8Array, off: number): number {
    const len = this.format.unitLength(b, off, this.offset);
    // A unit shorter than its own header would never advance the stream.
    if (!(len >= this.format.headerLength()) || !Number.isSafeInteger(len)) {
      throw new CaptureError('capture.bad-block-length', `record at byte offset ${this.offset} has length ${len}`, this.offset, this.file);
    }
    return len;
  }

  private stash(chunk: Uint8Array, off: number, count: number, capacity: number, total: number): void {
    const buf = new Uint8Array(capacity);
    buf.set(chunk.subarray(off, off + count));
    this.partial = buf;
    this.partialLen = count;
    this.partialTotal = total;
  }

  /** Feeds the straddling unit from `chunk`; returns how many bytes of `chunk` it took. */
  private completePartial(chunk: Uint8Array): number {
    let off = 0;
    for (;;) {
      const buf = this.partial as Uint8Array;
      const want = this.partialTotal === 0 ? this.format.headerLength() : this.partialTotal;
      const take = Math.min(want - this.partialLen, chunk.length - off);
      if (take > 0) {
        buf.set(chunk.subarray(off, off + take), this.partialLen);
        this.partialLen += take;
        off += take;
      }
      if (this.partialLen < want) return off;
      if (this.partialTotal === 0) {
        const len = this.checkedLength(buf, 0);
        this.partialTotal = len;
        if (len > buf.length) {
          const grown = new Uint8Array(len);
          grown.set(buf.subarray(0, this.partialLen));
          this.partial = grown;
        }
        continue;
      }
      this.partial = null;
      const len = this.partialTotal;
      this.partialLen = 0;
      this.partialTotal = 0;
      this.format.onUnit(buf, 0, len, this.offset);
      this.offset += len;
      return off;
    }
  }
}
