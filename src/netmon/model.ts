/**
 * @module Shared netmon types: what capture/decoding hands to flow tracking, what flow tracking hands
 * to protocol dissectors, and the one observation model every protocol becomes.
 */

/** Microseconds since the Unix epoch, as a JS number (exact to 2^53 µs, i.e. beyond year 2200). */
export type Micros = number;

export interface Endpoint {
  ip: string;
  port: number;
  mac?: string;
}

export type Transport = 'tcp' | 'udp';
/** client-to-server (the side that sent SYN / the first datagram) or the reverse */
export type Direction = 'c2s' | 's2c';

export interface FlowKey {
  transport: Transport;
  client: Endpoint;
  server: Endpoint;
  vlan?: number[];
}

export interface FrameMeta {
  /** 1-based frame number in the capture (evidence for observations and alerts) */
  frame: number;
  ts: Micros;
}

/**
 * What a skipping StreamConsumer's onData returns for "none of the bytes that follow in this
 * direction are needed": the largest skip, a small integer so counters stay unboxed.
 */
export const SKIP_REST = 0x3fffffff;

/** The skip `consumer` asked for by returning `returned` from onData: 0 unless it `skips`, capped at SKIP_REST. */
export function askedSkip(consumer: StreamConsumer, returned: unknown): number {
  return consumer.skips === true && typeof returned === 'number' && returned > 0 ? Math.min(Math.floor(returned), SKIP_REST) : 0;
}

/** What flow tracking calls for each reassembled stream (TCP) or datagram flow (UDP). */
export interface StreamConsumer {
  /**
   * In-order bytes of one direction; `data` is only valid during the call (copy to keep). When the
   * consumer sets `skips`, a TCP onData returns how many of the bytes that follow this chunk it does
   * not need to see (opaque payload it has already accounted for, such as the rest of a DICOM
   * data-set fragment; SKIP_REST for all of them): they are passed over without a call, and the
   * chunk holding the first byte after them comes trimmed. A gap is reported as usual and cancels the
   * rest of the skip. Other return values are ignored.
   */
  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void;
  /** true: onData's return value is a skip count (fixed for the consumer's life) */
  readonly skips?: boolean;
  /** bytes missing from the capture in this direction (never retransmitted/captured) */
  onGap?(dir: Direction, length: number, meta: FrameMeta): void;
  onClose?(reason: 'fin' | 'rst' | 'timeout' | 'end-of-capture' | 'evicted', meta: FrameMeta): void;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** A security-relevant property seen on the wire (cleartext credentials, TLS 1.0, ...). */
export interface WireFinding {
  code: string;
  severity: Severity;
  message: string;
}

/** One normalized fact a dissector extracted. Protocol-specific fields go in `fields`. */
export interface Observation {
  protocol: string;
  /** e.g. "dicom.associate-rq", "hl7.message", "mqtt.connect", "tls.client-hello", "dhcp.request" */
  kind: string;
  /** dissector id@version that produced it (re-analysis traceability) */
  producer: string;
  ts: Micros;
  frame: number;
  flow?: FlowKey;
  /** which side of the flow sent it */
  dir?: Direction;
  fields: Record<string, unknown>;
  findings?: WireFinding[];
}

export type ObservationSink = (o: Observation) => void;

/** An ARP packet's sender binding (no flow carries ARP). */
export interface ArpSighting {
  senderIp: string;
  senderMac: string;
  /** 1 request, 2 reply */
  op: number;
}

/** Why a stream ended (the same set StreamConsumer.onClose receives). */
export type FlowCloseReason = 'fin' | 'rst' | 'timeout' | 'end-of-capture' | 'evicted';

/** How flow tracking decided which side is the client. */
export type FlowRoleSource = 'syn' | 'syn-ack' | 'port' | 'first-packet';

/** What flow tracking knows about a flow when it starts (second argument of onFlowStart). */
export interface FlowInfo {
  /** sequential within one flow tracker, from 1 */
  id: number;
  /** client/server came from a heuristic (lower port is the server; else first sender), not a handshake */
  roleGuessed: boolean;
  roleSource: FlowRoleSource;
  /** the packet that created the flow */
  first: FrameMeta;
}

export interface FlowDirectionCounters {
  packets: number;
  /** frame bytes on the wire (original length), as tshark's conversation table counts them */
  bytes: number;
  /** TCP/UDP payload bytes, including any the capture cut off */
  payloadBytes: number;
}

/** A finished flow's counters, for flow records and baselines. */
export interface FlowSummary {
  id: number;
  key: FlowKey;
  roleGuessed: boolean;
  roleSource: FlowRoleSource;
  c2s: FlowDirectionCounters;
  s2c: FlowDirectionCounters;
  firstTs: Micros;
  lastTs: Micros;
  firstFrame: number;
  lastFrame: number;
  closeReason: FlowCloseReason;
  /** TCP only */
  tcp?: {
    /** a SYN or SYN-ACK was seen (the stream start is known) */
    handshakeSeen: boolean;
    /** segments whose bytes had all been received already */
    retransmittedSegments: number;
    /** bytes received again that overlapped data already held or delivered (first copy wins) */
    overlapBytes: number;
    outOfOrderSegments: number;
    /** bytes reported to onGap (never captured) */
    gapBytes: number;
  };
}
