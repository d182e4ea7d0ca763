/**
 * @module Reading on after a gap: bytes of a direction the capture lost (a SPAN port dropping packets
 * under load). A direction being read loses its message, PDU or packet boundaries at a gap; rather than
 * drop it for the rest of the connection (HL7 interface connections stay open for weeks, MQTT sessions
 * for days), HL7, DICOM and MQTT look for the next sync point in the bytes after the gap with their own
 * mid-stream rules (the evidence that finds where a connection seen from the middle starts), with a
 * sliding scan and a scan limit per resync, and read on from there. A direction still looking for its
 * start simply keeps looking. This module holds what they share: the scan, and each direction's record
 * of gaps and resyncs (summary counts, the marker its observations carry after a resync, and
 * `<protocol>.resync-given-up`). Nothing here runs while a direction is read: only at a gap, at a sync
 * point or give-up after one, and on each observation of a direction that was resynced.
 */
import type { Direction, FrameMeta } from '../../model.js';
import type { Emit } from './emitter.js';
import { DEFAULT_LATE_SYNC_SCAN_LIMIT, LATE_SYNC_EAGER_SEARCHES, LATE_SYNC_SEARCH_EVERY } from './late-sync.js';
import type { ScanProgress, SlidingScan } from './stream-start.js';

/** bytes after a gap looked at for a sync point by default before the direction is given up */
export const DEFAULT_RESYNC_SCAN_LIMIT = DEFAULT_LATE_SYNC_SCAN_LIMIT;

/**
 * The sliding scan a resync uses: late sync's (the sync point may lie far past the gap, inside a 1 MiB
 * PDU), its searches deferred the same way so tiny chunks cost O(window) per 512 bytes, not per chunk.
 */
export function resyncScan(overlap: number, scanLimit: number): SlidingScan {
  return { overlap, scanLimit, eagerSearches: LATE_SYNC_EAGER_SEARCHES, searchEvery: LATE_SYNC_SEARCH_EVERY };
}

/** A direction's framed stream at a gap (DICOM's PduStream, MQTT's MqttStream). */
export interface ResyncingStream<S> {
  readonly scan: ScanProgress;
  /** reads a start a deferred search finds in bytes it has not looked at yet */
  flush(meta: FrameMeta): void;
  /** a stream that reads on from the next sync point `scan` finds (this one and its unit in progress dropped) */
  restart(scan: SlidingScan): S;
  /** the search for the first start goes on past the gap */
  gap(): void;
}

/**
 * A gap of `length` bytes in a direction read by `s`: a start in bytes a deferred search has not
 * looked at lies before the gap and is read first; a direction being read then reads on from the next
 * sync point after the gap (a new stream), one still looking for its start keeps looking (the same
 * stream). Counted in `gaps`. Returns the stream to read the direction with from now on.
 */
export function streamAfterGap<S extends ResyncingStream<S>>(s: S, gaps: DirectionGaps, length: number, meta: FrameMeta, overlap: number, scanLimit: number): S {
  s.flush(meta);
  const reading = s.scan.decided;
  gaps.gap(length, reading);
  if (!reading) {
    s.gap();
    return s;
  }
  return s.restart(resyncScan(overlap, scanLimit));
}

/** What a direction met at gaps, as summaries report it. */
export interface GapCounts {
  /** gaps reported in the direction */
  gaps: number;
  /** bytes they lost */
  lostBytes: number;
  /** times the direction was read on from a sync point after a gap */
  resyncs: number;
  /** bytes after gaps passed over to reach those sync points */
  skippedBytes: number;
  /** no sync point within the scan limit after a gap: the rest of the direction was not read */
  givenUp: boolean;
}

/** On the first observation of a direction after a resync. */
export interface AfterGap {
  /** bytes lost at the gaps since the direction was last read */
  gapBytes: number;
  /** bytes after the gap passed over before the sync point */
  skippedBytes: number;
}

/** One direction's gaps and resyncs; created at its first gap. */
export class DirectionGaps implements GapCounts {
  gaps = 0;
  lostBytes = 0;
  resyncs = 0;
  skippedBytes = 0;
  givenUp = false;
  /** the direction's current stream began at a gap after the direction had been read */
  sinceGap = false;
  /** a resync is looking for its sync point */
  private searching = false;
  /** bytes lost since the direction was last read */
  private pending = 0;
  /** what the next observation of the direction says about the resync before it */
  private next: AfterGap | null = null;

  constructor(
    private readonly protocol: string,
    private readonly dir: Direction,
    private readonly scanLimit: number,
  ) {}

  /** A gap of `length` bytes; `reading`: the direction was being read, so a resync begins. */
  gap(length: number, reading: boolean): void {
    this.gaps++;
    this.lostBytes += length;
    if (reading) {
      this.sinceGap = true;
      this.searching = true;
      this.pending = 0;
    }
    if (this.searching) this.pending += length;
  }

  /** The stream was read from a sync point `skipped` bytes after the gap: true if that ends a resync (not a first start). */
  synced(skipped: number): boolean {
    if (!this.searching) return false;
    this.searching = false;
    this.resyncs++;
    this.skippedBytes += skipped;
    this.next = { gapBytes: this.pending, skippedBytes: skipped };
    return true;
  }

  /** The stream found no sync point within the scan limit: after a gap, says so with `emit` (true then). */
  lost(emit: Emit, meta: FrameMeta): boolean {
    if (!this.searching) return false;
    this.searching = false;
    this.givenUp = true;
    emit(`${this.protocol}.resync-given-up`, this.dir, meta, { gaps: this.gaps, gapBytes: this.pending, scannedBytes: this.scanLimit, scanLimit: this.scanLimit });
    return true;
  }

  /**
   * `emit` for the direction's observations read after a resync: each carries `resyncedAfterGap` (the
   * resyncs so far), the first after each resync also `afterGap` (AfterGap), so an analyst knows the
   * evidence follows a loss. Installed at the first resync; directions without one keep the plain emitter.
   */
  marked(emit: Emit): Emit {
    return (kind, dir, meta, fields, findings) => {
      const after = this.next;
      this.next = null;
      emit(kind, dir, meta, after === null ? { ...fields, resyncedAfterGap: this.resyncs } : { ...fields, resyncedAfterGap: this.resyncs, afterGap: after }, findings);
    };
  }

  counts(): GapCounts {
    return { gaps: this.gaps, lostBytes: this.lostBytes, resyncs: this.resyncs, skippedBytes: this.skippedBytes, givenUp: this.givenUp };
  }
}

const NONE: GapCounts = { gaps: 0, lostBytes: 0, resyncs: 0, skippedBytes: 0, givenUp: false };

/** The `gapResync` field of a flow summary: each direction's GapCounts (zeros without a gap). */
export function gapSummary(gaps: Readonly<Record<Direction, DirectionGaps | null>>): Record<Direction, GapCounts> {
  return { c2s: gaps.c2s?.counts() ?? { ...NONE }, s2c: gaps.s2c?.counts() ?? { ...NONE } };
}

const DIRECTIONS: readonly Direction[] = ['c2s', 's2c'];

/**
 * At a flow's end: `flush` reads a start each direction's deferred search finds in bytes it has not
 * looked at yet. A failure is returned, not thrown, so the caller emits its summary first.
 */
export function flushBoth(flush: (dir: Direction) => void): { error: unknown } | undefined {
  let failure: { error: unknown } | undefined;
  for (const dir of DIRECTIONS) {
    try {
      flush(dir);
    } catch (e) {
      failure ??= { error: e };
    }
  }
  return failure;
}
