/** @module The first bytes of one direction the dispatcher keeps while it detects the protocol (dispatcher.ts). */

const EMPTY = new Uint8Array(0);

/**
 * The first bytes of one direction while detecting, grown in place (at most `max` bytes) rather than
 * re-concatenated per chunk.
 */
export class DetectPrefix {
  private buf = EMPTY;
  length = 0;

  /** appends up to the cap and returns the whole prefix (a view) */
  add(data: Uint8Array, max: number): Uint8Array {
    const take = Math.min(data.length, max - this.length);
    const size = this.length + take;
    if (size > this.buf.length) {
      const next = new Uint8Array(Math.min(Math.max(size, this.buf.length * 2, 256), Math.max(max, size)));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    if (take > 0) this.buf.set(take === data.length ? data : data.subarray(0, take), this.length);
    this.length = size;
    return this.buf.subarray(0, size);
  }

  /** the prefix so far (a view) */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  release(): void {
    this.buf = EMPTY;
    this.length = 0;
  }
}
