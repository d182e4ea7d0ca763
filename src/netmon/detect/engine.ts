/**
 * @module DetectionEngine: feeds flow starts, flow ends and observations to the enabled rules and to
 * the baseline, judges every flow against zones and conduits, and folds what the rules emit into
 * detections by dedup key. Pure and streaming: no I/O, no wall clock (time is capture time), all
 * state bounded (baseline caps, per-rule caps, at most `maxDetections` detections with at most
 * `maxEvidence` evidence items each; what is dropped is counted in `stats()`).
 *
 * Order per event: the clock moves (rules may judge settled time buckets), rules see the event
 * against the baseline as it was, then the baseline learns from it. So an event inside the learning
 * window never raises a baseline detection, and one after it is compared with the window only.
 */
import { BaselineStore, type BaselineOptions } from '../baseline/index.js';
import type { FlowInfo, FlowKey, FlowSummary, Micros, Observation } from '../model.js';
import {
  severityIndex,
  type Detection,
  type DetectionDraft,
  type DetectionRule,
  type FlowEndEvent,
  type FlowStartEvent,
  type ObservationEvent,
  type RuleContext,
  type RuleInstance,
} from './model.js';
import { EMPTY_POLICY, type NetmonPolicy } from './policy.js';
import { DETECTION_RULES } from './rules/index.js';
import { judgeFlow, ZoneTraffic, type ZonePairTraffic } from './segmentation.js';
import { Topology } from './topology.js';

export interface DetectionEngineOptions {
  policy?: NetmonPolicy;
  /** default: DETECTION_RULES */
  rules?: readonly DetectionRule[];
  /** a resumed baseline (baselineFromJson); otherwise a new one with `baselineOptions` */
  baseline?: BaselineStore;
  baselineOptions?: Partial<BaselineOptions>;
  /** capture or stream name in evidence refs (default "capture") */
  source?: string;
  /** detections kept (default 5000); further dedup keys are counted, not kept */
  maxDetections?: number;
  /** evidence items kept per detection (default 16) */
  maxEvidence?: number;
  /** called once per dedup key (per checkpoint period), at its first occurrence (later occurrences only fold into it) */
  onDetection?: (d: Detection) => void;
}

export interface RuleStatus {
  id: string;
  version: string;
  enabled: boolean;
  params: Record<string, number>;
}

export interface DetectionStats {
  detections: number;
  occurrences: number;
  /** detections not kept because maxDetections was reached */
  droppedDetections: number;
  /** rule id -> its own counters (states held, evictions) */
  rules: Record<string, Record<string, number>>;
  zonePairsDropped: number;
}

const iso = (us: Micros): string => new Date(Math.floor(us / 1000)).toISOString();

export class DetectionEngine {
  readonly topology: Topology;
  readonly baseline: BaselineStore;
  readonly source: string;
  /** zone-pair traffic of the flows ended since the start or the last checkpoint() */
  zoneTraffic = new ZoneTraffic();
  readonly ruleStatus: RuleStatus[] = [];
  private readonly instances: Array<{ rule: DetectionRule; inst: RuleInstance; severity?: DetectionDraft['severity'] }> = [];
  // the rules that take each event, so an event calls only those (most rules take one or two kinds)
  private readonly flowStartRules: RuleInstance[] = [];
  private readonly flowEndRules: RuleInstance[] = [];
  private readonly observationRules: RuleInstance[] = [];
  private readonly clockRules: RuleInstance[] = [];
  private readonly folded = new Map<string, Detection>();
  private readonly maxDetections: number;
  private readonly maxEvidence: number;
  private dropped = 0;
  private occurrences = 0;
  private finished = false;

  constructor(private readonly opts: DetectionEngineOptions = {}) {
    const policy = opts.policy ?? EMPTY_POLICY;
    this.topology = new Topology(policy);
    this.baseline = opts.baseline ?? new BaselineStore(opts.baselineOptions);
    this.source = opts.source ?? 'capture';
    this.maxDetections = opts.maxDetections ?? 5000;
    this.maxEvidence = opts.maxEvidence ?? 16;
    for (const rule of opts.rules ?? DETECTION_RULES) {
      const settings = policy.rules[rule.id];
      const params: Record<string, number> = {};
      for (const p of rule.params) params[p.name] = settings?.params[p.name] ?? p.default;
      const enabled = settings?.enabled ?? true;
      this.ruleStatus.push({ id: rule.id, version: rule.version, enabled, params });
      if (!enabled) continue;
      const ctx: RuleContext = { params, topology: this.topology, baseline: this.baseline, source: this.source, emit: (d) => this.emit(rule, d, settings?.severity) };
      const inst = rule.create(ctx);
      this.instances.push({ rule, inst, ...(settings?.severity ? { severity: settings.severity } : {}) });
      if (inst.onFlowStart) this.flowStartRules.push(inst);
      if (inst.onFlowEnd) this.flowEndRules.push(inst);
      if (inst.onObservation) this.observationRules.push(inst);
      if (inst.onClock) this.clockRules.push(inst);
    }
  }

  onFlowStart(key: FlowKey, info: Pick<FlowInfo, 'id' | 'first'>): void {
    const ts = info.first.ts;
    this.tick(ts);
    const e: FlowStartEvent = { key, flowId: info.id, frame: info.first.frame, ts };
    for (const inst of this.flowStartRules) inst.onFlowStart!(e);
    const client = this.topology.info(key.client.ip);
    const server = this.topology.info(key.server.ip);
    if (client.internal) this.baseline.onFlowStart(key.client.ip, key.server.ip, { role: 'client', transport: key.transport, port: key.server.port, peer: key.server.ip }, ts);
    if (server.internal) this.baseline.onFlowStart(key.server.ip, key.client.ip, { role: 'server', transport: key.transport, port: key.server.port, peer: null }, ts);
  }

  onFlowEnd(summary: FlowSummary, protocol: string): void {
    this.tick(summary.lastTs);
    const e: FlowEndEvent = { summary, protocol };
    if (this.topology.hasZones) {
      e.verdict = judgeFlow(this.topology, summary.key, protocol);
      this.zoneTraffic.add(e.verdict, summary, protocol);
    }
    for (const inst of this.flowEndRules) inst.onFlowEnd!(e);
    const k = summary.key;
    const bytes = summary.c2s.bytes + summary.s2c.bytes;
    const packets = summary.c2s.packets + summary.s2c.packets;
    if (this.topology.info(k.client.ip).internal) this.baseline.onFlowEnd(k.client.ip, { protocol, bytes, packets, firstTs: summary.firstTs, lastTs: summary.lastTs, peer: k.server.ip, service: { role: 'client', transport: k.transport, port: k.server.port, peer: k.server.ip } });
    if (this.topology.info(k.server.ip).internal) this.baseline.onFlowEnd(k.server.ip, { protocol, bytes, packets, firstTs: summary.firstTs, lastTs: summary.lastTs, peer: k.client.ip, service: { role: 'server', transport: k.transport, port: k.server.port, peer: null } });
  }

  onObservation(observation: Observation, flowId?: number): void {
    this.tick(observation.ts);
    const e: ObservationEvent = flowId === undefined ? { observation } : { observation, flowId };
    for (const inst of this.observationRules) inst.onObservation!(e);
    const f = observation.flow;
    // an accepted association inside the window makes its destination an expected one for the caller
    if (f && observation.kind === 'dicom.associate-ac' && this.topology.info(f.client.ip).internal && this.baseline.isLearning(observation.ts)) {
      const calling = observation.fields.callingAe;
      const called = observation.fields.calledAe;
      if (typeof calling === 'string' && typeof called === 'string') this.baseline.learnDicomRoute(f.client.ip, calling, called, f.server.ip, f.server.port, observation.ts);
    }
  }

  /** End of input: rules judge what is pending (open time buckets, unanswered associations). Idempotent. */
  finish(): Detection[] {
    if (!this.finished) {
      this.finished = true;
      for (const { inst } of this.instances) inst.finish?.();
    }
    return this.detections();
  }

  /**
   * A checkpoint of a long read (a live capture recorded every few minutes): the detections folded
   * since the start or the last checkpoint, and a new period begins. Detections, their counters and the
   * zone-pair traffic count per period from here; the rules' state carries on (an association asked
   * before the checkpoint is answered after it; a volume bucket open across it is judged when it
   * closes), and so does the baseline. A dedup key seen in several periods is reported in each, with
   * that period's occurrences: whoever keeps them (alerts) folds them by key.
   */
  checkpoint(): Detection[] {
    const period = this.detections();
    this.folded.clear();
    this.occurrences = 0;
    this.dropped = 0;
    this.zoneTraffic = new ZoneTraffic();
    return period;
  }

  /** Folded detections, most severe first, then by first occurrence. */
  detections(): Detection[] {
    return [...this.folded.values()].sort((a, b) => severityIndex(a.severity) - severityIndex(b.severity) || a.firstTs - b.firstTs || a.dedupKey.localeCompare(b.dedupKey));
  }

  zonePairs(): ZonePairTraffic[] {
    return this.zoneTraffic.rows();
  }

  stats(): DetectionStats {
    const rules: Record<string, Record<string, number>> = {};
    for (const { rule, inst } of this.instances) {
      const s = inst.stats?.();
      if (s) rules[rule.id] = s;
    }
    return { detections: this.folded.size, occurrences: this.occurrences, droppedDetections: this.dropped, rules, zonePairsDropped: this.zoneTraffic.droppedPairs };
  }

  private tick(ts: Micros): void {
    if (ts <= this.baseline.clock && this.baseline.learnStart !== undefined) return;
    this.baseline.advance(ts);
    for (const inst of this.clockRules) inst.onClock!(ts);
  }

  private emit(rule: DetectionRule, d: DetectionDraft, severityOverride: DetectionDraft['severity'] | undefined): void {
    this.occurrences++;
    const info = this.topology.info(d.deviceIp);
    const device = info.device;
    const dedupKey = `netmon:${rule.id}:${device?.deviceId ?? d.deviceIp}:${d.dedupSuffix}`.slice(0, 500);
    const cur = this.folded.get(dedupKey);
    if (cur) {
      cur.count++;
      if (d.ts < cur.firstTs) {
        cur.firstTs = d.ts;
        cur.firstSeen = iso(d.ts);
      }
      if (d.ts > cur.lastTs) {
        cur.lastTs = d.ts;
        cur.lastSeen = iso(d.ts);
      }
      if (d.frame < cur.firstFrame) cur.firstFrame = d.frame;
      for (const ev of d.evidence) if (cur.evidence.length < this.maxEvidence) cur.evidence.push(ev);
      return;
    }
    if (this.folded.size >= this.maxDetections) {
      this.dropped++;
      return;
    }
    const text = d.describe();
    const det: Detection = {
      rule: rule.id,
      ruleVersion: rule.version,
      category: rule.category,
      severity: severityOverride ?? d.severity,
      title: text.title,
      explanation: text.explanation,
      dedupKey,
      deviceIp: d.deviceIp,
      ...(device?.deviceId ? { deviceId: device.deviceId } : {}),
      ...(device?.name ? { deviceName: device.name } : {}),
      ...(info.zone ? { zone: info.zone.name } : {}),
      ...(d.peerIp === undefined ? {} : { peerIp: d.peerIp }),
      count: 1,
      firstTs: d.ts,
      lastTs: d.ts,
      firstSeen: iso(d.ts),
      lastSeen: iso(d.ts),
      firstFrame: d.frame,
      evidence: d.evidence.slice(0, this.maxEvidence),
      facts: { ...text.facts },
    };
    this.folded.set(dedupKey, det);
    this.opts.onDetection?.(det);
  }
}
