/**
 * @module What every late-sync consumer shares (LateSync in contract.ts): it wraps the dissector's own
 * consumer, built with sliding scans, and adds the `lateSync` field to its observations, says when a
 * direction was given up at the scan limit (and skips the rest of it), searches the bytes a sliding scan
 * deferred before a gap or the end, and reports each direction's status to the dispatcher.
 */
import { askedSkip, SKIP_REST, type Direction, type FlowCloseReason, type FrameMeta, type StreamConsumer } from '../../model.js';
import type { LateSyncConsumer, LateSyncDirection, LateSyncStatus } from '../contract.js';
import type { Emit } from './emitter.js';
import type { ScanProgress, SlidingScan } from './stream-start.js';

/** bytes of a direction looked at for a sync point by default before it is given up */
export const DEFAULT_LATE_SYNC_SCAN_LIMIT = 64 * 1024 * 1024;
/** an incomplete window is searched on its first 8 chunks, then after each 512 new bytes (SlidingScan) */
export const LATE_SYNC_EAGER_SEARCHES = 8;
export const LATE_SYNC_SEARCH_EVERY = 512;
/** what chose the dissector, in every `lateSync` field: the server port, after content detection failed */
export const SELECTED_BY = 'server-port-after-content-detection-failed';

/**
 * The sliding scan for a consumer content detection chose, on one of the dissector's late-sync ports:
 * a direction that does not open its session keeps looking for its sync point past the first window
 * (the other direction proved the protocol; this one may start inside a 1 MiB P-DATA PDU or a large
 * PUBLISH), undefined on other ports. Every chunk of an undecided window is searched, so nothing waits
 * for a flush at a gap or the end; once a direction is decided its chunks cost nothing more.
 */
export function contentChosenScan(port: number, lateSyncPorts: readonly number[], overlap: number): SlidingScan | undefined {
  if (!lateSyncPorts.includes(port)) return undefined;
  return { overlap, scanLimit: DEFAULT_LATE_SYNC_SCAN_LIMIT, eagerSearches: Number.MAX_SAFE_INTEGER, searchEvery: LATE_SYNC_SEARCH_EVERY };
}

/** A dissector's consumer whose directions look for their start with sliding scans. */
export interface ScanningConsumer extends StreamConsumer {
  /** the search of `dir` for its start; null once the direction was dropped (after a gap) */
  scanOf(dir: Direction): ScanProgress | null;
  /** reads a start of `dir` found in bytes a deferred search has not looked at yet */
  flush(dir: Direction, meta: FrameMeta): void;
}

export interface LateScan {
  /** the window overlap the dissector's evidence rules need (SlidingScan.overlap) */
  overlap: number;
  scanLimit: number;
}

const DIRECTIONS: readonly Direction[] = ['c2s', 's2c'];

export class LateSyncFlow implements LateSyncConsumer {
  readonly skips = true;
  private readonly inner: ScanningConsumer;
  /** how a direction stood when a gap dropped its stream */
  private readonly dropped: Record<Direction, LateSyncDirection | null> = { c2s: null, s2c: null };
  private readonly givenUp: Record<Direction, boolean> = { c2s: false, s2c: false };
  private observed = false;
  private readonly scanLimit: number;

  /**
   * `emit` is the dissector's flow emitter; `create` builds its consumer with the emitter that adds the
   * `lateSync` field and the sliding scan its streams use.
   */
  constructor(
    private readonly protocol: string,
    private readonly emit: Emit,
    scan: LateScan,
    create: (emit: Emit, scan: SlidingScan) => ScanningConsumer,
  ) {
    this.scanLimit = scan.scanLimit;
    this.inner = create(this.stamp(emit), { overlap: scan.overlap, scanLimit: scan.scanLimit, eagerSearches: LATE_SYNC_EAGER_SEARCHES, searchEvery: LATE_SYNC_SEARCH_EVERY });
  }

  /** a direction decided its start, or an observation was read from one */
  get recognised(): boolean {
    return this.observed || this.inner.scanOf('c2s')?.decided === true || this.inner.scanOf('s2c')?.decided === true;
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): number {
    const skip = askedSkip(this.inner, this.inner.onData(dir, data, meta));
    const scan = this.inner.scanOf(dir);
    if (scan === null) return SKIP_REST;
    if (!scan.lost) return skip;
    if (!this.givenUp[dir]) {
      this.givenUp[dir] = true;
      this.emit(`${this.protocol}.late-sync-given-up`, dir, meta, { selectedBy: SELECTED_BY, scannedBytes: scan.scannedBytes, scanLimit: this.scanLimit });
    }
    return SKIP_REST;
  }

  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    try {
      this.inner.flush(dir, meta);
    } finally {
      this.stopped(dir);
      this.inner.onGap?.(dir, length, meta);
    }
  }

  onClose(reason: FlowCloseReason, meta: FrameMeta): void {
    // a start found in deferred bytes is read before the summaries; a failure is rethrown after them
    let failure: unknown;
    let failed = false;
    for (const dir of DIRECTIONS) {
      try {
        this.inner.flush(dir, meta);
      } catch (e) {
        if (!failed) failure = e;
        failed = true;
      }
    }
    this.inner.onClose?.(reason, meta);
    if (failed) throw failure;
  }

  status(): LateSyncStatus {
    return { c2s: this.direction('c2s'), s2c: this.direction('s2c') };
  }

  /**
   * `emit` with the `lateSync` field added: `{ selectedBy, syncedAfterBytes }` (the offset the direction
   * is read from; 0 when it opened its session) on a direction's observations, the whole status on those
   * of the flow (summaries).
   */
  private stamp(emit: Emit): Emit {
    return (kind, dir, meta, fields, findings) => {
      this.observed = true;
      const lateSync =
        dir === undefined ? { selectedBy: SELECTED_BY, scanLimit: this.scanLimit, ...this.status() } : { selectedBy: SELECTED_BY, syncedAfterBytes: this.direction(dir).syncedAfterBytes ?? 0 };
      emit(kind, dir, meta, { ...fields, lateSync }, findings);
    };
  }

  /** before a gap drops the stream of `dir` */
  private stopped(dir: Direction): void {
    if (this.dropped[dir] !== null) return;
    const d = this.direction(dir);
    this.dropped[dir] = d.state === 'scanning' ? { ...d, state: 'stopped', carriedBytes: 0 } : d;
  }

  private direction(dir: Direction): LateSyncDirection {
    const dropped = this.dropped[dir];
    if (dropped !== null) return dropped;
    const s = this.inner.scanOf(dir);
    if (s === null) return { state: 'stopped', scannedBytes: 0, carriedBytes: 0, syncedAfterBytes: null };
    if (s.decided) return { state: s.synced ? 'synced' : 'opened', scannedBytes: s.scannedBytes, carriedBytes: 0, syncedAfterBytes: s.synced ? s.scannedBytes : 0 };
    if (s.lost) return { state: 'given-up', scannedBytes: s.scannedBytes, carriedBytes: 0, syncedAfterBytes: null };
    return { state: 'scanning', scannedBytes: s.scannedBytes, carriedBytes: s.carriedBytes, syncedAfterBytes: null };
  }
}
