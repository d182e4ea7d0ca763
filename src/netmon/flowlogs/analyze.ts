/**
 * @module Flow records into the same NetmonReport a capture gives (devices, protocols, top talkers),
 * through the same discovery builder, so `careguard netmon report|ingest conn.log` and a running
 * collector need no second report shape. Flow records carry no payload, so there are no
 * observations or wire findings; devices are discovered by address, service and peers only. With
 * `detection`, the capture path's DetectionEngine judges the records too (baseline, zones, exposure:
 * the flow rules; payload rules see nothing), giving the same detections, summary and zone pairs.
 */
import { stat } from 'node:fs/promises';
import { describeProfile, DiscoveryBuilder, loadOuiDatabase, type OuiDatabase } from '../discovery/index.js';
import type { DetectionEngine } from '../detect/index.js';
import { createEngine, groupFindings, summarizeEngine, type AnalyzeProgress, type DetectionOptions, type NetmonReport, type ProtocolCount, type TopTalker } from '../report.js';
import type { FlowKey, FlowSummary, FrameMeta } from '../model.js';
import type { FlowLogError } from './errors.js';
import type { FlowLogRecord } from './model.js';
import { flowLogToSummary } from './summary.js';
import { readZeekConnLog, type FlowLogSource } from './zeek/read.js';

/**
 * What else takes the summaries, in the order a capture's flow tracker calls them (the
 * DetectionEngine fits this shape): baselines and detections run on flow logs unchanged.
 */
export interface FlowSummaryConsumer {
  onFlowStart?(key: FlowKey, info: { id: number; first: FrameMeta }): void;
  onFlowEnd(summary: FlowSummary, protocol: string): void;
}

export interface FlowLogReportOptions {
  name: string;
  /** each TCP/UDP record as a FlowSummary, start then end (e.g. a DetectionEngine) */
  consumers?: readonly FlowSummaryConsumer[];
  /**
   * Run the capture path's detection engine on the records (policy, baseline resume, learning
   * window, onFinish) and fill the report's detections, detection summary and zone pairs. Off when
   * absent: callers that bring their own engine in `consumers` fill those fields themselves.
   */
  detection?: DetectionOptions;
  oui?: OuiDatabase;
  maxProfiles?: number;
  topTalkers?: number;
}

/** The protocol a record names: Zeek's first service, else the transport ("tcp", "udp", "icmp"). */
const protocolOf = (r: FlowLogRecord): string => (r.service ? (r.service.split(',')[0] as string) : r.protocolName);

export class FlowLogReportBuilder {
  private readonly builder: DiscoveryBuilder;
  private readonly engine: DetectionEngine | undefined;
  /** the caller's consumers, then the engine */
  private readonly consumers: readonly FlowSummaryConsumer[];
  private readonly protocols = new Map<string, ProtocolCount>();
  private readonly talkers: TopTalker[] = [];
  private readonly errors: Record<string, number> = {};
  private records = 0;
  private packets = 0;
  private first: number | undefined;
  private last: number | undefined;
  private readonly started = performance.now();

  constructor(private readonly opts: FlowLogReportOptions) {
    this.engine = opts.detection ? createEngine(opts.detection, opts.name) : undefined;
    // the policy's judgement of the internet, as for captures (a MAC seen with an internet address is a router's)
    const topology = this.engine?.topology;
    this.builder = new DiscoveryBuilder({
      ...(opts.maxProfiles === undefined ? {} : { maxProfiles: opts.maxProfiles }),
      ...(topology ? { isInternet: (ip: string) => topology.info(ip).internet } : {}),
    });
    this.consumers = [...(opts.consumers ?? []), ...(this.engine ? [this.engine] : [])];
  }

  add(r: FlowLogRecord): void {
    this.records++;
    const packets = (r.forward.packets ?? 0) + (r.reverse?.packets ?? 0);
    const bytes = (r.forward.bytes ?? 0) + (r.reverse?.bytes ?? 0);
    this.packets += packets;
    if (this.first === undefined || r.startMs < this.first) this.first = r.startMs;
    if (this.last === undefined || r.endMs > this.last) this.last = r.endMs;
    const protocol = protocolOf(r);
    let c = this.protocols.get(protocol);
    if (!c) this.protocols.set(protocol, (c = { protocol, flows: 0, observations: 0, packets: 0, bytes: 0 }));
    c.flows++;
    c.packets += packets;
    c.bytes += bytes;
    const s = flowLogToSummary(r, this.records);
    if (s) {
      this.builder.onFlowEnd(s, protocol);
      for (const c of this.consumers) {
        c.onFlowStart?.(s.key, { id: s.id, first: { frame: s.firstFrame, ts: s.firstTs } });
        c.onFlowEnd(s, protocol);
      }
    }
    const top = this.opts.topTalkers ?? 10;
    if (this.talkers.length < top || bytes > (this.talkers[this.talkers.length - 1]?.bytes ?? 0)) {
      this.talkers.push({ transport: r.protocolName, client: `${r.srcIp}:${r.srcPort}`, server: `${r.dstIp}:${r.dstPort}`, protocol, packets, bytes, firstFrame: s?.firstFrame ?? this.records });
      this.talkers.sort((a, b) => b.bytes - a.bytes || a.firstFrame - b.firstFrame);
      if (this.talkers.length > top) this.talkers.pop();
    }
  }

  /** records and packets so far (progress) */
  get counts(): { records: number; packets: number } {
    return { records: this.records, packets: this.packets };
  }

  error(e: FlowLogError): void {
    this.errors[e.code] = (this.errors[e.code] ?? 0) + 1;
  }

  /** The report so far; with `detection`, the engine judges what is pending first (call once). */
  async finish(bytesRead: number): Promise<NetmonReport> {
    const engine = this.engine;
    const detections = engine?.finish();
    if (engine) this.opts.detection?.onFinish?.(engine);
    const oui = this.opts.oui ?? (await loadOuiDatabase());
    const devices = this.builder
      .finish()
      .map((p) => describeProfile(p, oui))
      .sort((a, b) => a.firstFrame - b.firstFrame || a.key.localeCompare(b.key));
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(Math.floor(ms)).toISOString());
    const firstSeen = iso(this.first);
    const lastSeen = iso(this.last);
    return {
      capture: {
        name: this.opts.name,
        bytes: bytesRead,
        packets: this.packets,
        decoded: this.records,
        flows: this.records,
        observations: 0,
        ...(firstSeen === undefined ? {} : { firstSeen }),
        ...(lastSeen === undefined ? {} : { lastSeen }),
        decodeErrors: { ...this.errors },
        captureErrors: [],
        consumerErrors: 0,
        ouiSource: oui.source,
        elapsedMs: Math.round(performance.now() - this.started),
      },
      devices,
      devicesDropped: this.builder.droppedEndpoints,
      protocols: [...this.protocols.values()].sort((a, b) => b.flows - a.flows || a.protocol.localeCompare(b.protocol)),
      findings: groupFindings(devices),
      topTalkers: this.talkers,
      ...(engine ? { detections, detection: summarizeEngine(engine), zonePairs: engine.zonePairs() } : {}),
    };
  }
}

export interface AnalyzeFlowLogOptions extends Partial<FlowLogReportOptions> {
  onError?: (e: FlowLogError) => void;
  /** the capture path's progress shape: packets are the records' packet counts, flows the records */
  onProgress?: (p: AnalyzeProgress) => void;
  /** minimum time between progress calls (default 200 ms) */
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

/** A Zeek conn.log (file, "-" for stdin, or a stream; .gz accepted) as a NetmonReport. */
export async function analyzeFlowLog(source: FlowLogSource, opts: AnalyzeFlowLogOptions = {}): Promise<NetmonReport> {
  const name = opts.name ?? (typeof source === 'string' ? (source === '-' ? 'stdin' : source) : source.name);
  const report = new FlowLogReportBuilder({ ...opts, name });
  const totalBytes = typeof source === 'string' && source !== '-' ? (await stat(source).catch(() => undefined))?.size : undefined;
  const started = performance.now();
  let last = 0;
  const progress = (bytes: number, force: boolean) => {
    const now = performance.now();
    if (!opts.onProgress || (!force && now - last < (opts.progressIntervalMs ?? 200))) return;
    last = now;
    const { records, packets } = report.counts;
    opts.onProgress({ bytes, ...(totalBytes === undefined ? {} : { totalBytes }), packets, flows: records, observations: 0, elapsedMs: now - started });
  };
  const stats = await readZeekConnLog(source, {
    name,
    onRecord: (r) => report.add(r),
    onBytes: (bytes) => progress(bytes, false),
    onError: (e) => {
      report.error(e);
      opts.onError?.(e);
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  progress(stats.bytes, true);
  return report.finish(stats.bytes);
}
