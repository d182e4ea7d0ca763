/** @module Flow tracker options, bounds and counters. */
import type { FlowInfo, FlowKey, FlowSummary, StreamConsumer } from '../model.js';

export interface FlowLimits {
  /** flows tracked at once; the least recently active is evicted beyond it (default 65 536) */
  maxFlows: number;
  /** out-of-order bytes held per TCP direction before a gap is declared (default 1 MiB; each held segment also counts 128 bytes) */
  maxBufferedBytesPerFlow: number;
  /** out-of-order bytes held across all flows (default 64 MiB) */
  maxBufferedBytesTotal: number;
  /** out-of-order segments held per TCP direction (default 2048); bounds per-segment work */
  maxSegmentsPerFlow: number;
  /** TCP idle timeout in packet time, µs (default 5 min, as Zeek) */
  tcpIdleTimeoutUs: number;
  /** how long a TCP flow closed by FIN/RST stays to absorb trailing ACKs, µs (default 10 s) */
  tcpClosedTimeoutUs: number;
  /** UDP idle timeout in packet time, µs (default 1 min, as Zeek) */
  udpIdleTimeoutUs: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  maxFlows: 65_536,
  maxBufferedBytesPerFlow: 1024 * 1024,
  maxBufferedBytesTotal: 64 * 1024 * 1024,
  maxSegmentsPerFlow: 2048,
  tcpIdleTimeoutUs: 300_000_000,
  tcpClosedTimeoutUs: 10_000_000,
  udpIdleTimeoutUs: 60_000_000,
};

export interface FlowTrackerOptions {
  /** called once per new flow; return a consumer to receive its reassembled bytes, or undefined */
  onFlowStart?: (key: FlowKey, info: FlowInfo) => StreamConsumer | undefined;
  /** called once when a flow leaves the table (expiry, eviction, end of capture) with its counters */
  onFlowEnd?: (summary: FlowSummary) => void;
  limits?: Partial<FlowLimits>;
}

export interface FlowTrackerStats {
  flowsCreated: number;
  tcpFlows: number;
  udpFlows: number;
  activeFlows: number;
  peakActiveFlows: number;
  expiredFlows: number;
  evictedFlows: number;
  bufferedBytes: number;
  peakBufferedBytes: number;
  retransmittedSegments: number;
  overlapBytes: number;
  outOfOrderSegments: number;
  gapBytes: number;
  /** gaps declared because a per-flow or global buffer bound was reached */
  forcedGaps: number;
}

/** Out-of-order bytes held across all flows, shared by every TCP direction. */
export interface BufferBudget {
  used: number;
  peak: number;
  readonly max: number;
}
