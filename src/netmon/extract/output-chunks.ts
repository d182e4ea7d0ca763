/**
 * @module The output of an extraction gathered into chunks of about 1 MiB: few, large writes to a
 * file or socket, and a bound on what is held between two reads of the capture.
 */

export const OUTPUT_CHUNK_BYTES = 1024 * 1024;

export class OutputChunks {
  private buf: Uint8Array;
  private at = 0;
  private ready: Uint8Array[] = [];

  constructor(private readonly chunkBytes = OUTPUT_CHUNK_BYTES) {
    this.buf = new Uint8Array(chunkBytes);
  }

  /** Appends `length` bytes written by `fill` at buf[at]. */
  write(length: number, fill: (buf: Uint8Array, at: number) => void): void {
    if (this.buf.length - this.at < length) {
      this.flush();
      if (this.buf.length < length) this.buf = new Uint8Array(length);
    }
    fill(this.buf, this.at);
    this.at += length;
  }

  /** The chunks filled so far (handed over: never written again). */
  take(): Uint8Array[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Everything written, the partly filled chunk included. */
  finish(): Uint8Array[] {
    this.flush();
    return this.take();
  }

  private flush(): void {
    if (this.at === 0) return;
    this.ready.push(this.buf.subarray(0, this.at));
    this.buf = new Uint8Array(this.chunkBytes);
    this.at = 0;
  }
}
