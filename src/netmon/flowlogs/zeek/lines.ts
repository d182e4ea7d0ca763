/**
 * @module Splits a byte stream into text lines with a bound on line length: a longer line is
 * reported (with its number and the bytes seen) and skipped up to its newline without being held,
 * so memory stays at one chunk plus one bounded partial line whatever the input.
 */

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface LineSink {
  /** one line without its LF (a trailing CR is removed too); `lineNo` is 1-based */
  line(text: string, lineNo: number): void;
  /** a line longer than the bound; its content is dropped */
  overlong(lineNo: number, bytesSeen: number): void;
}

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  /** inside a line already found too long: skip to its newline */
  private skipping = false;
  private skipped = 0;
  private lineNo = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(0x0a, from);
      const to = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(from, to);
      if (this.skipping) {
        this.skipped += piece.length;
      } else if (this.partBytes + piece.length > this.maxLineBytes) {
        this.skipping = true;
        this.skipped = this.partBytes + piece.length;
        this.parts = [];
        this.partBytes = 0;
      } else if (nl < 0) {
        // the chunk may be reused by its source: keep a copy of the unfinished line
        this.parts.push(piece.slice());
        this.partBytes += piece.length;
      }
      if (nl < 0) return;
      this.emit(piece);
      from = nl + 1;
    }
  }

  /** Flushes a last line that has no final newline. */
  end(): void {
    if (this.skipping || this.partBytes > 0) this.emit(new Uint8Array(0));
  }

  private emit(tail: Uint8Array): void {
    this.lineNo++;
    if (this.skipping) {
      this.sink.overlong(this.lineNo, this.skipped);
      this.skipping = false;
      this.skipped = 0;
      return;
    }
    let bytes = tail;
    if (this.parts.length > 0) {
      bytes = new Uint8Array(this.partBytes + tail.length);
      let at = 0;
      for (const p of this.parts) {
        bytes.set(p, at);
        at += p.length;
      }
      bytes.set(tail, at);
      this.parts = [];
      this.partBytes = 0;
    }
    let text = this.decoder.decode(bytes);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.sink.line(text, this.lineNo);
  }
}
