/**
 * @module Splits a byte stream into text lines (LF or CRLF) across chunk boundaries. Lines longer than the
 * cap are cut: the kept prefix is delivered and the rest of that line is skipped, so memory stays bounded.
 */
import { ByteAccumulator } from './accumulator.js';
import { indexOfByte } from './bytes.js';

const latin1 = new TextDecoder('latin1');

export class LineSplitter {
  private readonly buf: ByteAccumulator;

  constructor(
    maxLine: number,
    private readonly onLine: (line: string) => void,
  ) {
    this.buf = new ByteAccumulator(maxLine, 128);
  }

  feed(data: Uint8Array): void {
    let pos = 0;
    while (pos < data.length) {
      const lf = indexOfByte(data, 0x0a, pos);
      const end = lf < 0 ? data.length : lf;
      let text: string;
      if (lf >= 0 && this.buf.length === 0) {
        // the whole line is in this chunk: decode it in place, cut to the cap as the buffered path would
        text = latin1.decode(data.subarray(pos, Math.min(end, pos + this.buf.max)));
      } else {
        this.buf.append(data.subarray(pos, end));
        if (lf < 0) return;
        text = latin1.decode(this.buf.view());
        this.buf.reset();
      }
      pos = lf + 1;
      if (text.endsWith('\r')) text = text.slice(0, -1);
      this.onLine(text);
    }
  }
}
