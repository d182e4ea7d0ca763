/**
 * @module How one direction of a stream starts, for dissectors that read a connection seen from the
 * middle (a monitor started on a live network): either the direction opens its session and is read
 * from its first byte, or it is read from the sync point found in its first `window` bytes. Those
 * bytes are carried between chunks until the start is decided, and the answer depends only on them,
 * so any chunking gives the same start.
 *
 * With a SlidingScan (late sync, see LateSync in contract.ts) a window without a sync point does not
 * end the search: the next window starts `overlap` bytes before its end, so a candidate cut by the
 * window end is looked at again with the bytes it still needs, until `scanLimit` bytes were looked at.
 * A sync search costs O(window), however few bytes came: a window is searched on each of its first
 * `eagerSearches` chunks, then only once `searchEvery` more bytes came or it is full, so a direction
 * arriving in tiny chunks costs O(window) per `searchEvery` bytes, not per chunk. A sync search is
 * monotone (evidence found in a prefix of a window is the answer for the whole window, as every rule
 * only uses bytes before its evidence point), so a deferred search finds the same start, only later;
 * flush() searches what is left at a gap or the end.
 *
 * At a gap (gap()) an undecided search goes on past it: the window so far is dropped (no PDU or packet
 * spans lost bytes) and only sync points count from then on (what follows a loss cannot open a session).
 * Offsets count the bytes offered (seen), never the bytes a gap lost. A gate built without openings
 * (`opens` false) is the one a dissector reads on with after a gap in a direction it was reading.
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

/**
 * A search that slides past the first window, windows starting every `window - overlap` bytes. A
 * candidate whose evidence lies within `overlap` bytes of its start (and before the scan limit) is never
 * missed: the last window starting at or before it holds it whole. A longer one may be missed where a
 * window ends; the stream is then read from a later candidate. The answer is the first window's (in
 * stream order) that holds evidence, so it depends only on the bytes.
 */
export interface SlidingScan {
  /** bytes the next window takes over from a full one without a sync point (at most half the window, so a byte is in two windows at most) */
  overlap: number;
  /** bytes looked at before the direction is given up */
  scanLimit: number;
  /** an incomplete window is searched on each of its first this many chunks... */
  eagerSearches: number;
  /** ...then again once this many bytes came since its last search */
  searchEvery: number;
}

/** What a late-sync consumer reports about a direction's search (LateSyncDirection in contract.ts). */
export interface ScanProgress {
  /** the start is known (opening or sync point) */
  readonly decided: boolean;
  /** no start within the scan limit: the direction is not read */
  readonly lost: boolean;
  /** decided from a sync point, not from an opening */
  readonly synced: boolean;
  /** bytes looked at so far; once decided, the offset of the start (the scan limit once lost) */
  readonly scannedBytes: number;
  /** bytes held across chunks for the search */
  readonly carriedBytes: number;
}

const OPENING = 0;
const SYNCING = 1;
const DECIDED = 2;
/** no sync point within the scan limit: the rest of the direction is not read */
const LOST = 3;
const EMPTY = new Uint8Array(0);

export class StartGate implements ScanProgress {
  private mode = OPENING;
  /** the current window's bytes while the start is undecided (stream data is only valid during a call) */
  private carry: ByteAccumulator | null = null;
  /** stream offset of the current window */
  private base = 0;
  /** bytes of the current window when it was last searched, and how often it was */
  private searched = 0;
  private searches = 0;
  private scanned = 0;
  /** the last search's answer came from the sync rules, not from an opening */
  private fromSync = false;
  private syncedAt = -1;
  private readonly limit: number;
  private readonly overlap: number;
  private readonly every: number;
  private readonly eager: number;

  /** `opens` false: only sync points count (a direction read on after a gap cannot open its session) */
  constructor(
    private readonly starts: StreamStart,
    private readonly window: number,
    scan?: SlidingScan,
    opens = true,
  ) {
    if (!opens) this.mode = SYNCING;
    this.limit = scan?.scanLimit ?? window;
    this.overlap = scan?.overlap ?? 0;
    this.every = scan?.searchEvery ?? 0;
    this.eager = scan?.eagerSearches ?? Number.POSITIVE_INFINITY;
    if (this.overlap < 0 || 2 * this.overlap > window || this.limit < 1 || this.every < 0 || this.eager < 0) {
      throw new RangeError(`sliding scan: overlap ${this.overlap} must be within half the window ${window}, scan limit ${this.limit} at least 1`);
    }
  }

  get decided(): boolean {
    return this.mode === DECIDED;
  }

  get lost(): boolean {
    return this.mode === LOST;
  }

  get synced(): boolean {
    return this.syncedAt >= 0;
  }

  get scannedBytes(): number {
    return this.scanned;
  }

  get carriedBytes(): number {
    return this.carry?.length ?? 0;
  }

  /** Takes the next chunk of an undecided direction; the start once it is known, else undefined. */
  offer(data: Uint8Array): DecidedStart | undefined {
    if (this.mode === DECIDED || this.mode === LOST) return undefined;
    let pos = 0;
    for (;;) {
      const size = Math.min(this.window, this.limit - this.base);
      // the window so far, in place when nothing is carried (the first chunk usually decides)
      let probe: Uint8Array;
      let inPlace = -1;
      if (this.carry === null || this.carry.length === 0) {
        inPlace = pos;
        probe = pos === 0 && data.length <= size ? data : data.subarray(pos, Math.min(data.length, pos + size));
        pos += probe.length;
      } else {
        const take = Math.min(data.length - pos, size - this.carry.length);
        this.carry.append(data.subarray(pos, pos + take));
        pos += take;
        probe = this.carry.view();
      }
      this.scanned = this.base + probe.length;
      const full = probe.length >= size;
      const found = this.search(probe, full);
      if (found >= 0) return this.decide(found, probe, data.subarray(pos));
      if (!full) {
        if (inPlace >= 0 && probe.length > 0) (this.carry ??= new ByteAccumulator(this.window, 256)).append(probe);
        return undefined;
      }
      if (this.base + size >= this.limit) {
        this.mode = LOST;
        this.carry = null;
        return undefined;
      }
      // a full window without a sync point: the next one starts `overlap` bytes before its end
      const step = size - this.overlap;
      this.base += step;
      this.searched = this.overlap;
      this.searches = 0;
      if (inPlace >= 0) pos = inPlace + step;
      else this.carry?.consume(step);
    }
  }

  /** At a gap or the end: the bytes not searched yet (see searchEvery) are searched now. */
  flush(): DecidedStart | undefined {
    if (this.mode === DECIDED || this.mode === LOST || this.carry === null || this.carry.length <= this.searched) return undefined;
    const probe = this.carry.view();
    const found = this.search(probe, false, true);
    return found >= 0 ? this.decide(found, probe, EMPTY) : undefined;
  }

  /**
   * A gap in the direction (after flush()): an undecided search goes on in the bytes after it, from a new
   * window, with sync points only; the bytes it already looked at count towards the scan limit.
   */
  gap(): void {
    if (this.mode === DECIDED || this.mode === LOST) return;
    this.mode = SYNCING;
    this.carry = null;
    this.base = this.scanned;
    this.searched = 0;
    this.searches = 0;
  }

  /** the start in `probe` (the current window so far), or -1; `fromSync` tells which kind it is */
  private search(probe: Uint8Array, full: boolean, force = false): number {
    if (this.mode === OPENING) {
      // opening checks are cheap and decide other sides' starts (DICOM): never deferred
      const opening = this.starts.opens(probe);
      if (opening === 'yes') {
        this.fromSync = false;
        return 0;
      }
      if (opening === 'no' || full) this.mode = SYNCING;
      else return -1;
    }
    if (!full && !force && this.searches >= this.eager && probe.length < this.searched + this.every) return -1;
    this.searches++;
    this.searched = probe.length;
    this.fromSync = true;
    return this.starts.syncPoint(probe);
  }

  private decide(at: number, probe: Uint8Array, rest: Uint8Array): DecidedStart {
    const from = this.base + at;
    this.mode = DECIDED;
    this.carry = null;
    this.scanned = from;
    if (this.fromSync) this.syncedAt = from;
    return { from, synced: this.fromSync, head: at === 0 ? probe : probe.subarray(at), rest };
  }
}
