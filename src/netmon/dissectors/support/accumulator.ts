/**
 * @module A growable byte buffer with a hard cap, used by stream framers to collect one header or one
 * message across arbitrary chunk boundaries. Stream data is only valid during onData, so framers copy the
 * bytes they need to keep into one of these and nothing else.
 */

export class ByteAccumulator {
  private buf: Uint8Array;
  private len = 0;

  constructor(
    readonly max: number,
    initial = 64,
  ) {
    this.buf = new Uint8Array(Math.min(initial, max));
  }

  get length(): number {
    return this.len;
  }

  /** bytes collected so far (a view, valid until the next append/reset) */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
    // a large message must not pin its buffer for the rest of a long-lived flow
    if (this.buf.length > 64 * 1024) this.buf = new Uint8Array(64);
  }

  /**
   * Copy from data[pos..] until the buffer holds `want` bytes (capped at `max`). Returns the new `pos`.
   * The caller compares `length` with `want` to know whether it is complete.
   */
  fillTo(want: number, data: Uint8Array, pos: number): number {
    const target = Math.min(want, this.max);
    const n = Math.min(target - this.len, data.length - pos);
    if (n <= 0) return pos;
    this.ensure(this.len + n);
    this.buf.set(data.subarray(pos, pos + n), this.len);
    this.len += n;
    return pos + n;
  }

  /** append as much of `bytes` as fits under the cap; returns how many were dropped */
  append(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.max - this.len);
    if (n > 0) {
      this.ensure(this.len + n);
      this.buf.set(bytes.subarray(0, n), this.len);
      this.len += n;
    }
    return bytes.length - n;
  }

  /** drop the first n bytes, keeping the rest */
  consume(n: number): void {
    if (n >= this.len) {
      this.len = 0;
      return;
    }
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }

  private ensure(size: number): void {
    if (size <= this.buf.length) return;
    let cap = this.buf.length || 64;
    while (cap < size) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.max));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
