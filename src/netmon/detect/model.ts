/**
 * @module Detections and the versioned rule contract. A rule has an id, a version, parameters with
 * bounds and defaults, and hooks the engine calls per flow start, flow end, observation and clock
 * tick; it emits drafts, which the engine completes (rule id@version, device id from the device map,
 * dedup key) and folds by dedup key. Every detection says why: a title, an explanation, the facts
 * (numbers, names) it rests on and evidence pointing at frames, flows and observations.
 */
import type { BaselineStore } from '../baseline/index.js';
import type { FlowKey, FlowSummary, Micros, Observation, Severity } from '../model.js';
import type { SegmentationVerdict } from './segmentation.js';
import type { Topology } from './topology.js';

export const DETECTION_CATEGORIES = ['baseline', 'exposure', 'phi', 'insecure-protocol', 'credentials', 'dicom', 'reconnaissance', 'anomaly', 'segmentation'] as const;
export type DetectionCategory = (typeof DETECTION_CATEGORIES)[number];

export interface DetectionEvidence {
  /** "frame" (one packet), "flow", "observation" (a dissector's output), "statistic", "policy" */
  kind: 'frame' | 'flow' | 'observation' | 'statistic' | 'policy';
  /** "<capture>#frame=812", "<capture>#flow=17", "policy#/conduits/2", "baseline#10.0.0.5/bucket=498860" */
  ref: string;
  frame?: number;
  flowId?: number;
  ts?: Micros;
  detail?: string;
}

export type FactValue = string | number | boolean | null;

/** The words and figures of a detection, built only for the first occurrence of its dedup key. */
export interface DetectionText {
  title: string;
  explanation: string;
  facts?: Record<string, FactValue>;
}

/** What a rule emits; the engine fills in the rest. */
export interface DetectionDraft {
  severity: Severity;
  /**
   * Called once, when the dedup key is new: a repeat (the thousandth flow of a scan, the same new
   * peer again) only folds into the detection, so its text is never built.
   */
  describe: () => DetectionText;
  /** rule-specific tail of the dedup key (the engine prefixes "netmon:<rule>:<device>:") */
  dedupSuffix: string;
  /** the device the detection is about */
  deviceIp: string;
  peerIp?: string;
  ts: Micros;
  frame: number;
  evidence: DetectionEvidence[];
}

export interface Detection {
  rule: string;
  ruleVersion: string;
  category: DetectionCategory;
  severity: Severity;
  title: string;
  explanation: string;
  /** "netmon:<rule>:<deviceId or ip>:<suffix>": occurrences with one key are one alert */
  dedupKey: string;
  deviceIp: string;
  /** from the device map, when known */
  deviceId?: string;
  deviceName?: string;
  zone?: string;
  peerIp?: string;
  /** occurrences folded into this detection */
  count: number;
  firstTs: Micros;
  lastTs: Micros;
  firstSeen: string;
  lastSeen: string;
  firstFrame: number;
  /** evidence of the first occurrences (bounded) */
  evidence: DetectionEvidence[];
  facts: Record<string, FactValue>;
}

export interface RuleParam {
  name: string;
  description: string;
  default: number;
  min: number;
  max: number;
  integer?: boolean;
}

export interface FlowStartEvent {
  key: FlowKey;
  flowId: number;
  frame: number;
  ts: Micros;
}

export interface FlowEndEvent {
  summary: FlowSummary;
  /** dissector id that recognised the flow ("dicom"), else its transport ("tcp") */
  protocol: string;
  /** the flow judged against zones and conduits (present when the policy defines zones) */
  verdict?: SegmentationVerdict;
}

export interface ObservationEvent {
  observation: Observation;
  flowId?: number;
}

export interface RuleContext {
  readonly params: Readonly<Record<string, number>>;
  readonly topology: Topology;
  readonly baseline: BaselineStore;
  /** the capture (or stream) name evidence refers to */
  readonly source: string;
  emit(d: DetectionDraft): void;
}

export interface RuleInstance {
  onFlowStart?(e: FlowStartEvent): void;
  onFlowEnd?(e: FlowEndEvent): void;
  onObservation?(e: ObservationEvent): void;
  /** capture time moved forward (called before the event that moved it is handled) */
  onClock?(now: Micros): void;
  /** end of input: judge what is still pending */
  finish?(): void;
  /** counters for the report (evictions, states held) */
  stats?(): Record<string, number>;
}

export interface DetectionRule {
  readonly id: string;
  readonly version: string;
  readonly category: DetectionCategory;
  readonly title: string;
  /** one paragraph for the docs and `--help` */
  readonly description: string;
  readonly params: readonly RuleParam[];
  create(ctx: RuleContext): RuleInstance;
}

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const severityIndex = (s: Severity): number => SEVERITY_ORDER.indexOf(s);
/** The more severe of two severities. */
export const maxSeverity = (a: Severity, b: Severity): Severity => (severityIndex(a) <= severityIndex(b) ? a : b);

export const frameEvidence = (source: string, frame: number, ts: Micros, detail?: string): DetectionEvidence => ({
  kind: 'frame',
  ref: `${source}#frame=${frame}`,
  frame,
  ts,
  ...(detail === undefined ? {} : { detail }),
});

// two literals rather than a spread: rules make flow evidence for many flows that never become a detection
export const flowEvidence = (source: string, flowId: number, frame: number, ts: Micros, detail?: string): DetectionEvidence =>
  detail === undefined ? { kind: 'flow', ref: `${source}#flow=${flowId}`, flowId, frame, ts } : { kind: 'flow', ref: `${source}#flow=${flowId}`, flowId, frame, ts, detail };

export const observationEvidence = (source: string, o: Observation, flowId: number | undefined, detail?: string): DetectionEvidence => ({
  kind: 'observation',
  ref: `${source}#frame=${o.frame}&observation=${o.kind}`,
  frame: o.frame,
  ts: o.ts,
  ...(flowId === undefined ? {} : { flowId }),
  ...(detail === undefined ? {} : { detail }),
});

export const endpointText = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
