/**
 * @module Passive monitoring use cases for the server and CLI: ingest a capture or flow log
 * (discovery into the inventory, wire findings and detections as alerts, conversations and the
 * capture record stored, the baseline resumed and saved so learning continues across captures),
 * and the read side: captures, conversations, the communication map of a device, address or zone,
 * the zone policy with observed-versus-allowed traffic, and the observation sample of each capture
 * (the evidence an analyst drills into: ClientHellos, HL7 message types, DIMSE commands, DHCP fingerprints).
 * The map, exposure and zone reads are service-map.ts; observation paging is service-observations.ts.
 */
import type { AlertService } from '../alerts/index.js';
import { invalidInput, newId, notFound, type Actor, type Clock } from '../core/index.js';
import type { InventoryService } from '../inventory/index.js';
import { baselineFromJson, baselineToJson } from './baseline/index.js';
import { ConversationTable, type CommunicationMap, type Conversation } from './conversations/index.js';
import { DetectionEngine, EMPTY_POLICY, Topology, type NetmonPolicy } from './detect/index.js';
import { analyzeFlowLog } from './flowlogs/index.js';
import { ingestReport, type IngestResult } from './ingest.js';
import { ObservationSample, type ObservationSampleOptions } from './observation-sample.js';
import type { CaptureFileIdentity, CaptureRecord, ConversationFilter, NetmonStore, ObservationRow } from './ports.js';
import { analyzeCapture, type AnalyzeProgress, type CaptureSource, type NetmonReport } from './report.js';
import { ingestInSegments, openCaptureRun, type CaptureRun, type CaptureRunOptions, type LiveIngestHost, type SegmentedIngestOptions, type SegmentedIngestSummary } from './capture-run.js';
export type { CaptureRun, CaptureRunOptions, SegmentedIngestOptions, SegmentedIngestSummary } from './capture-run.js';
import { communicationMap, exposureByIp, zoneReport, type AddressExposure, type MapRequest, type MapSources, type ZoneReport } from './service-map.js';
import { observationPage, type ObservationPage, type ObservationQuery } from './service-observations.js';

export type { AddressExposure, MapRequest, ZoneReport } from './service-map.js';
export type { ObservationPage, ObservationQuery } from './service-observations.js';

export const DEFAULT_BASELINE = 'default';

export interface NetmonServiceDeps {
  store: NetmonStore;
  inventory: InventoryService;
  alerts: AlertService;
  clock: Clock;
  /** zones, conduits, device map, allowed AE titles (CAREGUARD_NETMON_POLICY); empty when unset */
  policy?: NetmonPolicy;
  /** how many observations of each group a capture keeps, and the cap per capture */
  observations?: ObservationSampleOptions;
}

export interface NetmonIngestOptions {
  /** name recorded in provenance and evidence (default: the path) */
  name?: string;
  /** 'capture' (pcap/pcapng) or 'flow-log' (Zeek conn.log) */
  kind?: 'capture' | 'flow-log';
  learnSeconds?: number;
  /** baseline to resume and update (default 'default'); null = do not use or store a baseline */
  baseline?: string | null;
  onProgress?: (p: AnalyzeProgress) => void;
  signal?: AbortSignal;
  /** the file ingested, as it was (recorded so a followed directory never ingests it twice) */
  source?: CaptureFileIdentity;
}

export interface NetmonIngestResult extends IngestResult {
  captureId: string;
  conversations: number;
}

/** files (of a directory read as one capture) and capture faults listed in a capture record's summary */
const MAX_SUMMARY_FILES = 1000;

export class NetmonService {
  private readonly topology: Topology;
  /** the map, exposure and zone reads (service-map.ts) */
  private readonly sources: MapSources;

  constructor(private readonly deps: NetmonServiceDeps) {
    this.topology = new Topology(deps.policy ?? EMPTY_POLICY);
    this.sources = { store: deps.store, inventory: deps.inventory, topology: this.topology };
  }

  async ingest(source: CaptureSource, options: NetmonIngestOptions, actor: Actor): Promise<NetmonIngestResult> {
    const startedAt = this.deps.clock.now().toISOString();
    const baselineName = options.baseline === null ? undefined : (options.baseline ?? DEFAULT_BASELINE);
    const stored = await this.storedBaseline(baselineName);
    const conversations = new ConversationTable();
    let baselineJson: unknown;
    const detection = {
      policy: this.topology.policy,
      ...(stored ? { baseline: stored } : options.learnSeconds !== undefined ? { learnSeconds: options.learnSeconds } : {}),
      onFinish: (engine: { baseline: Parameters<typeof baselineToJson>[0] }) => {
        baselineJson = baselineToJson(engine.baseline);
      },
    };
    let report: NetmonReport;
    let sample: ObservationSample | undefined;
    if (options.kind === 'flow-log') {
      if (typeof source !== 'string') throw invalidInput('netmon.flow_log_source', 'flow logs are read from a file path or "-"');
      // Flow records run the capture path's engine (baseline, flow rules; rules that read payloads see
      // nothing), so the result has the same detections, detection summary and zone pairs.
      report = await analyzeFlowLog(source, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.name ? { name: options.name } : {}),
        consumers: [conversations],
        detection,
      });
    } else {
      const kept = (sample = new ObservationSample(this.deps.observations));
      report = await analyzeCapture(source, {
        onObservation: (o) => kept.add(o),
        ...(options.name ? { name: options.name } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        conversations,
        detection,
      });
    }
    const fault = report.capture.captureErrors[0];
    if (report.capture.packets === 0 && fault) {
      // Nothing readable: refuse instead of recording an empty capture.
      throw invalidInput('netmon.unreadable_capture', `${options.name ?? report.capture.name} is not a readable capture: ${fault.message}`, { location: { byteOffset: fault.byteOffset, ...(fault.file ? { file: fault.file } : {}) } });
    }
    const out = await this.recordReport(report, conversations, { name: options.name ?? report.capture.name, kind: options.kind ?? 'capture', startedAt, ...(options.source ? { source: options.source } : {}), ...(sample ? { observations: sample } : {}) }, actor);
    if (baselineName && baselineJson !== undefined) await this.deps.store.putBaseline(baselineName, baselineJson, this.deps.clock.now().toISOString());
    return out;
  }

  /**
   * A long-running capture (stdin from tcpdump, a very large file) ingested in segments
   * (analyzeInSegments): each time the read spans `checkpointSeconds`, what it found is written as a
   * capture record of its own (devices, alerts, conversations of the flows that ended, observations)
   * and the baseline saved, while flows carry on into the next segment. Reading goes on while a
   * segment is written (one at a time). Stopping (`signal`) records the last segment with every flow ended.
   */
  ingestSegmented(source: CaptureSource, options: SegmentedIngestOptions, actor: Actor): Promise<SegmentedIngestSummary> {
    return ingestInSegments(this.liveHost(), source, options, actor);
  }

  /**
   * A run over the files of a followed rotating capture (capture-run.ts): each file given is read
   * on from the one before, flows carrying on across rotations, and recorded as its own capture.
   */
  captureRun(opts: CaptureRunOptions, actor: Actor): CaptureRun {
    return openCaptureRun(this.liveHost(), opts, actor);
  }

  /** What segmented ingests and capture runs need of this service. */
  private liveHost(): LiveIngestHost {
    const now = () => this.deps.clock.now().toISOString();
    return {
      policy: this.topology.policy,
      ...(this.deps.observations ? { observations: this.deps.observations } : {}),
      now,
      storedBaseline: (name) => this.storedBaseline(name),
      putBaseline: (name, json) => this.deps.store.putBaseline(name, json, now()),
      recordReport: (report, conversations, meta, who) => this.recordReport(report, conversations, meta, who),
    };
  }

  /**
   * The stored baseline of a name, handed over once (DetectionOptions.baseline): the engine turns the
   * document into its baseline when it is made and the document is not held through the analysis.
   */
  private async storedBaseline(name: string | undefined): Promise<(() => unknown) | undefined> {
    const stored = name ? await this.deps.store.getBaseline(name) : undefined;
    if (!stored) return undefined;
    let json: unknown = stored.json;
    let taken = false;
    return () => {
      if (taken) throw new Error(`the stored baseline "${name}" was already handed to an engine`);
      taken = true;
      const doc = json;
      json = undefined;
      return doc;
    };
  }

  /** A detection engine for flow records, resuming a stored baseline when there is one. */
  flowEngine(source: string, baseline: unknown, learnSeconds?: number): DetectionEngine {
    return new DetectionEngine({
      source,
      policy: this.topology.policy,
      ...(baseline !== undefined ? { baseline: baselineFromJson(baseline) } : { baselineOptions: learnSeconds !== undefined ? { learnSeconds } : {} }),
    });
  }

  /** The stored baseline of a name (flow collector windows resume it). */
  async baseline(name: string): Promise<unknown> {
    return (await this.deps.store.getBaseline(name))?.json;
  }

  async saveBaseline(name: string, engine: DetectionEngine): Promise<void> {
    await this.deps.store.putBaseline(name, baselineToJson(engine.baseline), this.deps.clock.now().toISOString());
  }

  /**
   * Writes an analysed report: devices and alerts (ingestReport), then the capture record and its
   * conversations, and the observation sample when the analysis kept one (captures; flow records have
   * no observations). Used for files and for each window of the NetFlow/IPFIX collector.
   */
  async recordReport(
    report: NetmonReport,
    conversations: ConversationTable,
    meta: { name: string; kind: string; startedAt: string; source?: CaptureFileIdentity; observations?: ObservationSample },
    actor: Actor,
  ): Promise<NetmonIngestResult> {
    const result = await ingestReport(report, { inventory: this.deps.inventory, alerts: this.deps.alerts }, actor);
    const list = conversations.list();
    const id = newId('cap');
    const record: CaptureRecord = {
      id,
      name: meta.name,
      kind: meta.kind,
      startedAt: meta.startedAt,
      finishedAt: this.deps.clock.now().toISOString(),
      ...(report.capture.firstSeen ? { firstSeen: report.capture.firstSeen } : {}),
      ...(report.capture.lastSeen ? { lastSeen: report.capture.lastSeen } : {}),
      bytes: report.capture.bytes,
      packets: report.capture.packets,
      flows: report.capture.flows,
      devices: result.devices.reported,
      detections: report.detections?.length ?? 0,
      summary: {
        protocols: report.protocols,
        findings: report.findings.map(({ endpoints: _e, frames, ...f }) => ({ ...f, frames: frames.slice(0, 16) })),
        detections: (report.detections ?? []).slice(0, 200),
        ...(report.detection ? { detection: report.detection } : {}),
        zonePairs: report.zonePairs ?? [],
        devicesCreated: result.devices.created,
        alerts: result.alerts,
        conversationsDropped: { flows: conversations.droppedFlows, bytes: conversations.droppedBytes },
        decodeErrors: report.capture.decodeErrors,
        ...(meta.observations ? { observations: meta.observations.stats() } : {}),
        ...(report.capture.captureErrors.length > 0 ? { captureErrors: report.capture.captureErrors.slice(0, MAX_SUMMARY_FILES) } : {}),
        ...(report.capture.files ? { files: report.capture.files.slice(0, MAX_SUMMARY_FILES), filesRead: report.capture.files.length } : {}),
        ...(report.capture.segment ? { segment: report.capture.segment } : {}),
      },
      ingestedBy: actor.name,
      ...(meta.source ? { source: meta.source } : {}),
    };
    // Ids sort in capture order within a capture, so equal timestamps page in capture order.
    // rows() rebuilds each observation only when storage reads it (a chunk at a time)
    const rows: ObservationRow[] = meta.observations?.rows((i) => `obs_${id.slice(4)}_${String(i).padStart(7, '0')}`) ?? [];
    await this.deps.store.insertCapture(record, list, rows);
    return { ...result, captureId: record.id, conversations: list.length };
  }

  /** The capture already ingested from this file as it is now (same path, size and modification time), if any. */
  async ingestedFile(source: CaptureFileIdentity): Promise<CaptureRecord | undefined> {
    return this.deps.store.findCaptureBySource(source);
  }

  async captures(limit = 50, before?: string): Promise<CaptureRecord[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalidInput('netmon.invalid_limit', 'limit must be an integer from 1 to 500', { location: { pointer: '/limit' } });
    return this.deps.store.listCaptures(limit, before);
  }

  async capture(id: string): Promise<CaptureRecord> {
    const c = await this.deps.store.getCapture(id);
    if (!c) throw notFound('capture', id);
    return c;
  }

  /** Stored observations, oldest first, a page at a time (keyset on (ts, id), stable under inserts). */
  observations(q: ObservationQuery): Promise<ObservationPage> {
    return observationPage(this.deps.store, q);
  }

  async conversations(filter: ConversationFilter, limit = 200): Promise<Conversation[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw invalidInput('netmon.invalid_limit', 'limit must be an integer from 1 to 5000', { location: { pointer: '/limit' } });
    return this.deps.store.conversations(filter, limit);
  }

  /** The communication map of a device (all its addresses), an address, or a zone. */
  map(req: MapRequest): Promise<CommunicationMap & { focus: string[] }> {
    return communicationMap(this.sources, req);
  }

  /**
   * What the wire says about each address, for clinical risk scoring: its zone, whether it talks
   * with the internet, which zones reach it, and the cleartext protocols it uses. Built from the
   * stored conversations (the largest 200,000) and the zone policy.
   */
  exposureByIp(): Promise<Map<string, AddressExposure>> {
    return exposureByIp(this.sources);
  }

  zones(): Promise<ZoneReport> {
    return zoneReport(this.sources);
  }
}
