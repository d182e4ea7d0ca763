/**
 * @module The versioned plug-in contract every protocol dissector implements. A dissector recognises its
 * protocol from the first bytes of a stream (content first; ports are only hints) and turns the stream into
 * Observations. Results carry `id@version` so a re-analysis can tell which dissector produced what.
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
  /** well-known server ports: tie-breakers between content matches, never a reason on their own */
  readonly defaultPorts: readonly number[];
  /**
   * Cheap, pure content check over the first bytes one side sent (for UDP: one datagram). Must not throw and
   * must not keep state. `dir` says which side sent `firstBytes`; `key` allows port-aware tie-breaking.
   */
  detect(firstBytes: Uint8Array, dir: Direction, key: FlowKey): Detection;
  /**
   * A consumer for one flow. For TCP it receives the reassembled bytes of each direction in arbitrary chunks;
   * for UDP each `onData` call is exactly one datagram. It may throw only a DissectorError (the dispatcher
   * turns that into a `<protocol>.malformed` observation and stops feeding that TCP direction).
   */
  create(key: FlowKey, emit: ObservationSink): StreamConsumer;
}

/** The `producer` string observations carry. */
export const producerOf = (d: Pick<Dissector, 'id' | 'version'>): string => `${d.id}@${d.version}`;
