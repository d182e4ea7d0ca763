/**
 * @module A growable byte buffer with a hard cap, used by stream framers to collect one header or one
 * message across arbitrary chunk boundaries. Stream data is only valid during onData, so framers copy the
 * bytes they need to keep into one of these and nothing else.
 */

/** Below this many bytes a plain loop beats creating a subarray view for TypedArray.set. */
const SMALL_COPY = 16;

const EMPTY = new Uint8Array(0);

export class ByteAccumulator {
  // allocated on first use: framers read most headers in place, and many flows never need their buffers
  private buf = EMPTY;
  private len = 0;
  private readonly initial: number;

  constructor(
    readonly max: number,
    initial = 64,
  ) {
    this.initial = Math.min(initial, max);
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
    if (this.buf.length > 64 * 1024) this.buf = EMPTY;
  }

  /**
   * Copy from data[pos..] until the buffer holds `want` bytes (capped at `max`). Returns the new `pos`.
   * The caller compares `length` with `want` to know whether it is complete.
   */
  fillTo(want: number, data: Uint8Array, pos: number): number {
    const target = Math.min(want, this.max);
    const n = Math.min(target - this.len, data.length - pos);
    if (n <= 0) return pos;
    this.copyIn(data, pos, n);
    return pos + n;
  }

  /** append as much of `bytes` as fits under the cap; returns how many were dropped */
  append(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.max - this.len);
    if (n > 0) this.copyIn(bytes, 0, n);
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

  /** copies data[from, from + n) to the end; n > 0 and len + n <= max */
  private copyIn(data: Uint8Array, from: number, n: number): void {
    const at = this.len;
    if (at + n > this.buf.length) this.grow(at + n);
    const buf = this.buf;
    if (n <= SMALL_COPY) {
      for (let i = 0; i < n; i++) buf[at + i] = data[from + i] as number;
    } else {
      buf.set(from === 0 && n === data.length ? data : data.subarray(from, from + n), at);
    }
    this.len = at + n;
  }

  private grow(size: number): void {
    let cap = this.buf.length || this.initial || 64;
    while (cap < size) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.max));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
