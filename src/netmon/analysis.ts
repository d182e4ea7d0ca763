/**
 * @module CaptureAnalysis: what one report accumulates while a capture is read (discovery profiles,
 * detections, protocol counts, top talkers, conversations) and the NetmonReport it makes at the end.
 * `analyzeCapture` runs one over a whole capture; a segmented read (segments.ts) runs one per segment
 * while flows carry on from one segment into the next.
 */
import { BaselineStore, baselineFromJson } from './baseline/index.js';
import type { ConversationTable } from './conversations/index.js';
import { DetectionEngine } from './detect/index.js';
import { describeProfile, DiscoveryBuilder, type DiscoveredDevice, type OuiDatabase } from './discovery/index.js';
import type { ArpSighting, FlowInfo, FlowKey, FlowSummary, FrameMeta, Observation, Severity } from './model.js';
import type { DissectedHandlers } from './pipeline/events.js';
import type { CaptureFault } from './pipeline/read-capture.js';
import type { CaptureFileRead, CaptureSegmentInfo, DetectionOptions, DetectionSummary, FindingGroup, NetmonReport, ProtocolCount, TopTalker } from './report.js';

export interface AnalysisOptions {
  /** capture name in provenance and the report */
  name: string;
  oui: OuiDatabase;
  /** baselines and detections; undefined when disabled */
  engine: DetectionEngine | undefined;
  maxProfiles?: number;
  /** largest flows listed (default 10) */
  topTalkers?: number;
  /** finished flows are folded into this table (the communication map) when given */
  conversations?: ConversationTable;
  /** each observation, after discovery and detection saw it */
  onObservation?: (o: Observation) => void;
}

/** What the report says of the read itself (the whole capture, or one segment of it). */
export interface ReadSummary {
  bytes: number;
  packets: number;
  decoded: number;
  /** flows started */
  flows: number;
  firstTs?: number;
  lastTs?: number;
  decodeErrors: Record<string, number>;
  captureErrors: CaptureFault[];
  consumerErrors: number;
  files?: CaptureFileRead[];
  /** a segment of a longer read (segments.ts) */
  segment?: CaptureSegmentInfo;
}

/** the protocol a flow counts under: its dissector's id, else its transport */
export const protocolName = (s: FlowSummary, producer: string | undefined): string => (producer ? producer.slice(0, producer.indexOf('@')) : s.key.transport);

const iso = (us: number | undefined): string | undefined => (us === undefined ? undefined : new Date(Math.floor(us / 1000)).toISOString());
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export class CaptureAnalysis implements Required<Pick<DissectedHandlers, 'onArp' | 'onFlowStart' | 'onObservation' | 'onFlowEnd'>> {
  private readonly builder: DiscoveryBuilder;
  /** released once the report has what it needs of it, before the devices are described (finish) */
  private engine: DetectionEngine | undefined;
  private readonly protocols = new Map<string, ProtocolCount>();
  private readonly talkers: TopTalker[] = [];
  private readonly started = performance.now();

  constructor(private readonly opts: AnalysisOptions) {
    this.engine = opts.engine;
    // the policy's judgement of what is the internet (a zone may claim public address space as the hospital's)
    const topology = opts.engine?.topology;
    this.builder = new DiscoveryBuilder({
      ...(opts.maxProfiles === undefined ? {} : { maxProfiles: opts.maxProfiles }),
      ...(topology ? { isInternet: (ip: string) => topology.info(ip).internet } : {}),
    });
  }

  /** observations seen so far */
  get observations(): number {
    return this.builder.observations;
  }

  onArp(arp: ArpSighting, meta: FrameMeta): void {
    this.builder.onArp(arp, meta);
  }

  onFlowStart(key: FlowKey, info: FlowInfo): void {
    this.engine?.onFlowStart(key, info);
  }

  onObservation(o: Observation, flowId: number): void {
    this.protocolOf(o.protocol).observations++;
    this.builder.observe(o);
    this.engine?.onObservation(o, flowId);
    this.opts.onObservation?.(o);
  }

  /**
   * A flow ended. `part`: the piece of it not recorded by an earlier segment (segments.ts), which the
   * protocol counts, top talkers and discovery take, `newFlow` false when an earlier segment counted
   * the flow already; detection always judges the whole flow.
   */
  onFlowEnd(s: FlowSummary, producer: string | undefined, part?: { summary: FlowSummary; newFlow: boolean }): void {
    const protocol = protocolName(s, producer);
    // a flow an earlier segment counted, ending with nothing new in this one, adds nothing to its tables
    const counted = part?.summary ?? s;
    if (part === undefined || part.newFlow || counted.c2s.packets + counted.s2c.packets > 0) this.count(counted, protocol, part?.newFlow ?? true);
    this.engine?.onFlowEnd(s, protocol);
    this.opts.conversations?.add(s, protocol);
  }

  /**
   * The piece of a still-open flow carried in this segment (a checkpoint of a long read): counted in
   * the protocol table, top talkers and discovery (its services and peers, its packets and bytes) as
   * the part of a flow that went on; detection sees the flow when it ends.
   */
  onFlowPart(part: FlowSummary, producer: string | undefined, newFlow: boolean): void {
    this.count(part, protocolName(part, producer), newFlow);
  }

  private count(s: FlowSummary, protocol: string, newFlow: boolean): void {
    const c = this.protocolOf(protocol);
    if (newFlow) c.flows++;
    c.packets += s.c2s.packets + s.s2c.packets;
    c.bytes += s.c2s.bytes + s.s2c.bytes;
    this.builder.onFlowEnd(s, protocol);
    const total = s.c2s.bytes + s.s2c.bytes;
    const talkers = this.talkers;
    const topN = this.opts.topTalkers ?? 10;
    if (talkers.length < topN || total > (talkers[talkers.length - 1]?.bytes ?? 0)) {
      talkers.push({ transport: s.key.transport, client: `${s.key.client.ip}:${s.key.client.port}`, server: `${s.key.server.ip}:${s.key.server.port}`, protocol, packets: s.c2s.packets + s.s2c.packets, bytes: total, firstFrame: s.firstFrame });
      talkers.sort((a, b) => b.bytes - a.bytes || a.firstFrame - b.firstFrame);
      if (talkers.length > topN) talkers.pop();
    }
  }

  /**
   * The report of what was read. `onEngineDone` gets the engine after its last detections (its baseline
   * to keep, its stats). The analysis takes nothing more after this. A segment of a longer read that
   * is not its last (`read.segment.final` false) leaves the engine running for the next segment: its
   * rules keep what is pending and the report has the detections of this segment (engine checkpoint).
   */
  finish(read: ReadSummary, onEngineDone?: (engine: DetectionEngine) => void): NetmonReport {
    const engine = this.engine;
    if (read.segment?.final !== false) engine?.finish();
    if (engine) onEngineDone?.(engine);
    const detection = engine ? summarizeEngine(engine) : undefined;
    const zonePairs = engine?.zonePairs() ?? [];
    const detections = engine?.checkpoint() ?? [];
    // The engine (baseline of up to 20,000 devices, rule state) and the discovery tables are the
    // largest things alive at the end: each goes as soon as it is no longer needed, and each profile
    // once it is described, so they are never all alive together with the devices built from them.
    this.engine = undefined;
    const builder = this.builder;
    const observations = builder.observations;
    const devicesDropped = builder.droppedEndpoints;
    const profiles = builder.finish();
    builder.release();
    const devices: DiscoveredDevice[] = [];
    // order does not matter here: profile keys are unique, so the sort below decides it alone
    for (let p = profiles.pop(); p !== undefined; p = profiles.pop()) devices.push(describeProfile(p, this.opts.oui));
    devices.sort((a, b) => a.firstFrame - b.firstFrame || a.key.localeCompare(b.key));
    return {
      capture: {
        name: this.opts.name,
        bytes: read.bytes,
        packets: read.packets,
        decoded: read.decoded,
        flows: read.flows,
        observations,
        ...(read.firstTs === undefined ? {} : { firstSeen: iso(read.firstTs) }),
        ...(read.lastTs === undefined ? {} : { lastSeen: iso(read.lastTs) }),
        decodeErrors: read.decodeErrors,
        captureErrors: read.captureErrors,
        consumerErrors: read.consumerErrors,
        ouiSource: this.opts.oui.source,
        elapsedMs: Math.round(performance.now() - this.started),
        ...(read.files ? { files: read.files } : {}),
        ...(read.segment ? { segment: read.segment } : {}),
      },
      devices,
      devicesDropped,
      protocols: [...this.protocols.values()].sort((a, b) => b.flows - a.flows || b.observations - a.observations || a.protocol.localeCompare(b.protocol)),
      findings: groupFindings(devices),
      topTalkers: this.talkers,
      detections,
      ...(detection ? { detection } : {}),
      zonePairs,
    };
  }

  private protocolOf(p: string): ProtocolCount {
    let c = this.protocols.get(p);
    if (!c) this.protocols.set(p, (c = { protocol: p, flows: 0, observations: 0, packets: 0, bytes: 0 }));
    return c;
  }
}

/** The engine DetectionOptions ask for (undefined when disabled); flow-log reports share it. */
export function createEngine(d: DetectionOptions | undefined, source: string): DetectionEngine | undefined {
  if (d?.enabled === false) return undefined;
  const given: unknown = typeof d?.baseline === 'function' ? (d.baseline as () => unknown)() : d?.baseline;
  const resumed = given === undefined ? undefined : given instanceof BaselineStore ? given : baselineFromJson(given);
  return new DetectionEngine({
    source,
    ...(d?.policy ? { policy: d.policy } : {}),
    ...(resumed ? { baseline: resumed } : { baselineOptions: { ...d?.baselineOptions, ...(d?.learnSeconds === undefined ? {} : { learnSeconds: d.learnSeconds }) } }),
    ...(d?.onDetection ? { onDetection: d.onDetection } : {}),
  });
}

export function summarizeEngine(engine: DetectionEngine): DetectionSummary {
  const b = engine.baseline;
  const policy = engine.topology.policy;
  return {
    rules: engine.ruleStatus,
    baseline: {
      learnSeconds: b.options.learnSeconds,
      ...(b.learnStart === undefined ? {} : { learnStart: iso(b.learnStart) }),
      ...(b.learnEnd === undefined ? {} : { learnEnd: iso(b.learnEnd) }),
      complete: b.complete,
      ...b.stats(),
    },
    stats: engine.stats(),
    policy: { zones: policy.zones.length, conduits: policy.conduits.length, devices: policy.devices.length, aeTitles: policy.dicom.aeTitles?.length ?? null },
  };
}

/** Wire findings by code across devices: total count, first frames, the endpoints concerned. */
export function groupFindings(devices: readonly DiscoveredDevice[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const d of devices) {
    for (const f of d.findings) {
      let g = groups.get(f.code);
      if (!g) groups.set(f.code, (g = { code: f.code, severity: f.severity, message: f.message, count: 0, firstFrame: f.frames[0] ?? 0, frames: [], endpoints: [] }));
      g.count += f.count;
      if (SEVERITY_ORDER.indexOf(f.severity) < SEVERITY_ORDER.indexOf(g.severity)) g.severity = f.severity;
      for (const fr of f.frames) if (g.frames.length < 32) g.frames.push(fr);
      g.frames.sort((a, b) => a - b);
      if (f.frames[0] !== undefined && f.frames[0] < g.firstFrame) g.firstFrame = f.frames[0];
      if (g.endpoints.length < 32) g.endpoints.push(d.key);
    }
  }
  return [...groups.values()].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.firstFrame - b.firstFrame);
}
