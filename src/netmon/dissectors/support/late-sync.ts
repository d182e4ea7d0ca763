/**
 * @module What every late-sync consumer shares (LateSync in contract.ts): it wraps the dissector's own
 * consumer, built with sliding scans, and adds the `lateSync` field to its observations, says when a
 * direction was given up at the scan limit (and skips the rest of it), and reports each direction's
 * status to the dispatcher. Gaps, and the deferred searches before a gap or the end, are the wrapped
 * consumer's own (gap-resync.ts): it reads on after a gap exactly as it does outside late sync.
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
  /**
   * the current search of `dir` for its start (after a gap: for its sync point after the gap); null if it
   * has none, which only a consumer built without a scan limit may answer (HL7's outside late sync)
   */
  scanOf(dir: Direction): ScanProgress | null;
  /** the current search of `dir` began at a gap after the direction had been read (gap-resync.ts) */
  sinceGap(dir: Direction): boolean;
}

export interface LateScan {
  /** the window overlap the dissector's evidence rules need (SlidingScan.overlap) */
  overlap: number;
  scanLimit: number;
}

export class LateSyncFlow implements LateSyncConsumer {
  readonly skips = true;
  private readonly inner: ScanningConsumer;
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

  /** a direction decided its start (a direction resyncing after a gap had), or an observation was read from one */
  get recognised(): boolean {
    return this.observed || this.started('c2s') || this.started('s2c');
  }

  private started(dir: Direction): boolean {
    return this.search(dir).decided || this.inner.sinceGap(dir);
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): number {
    const skip = askedSkip(this.inner, this.inner.onData(dir, data, meta));
    const scan = this.search(dir);
    if (!scan.lost) return skip;
    // a resync given up after a gap was reported by the consumer (<protocol>.resync-given-up)
    if (!this.givenUp[dir] && !this.inner.sinceGap(dir)) {
      this.givenUp[dir] = true;
      this.emit(`${this.protocol}.late-sync-given-up`, dir, meta, { selectedBy: SELECTED_BY, scannedBytes: scan.scannedBytes, scanLimit: this.scanLimit });
    }
    return SKIP_REST;
  }

  /** the consumer reads on after the gap (or keeps looking for the start), as outside late sync */
  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    this.inner.onGap?.(dir, length, meta);
  }

  /** the consumer reads a start found in deferred bytes before its summaries */
  onClose(reason: FlowCloseReason, meta: FrameMeta): void {
    this.inner.onClose?.(reason, meta);
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

  /**
   * The current search of `dir`. The consumer is built with a scan limit (the constructor's sliding scan)
   * and each direction keeps a search from then on (after a gap in a direction being read: the resync's),
   * so a missing one is a bug in the dissector, not something a direction's status can say.
   */
  private search(dir: Direction): ScanProgress {
    const s = this.inner.scanOf(dir);
    if (s === null) throw new Error(`${this.protocol} late sync: the consumer has no search for ${dir} (built without a scan limit)`);
    return s;
  }

  /** the current search of `dir`; after a gap in a direction being read, the resync's (counted from the gap) */
  private direction(dir: Direction): LateSyncDirection {
    const s = this.search(dir);
    const d: LateSyncDirection = s.decided
      ? { state: s.synced ? 'synced' : 'opened', scannedBytes: s.scannedBytes, carriedBytes: 0, syncedAfterBytes: s.synced ? s.scannedBytes : 0 }
      : s.lost
        ? { state: 'given-up', scannedBytes: s.scannedBytes, carriedBytes: 0, syncedAfterBytes: null }
        : { state: 'scanning', scannedBytes: s.scannedBytes, carriedBytes: s.carriedBytes, syncedAfterBytes: null };
    if (this.inner.sinceGap(dir)) d.sinceGap = true;
    return d;
  }
}
