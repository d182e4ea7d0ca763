/**
 * @module The versioned plug-in contract every protocol dissector implements. A dissector recognises its
 * protocol from the first bytes of a stream (content first; ports are only hints) and turns the stream into
 * Observations. Results carry `id@version` so a re-analysis can tell which dissector produced what. An
 * optional capability (LateSync) keeps looking for a sync point past the first bytes on the dissector's
 * own ports once content detection gave a flow up.
 */
import type { Direction, FlowKey, ObservationSink, StreamConsumer } from '../model.js';

/**
 * Answer of a content check: 'yes' (this is my protocol), 'no' (never will be), 'need-more' (give me more
 * bytes of this direction before I can tell).
 */
export type Detection = 'yes' | 'no' | 'need-more';

export type DissectorTransport = 'tcp' | 'udp' | 'both';

export interface Dissector {
  /** stable identifier, also the `protocol` of most observations it emits (e.g. "dicom") */
  readonly id: string;
  /** semantic version of the dissector's output; bump when fields or findings change meaning */
  readonly version: string;
  readonly transport: DissectorTransport;
  /**
   * well-known server ports: tie-breakers between content matches, never a reason on their own (late
   * sync keeps looking for content on some of them, see LateSync)
   */
  readonly defaultPorts: readonly number[];
  /**
   * Cheap, pure content check over the first bytes one side sent (for UDP: one datagram). Must not throw and
   * must not keep state. `dir` says which side sent `firstBytes`; `key` allows port-aware tie-breaking.
   */
  detect(firstBytes: Uint8Array, dir: Direction, key: FlowKey): Detection;
  /**
   * A consumer for one flow. For TCP it receives the reassembled bytes of each direction in arbitrary chunks;
   * for UDP each `onData` call is exactly one datagram. It may throw only a DissectorError (the dispatcher
   * turns that into a `<protocol>.malformed` observation and stops feeding that TCP direction). `options`
   * tune what some dissectors do (ConsumerOptions); others ignore them.
   */
  create(key: FlowKey, emit: ObservationSink, options?: ConsumerOptions): StreamConsumer;
  /**
   * Optional: late mid-stream sync on the dissector's own ports (see LateSync). Without it a flow content
   * detection gives up on stays unclassified.
   */
  readonly lateSync?: LateSync;
}

/**
 * Options of a flow's consumer. Dissectors that read on after a gap (HL7, DICOM, MQTT: a direction being
 * read looks for its next sync point in the bytes after the gap, with the rules it finds a connection
 * seen from the middle with, and reads on from there) give a direction up after `resyncScanLimit` bytes
 * after a gap without one (`<id>.resync-given-up`).
 */
export interface ConsumerOptions {
  /** bytes after a gap looked at for a sync point before the direction is given up (default 64 MiB) */
  resyncScanLimit?: number;
  /**
   * shared by the flows of one capture read: what consumers keep of message bodies to read (HTTP bodies
   * carrying HL7 or a device description) counts against it, and a body that would pass it is not kept
   */
  keptBodies?: KeptBytesBudget;
}

/** Bytes kept across the flows sharing it, and its bound; `refused` counts what was not kept for it. */
export interface KeptBytesBudget {
  used: number;
  peak: number;
  refused: number;
  readonly max: number;
}

/**
 * Late mid-stream sync. A monitor started on a live network meets persistent connections from the middle;
 * detection sees only the first bytes of each direction (the dispatcher's 4 KiB), so a direction whose
 * first bytes lie inside a large message (a 1 MiB P-DATA-TF, an ORU carrying a PDF, a 10 KiB PUBLISH) is
 * never recognised by content. When detection gives a TCP flow up (both directions exhausted, or the
 * held-bytes bound reached, or the flow ends undecided) and its server port is one of `ports`, the
 * dispatcher hands the flow to `create` instead of leaving it unclassified: content still decides first,
 * and a port alone never makes a flow this protocol (the dispatcher names no producer until a direction
 * is recognised).
 */
export interface LateSync {
  /** server ports, a subset of `defaultPorts`, where another protocol is unlikely enough to keep looking */
  readonly ports: readonly number[];
  /**
   * A consumer for such a flow (the buffered bytes are replayed into it first). Each direction keeps
   * looking for its sync point in everything that follows, with the dissector's own mid-stream rules
   * (the same evidence, applied to a window that slides instead of stopping at the first bytes) and a
   * bounded carry between chunks; once synced it is read exactly as a direction seen from the middle.
   * After `options.scanLimit` bytes without a sync point the direction is given up, and a
   * `<id>.late-sync-given-up` observation says so (fields `selectedBy`, `scannedBytes`, `scanLimit`).
   * Every other observation of such a flow carries a `lateSync` field: `{ selectedBy, syncedAfterBytes }`
   * (the offset its direction is read from) on a direction's, `{ selectedBy, scanLimit, c2s, s2c }` (each
   * a LateSyncDirection) on the flow's (summaries). Bytes that never sync produce no other observation.
   * At a gap a direction goes on as in the dissector's ordinary consumer (ConsumerOptions): still looking,
   * it keeps looking; being read, it looks for its next sync point after the gap (`scanning` again, with
   * `sinceGap`). Throws only DissectorError.
   */
  create(key: FlowKey, emit: ObservationSink, options: LateSyncOptions): LateSyncConsumer;
}

export interface LateSyncOptions extends ConsumerOptions {
  /** bytes of a direction looked at for a sync point before the direction is given up */
  scanLimit: number;
}

/**
 * How one direction of a late-sync flow stands: still `scanning`, `synced` (read from a sync point),
 * `opened` (read from its first byte: it opened its session) or `given-up` (scan limit reached). A
 * direction still looking for its start at a gap keeps `scanning` past it; one being read is `scanning`
 * again after it (`sinceGap`), then `synced` or `given-up` (HL7, DICOM and MQTT read on after a gap
 * since hl7 1.3.0, dicom 1.6.0 and mqtt 1.3.0; no direction is stopped at one).
 */
export type LateSyncState = 'scanning' | 'synced' | 'opened' | 'given-up';

export interface LateSyncDirection {
  state: LateSyncState;
  /**
   * present (true) once a gap came while the direction was read: the state is the resync's, and
   * `scannedBytes` and `syncedAfterBytes` count the bytes seen since that gap
   */
  sinceGap?: true;
  /** bytes of the direction looked at for a sync point (up to the start, or to the scan limit; bytes lost at gaps not counted) */
  scannedBytes: number;
  /** bytes held across chunks for the search (bounded by the dissector's window); 0 once decided */
  carriedBytes: number;
  /** stream offset the direction is read from, null while none is known */
  syncedAfterBytes: number | null;
}

export type LateSyncStatus = Record<Direction, LateSyncDirection>;

export interface LateSyncConsumer extends StreamConsumer {
  /** a direction was read from a start its content proved: the flow is this dissector's protocol */
  readonly recognised: boolean;
  status(): LateSyncStatus;
}

/** The `producer` string observations carry. */
export const producerOf = (d: Pick<Dissector, 'id' | 'version'>): string => `${d.id}@${d.version}`;
