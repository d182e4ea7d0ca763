/**
 * @module What a dissected capture read reports, in capture order: ARP sightings, pcapng name records,
 * flow starts, observations and flow ends.
 */
import type { NameRecord } from '../capture/index.js';
import type { ArpSighting, FlowInfo, FlowKey, FlowSummary, FrameMeta, Observation } from '../model.js';

export interface DissectedHandlers {
  onArp?(arp: ArpSighting, meta: FrameMeta): void;
  onNameRecord?(record: NameRecord): void;
  onFlowStart?(key: FlowKey, info: FlowInfo): void;
  /** `flowId` is the id of the flow the observation came from (FlowInfo.id) */
  onObservation?(o: Observation, flowId: number): void;
  /** `producer` is id@version of the dissector that handled the flow, if one recognised it */
  onFlowEnd?(summary: FlowSummary, producer: string | undefined): void;
  /** a new file of a multi-file input starts; `firstFrame` is the read-wide number of its first packet */
  onFile?(path: string, firstFrame: number): void;
}

/** Counters a caller may read while the capture is being read (progress displays). */
export interface LiveCounters {
  packets: number;
  flows: number;
}
