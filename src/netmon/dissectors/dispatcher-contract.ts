/**
 * @module What flow tracking and the registry see of a flow dispatcher (dispatcher.ts): its options,
 * states and interface, and the held-bytes budget the undecided flows of one capture read share.
 */
import type { Direction, FlowCloseReason, FrameMeta, StreamConsumer } from '../model.js';
import type { Dissector, KeptBytesBudget, LateSyncStatus } from './contract.js';

export interface DispatcherOptions {
  /** candidate dissectors in priority order (default DEFAULT_DISSECTORS) */
  dissectors?: readonly Dissector[];
  /** bytes buffered per direction while detecting (default 4096) */
  maxDetectBytes?: number;
  /** UDP datagrams examined before giving up (default 8) */
  maxDetectDatagrams?: number;
  /**
   * bytes kept per flow for replay while undecided (default 16 KiB): past it the flow is unclassified.
   * Without it a one-sided capture of an unknown protocol (one direction exhausted, the other silent)
   * would keep a copy of everything that direction sends.
   */
  maxHeldBytes?: number;
  /** shared by every flow of one capture read, bounding what all undecided flows keep together */
  heldBytesBudget?: HeldBytesBudget;
  /** shared by every flow of one capture read, bounding the message bodies consumers keep (ConsumerOptions.keptBodies) */
  keptBodiesBudget?: KeptBytesBudget;
  /** late sync: bytes of a direction looked at for a sync point before it is given up (default 64 MiB) */
  lateSyncScanLimit?: number;
  /** after a gap: bytes looked at for the next sync point before the direction is given up (default 64 MiB; ConsumerOptions) */
  resyncScanLimit?: number;
}

export const DEFAULT_MAX_HELD_BYTES = 16 * 1024;
/** the shared bound a capture read uses (see pipeline/dissected.ts) */
export const DEFAULT_MAX_HELD_BYTES_TOTAL = 32 * 1024 * 1024;
/** message bodies kept to be read (HTTP), across the flows of one read */
export const DEFAULT_MAX_KEPT_BODY_BYTES_TOTAL = 32 * 1024 * 1024;

/** Bytes that undecided dispatchers keep for replay, across the flows sharing it. */
export class HeldBytesBudget {
  used = 0;
  peak = 0;
  /**
   * flows content detection gave up on because their own or the shared bound was reached (on a late-sync
   * port such a flow goes on in late sync rather than unclassified)
   */
  flowsGivenUp = 0;
  constructor(readonly max: number) {}
}

/**
 * 'late-sync': content detection failed on a port of a dissector with late sync, which now looks for a
 * sync point in what follows (`producer` stays undefined until it recognises a direction).
 */
export type DispatcherState = 'detecting' | 'dissecting' | 'late-sync' | 'unclassified';

export interface Dispatcher extends StreamConsumer {
  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): number;
  onGap(dir: Direction, length: number, meta: FrameMeta): void;
  onClose(reason: FlowCloseReason, meta: FrameMeta): void;
  readonly state: DispatcherState;
  /** id@version of the chosen dissector, once chosen */
  readonly producer: string | undefined;
  /** bytes kept for replay while detecting */
  readonly heldBytes: number;
  /** in state 'late-sync': how each direction's search stands (carried bytes included) */
  readonly lateSync: LateSyncStatus | undefined;
}
