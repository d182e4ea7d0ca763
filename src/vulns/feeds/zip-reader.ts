/**
 * @module A yauzl RandomAccessReader over a file with a few read-ahead windows (1 MiB each).
 * yauzl issues two or three tiny reads per entry (central directory record, local header, data);
 * against a plain fd each is a thread-pool round trip, which dominated reading an OSV all.zip of
 * tens of thousands of small records. Entries are laid out in the order the central directory
 * lists them, so almost every read is served from a window already in memory.
 */
import type { FileHandle } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';

const WINDOWS = 3;

export class WindowedFileReader extends yauzl.RandomAccessReader {
  private windows: Array<{ start: number; buf: Buffer }> = [];

  constructor(
    private readonly fh: FileHandle,
    private readonly size: number,
    private readonly windowSize = 1024 * 1024,
  ) {
    super();
  }

  private async slice(start: number, end: number): Promise<Buffer> {
    const hit = this.windows.find((w) => start >= w.start && end <= w.start + w.buf.length);
    if (hit) return hit.buf.subarray(start - hit.start, end - hit.start);
    const length = Math.min(Math.max(this.windowSize, end - start), this.size - start);
    const buf = Buffer.allocUnsafe(Math.max(0, length));
    const { bytesRead } = await this.fh.read(buf, 0, buf.length, start);
    if (bytesRead < end - start) throw new Error(`unexpected end of file at byte ${start + bytesRead}`);
    const window = { start, buf: buf.subarray(0, bytesRead) };
    if (bytesRead <= this.windowSize) this.windows = [window, ...this.windows].slice(0, WINDOWS);
    return window.buf.subarray(0, end - start);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    this.slice(start, end).then(
      (b) => out.end(b),
      (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))),
    );
    return out;
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    this.slice(position, position + length).then(
      (b) => {
        b.copy(buffer, offset);
        callback(null, b.length);
      },
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
    );
  }

  override close(callback: (err: Error | null) => void): void {
    this.windows = [];
    this.fh.close().then(
      () => callback(null),
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
    );
  }
}
