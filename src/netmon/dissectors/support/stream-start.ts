/**
 * @module How one direction of a stream starts, for dissectors that read a connection seen from the
 * middle (a monitor started on a live network): either the direction opens its session and is read
 * from its first byte, or it is read from the sync point found in its first `window` bytes. Those
 * bytes are carried between chunks until the start is decided, and the answer depends only on them,
 * so any chunking gives the same start.
 */
import type { Detection } from '../contract.js';
import { ByteAccumulator } from './accumulator.js';

/** Functions of a direction's first bytes. */
export interface StreamStart {
  /** 'yes': the direction opens its session and is read from its first byte */
  opens(b: Uint8Array): Detection;
  /** otherwise: the offset messages start at in `b` (at most the window), -1 if not known yet */
  syncPoint(b: Uint8Array): number;
}

/** The decided start: read `head` (the bytes from the start on, carried ones included), then `rest`. */
export interface DecidedStart {
  /** offset of the start in the direction (0 when it opened its session) */
  from: number;
  /** true when read from a sync point, not from an opening */
  synced: boolean;
  head: Uint8Array;
  rest: Uint8Array;
}

const OPENING = 0;
const SYNCING = 1;
const DECIDED = 2;
/** no sync point in the window: the rest of the direction is not read */
const LOST = 3;

export class StartGate {
  private mode = OPENING;
  /** the first bytes while the start is undecided (stream data is only valid during a call) */
  private carry: ByteAccumulator | null = null;

  constructor(
    private readonly starts: StreamStart,
    private readonly window: number,
  ) {}

  get decided(): boolean {
    return this.mode === DECIDED;
  }

  get lost(): boolean {
    return this.mode === LOST;
  }

  /** Takes the next chunk of an undecided direction; the start once it is known, else undefined. */
  offer(data: Uint8Array): DecidedStart | undefined {
    if (this.mode === DECIDED || this.mode === LOST) return undefined;
    // the bytes so far, in place when nothing is carried (the first chunk usually decides)
    let probe: Uint8Array;
    let taken: number;
    if (this.carry === null) {
      probe = data.length > this.window ? data.subarray(0, this.window) : data;
      taken = probe.length;
    } else {
      taken = Math.min(data.length, this.window - this.carry.length);
      this.carry.append(data.subarray(0, taken));
      probe = this.carry.view();
    }
    let from = -1;
    if (this.mode === OPENING) {
      const opening = this.starts.opens(probe);
      if (opening === 'yes') from = 0;
      else if (opening === 'no' || probe.length >= this.window) this.mode = SYNCING;
    }
    const synced = this.mode === SYNCING;
    if (synced) {
      from = this.starts.syncPoint(probe);
      if (from < 0 && probe.length >= this.window) {
        this.mode = LOST;
        this.carry = null;
        return undefined;
      }
    }
    if (from < 0) {
      if (this.carry === null) (this.carry = new ByteAccumulator(this.window, 256)).append(probe);
      return undefined;
    }
    this.mode = DECIDED;
    this.carry = null;
    return { from, synced, head: from === 0 ? probe : probe.subarray(from), rest: data.subarray(taken) };
  }
}
