/**
 * @module Passive monitoring use cases for the server and CLI: ingest a capture or flow log
 * (discovery into the inventory, wire findings and detections as alerts, conversations and the
 * capture record stored, the baseline resumed and saved so learning continues across captures),
 * and the read side: captures, conversations, the communication map of a device, address or zone,
 * the zone policy with observed-versus-allowed traffic, and the observation sample of each capture
 * (the evidence an analyst drills into: ClientHellos, HL7 message types, DIMSE commands, DHCP fingerprints).
 */
import type { AlertService } from '../alerts/index.js';
import { invalidInput, newId, notFound, type Actor, type Clock } from '../core/index.js';
import type { InventoryService } from '../inventory/index.js';
import { baselineFromJson, baselineToJson } from './baseline/index.js';
import { buildCommunicationMap, ConversationTable, type CommunicationMap, type Conversation, type NodeInfo } from './conversations/index.js';
import { DetectionEngine, EMPTY_POLICY, Topology, type NetmonPolicy, type ZonePairTraffic } from './detect/index.js';
import { analyzeFlowLog } from './flowlogs/index.js';
import { ingestReport, type IngestResult } from './ingest.js';
import { isoMicros, ObservationSample, type ObservationSampleOptions } from './observation-sample.js';
import type { CaptureFileIdentity, CaptureRecord, ConversationFilter, NetmonStore, ObservationFilter, ObservationRow, StoredObservation } from './ports.js';
import { analyzeCapture, type AnalyzeProgress, type CaptureSource, type NetmonReport } from './report.js';

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

export interface MapRequest {
  deviceId?: string;
  ip?: string;
  zone?: string;
  from?: string;
  to?: string;
  hops?: 0 | 1;
  limit?: number;
}

/** The store's filter (from inclusive, to exclusive), paged by cursor rather than by the raw keyset. */
export type ObservationQuery = Omit<ObservationFilter, 'after'> & {
  /** 1..500 (default 100) */
  limit?: number;
  /** nextCursor of the previous page */
  cursor?: string;
};

export interface ObservationPage {
  items: StoredObservation[];
  nextCursor?: string;
}

export interface ZoneReport {
  zones: Array<{ name: string; cidrs: string[]; securityLevel?: number; external: boolean; description?: string }>;
  conduits: NetmonPolicy['conduits'];
  /** observed traffic per zone pair, from the most recent capture that had zones */
  observed: ZonePairTraffic[];
  observedIn?: { captureId: string; name: string; finishedAt: string };
}

const MAX_MAP_CONVERSATIONS = 20_000;
/** files (of a directory read as one capture) and capture faults listed in a capture record's summary */
const MAX_SUMMARY_FILES = 1000;
const MAX_EXPOSURE_CONVERSATIONS = 200_000;
/** application protocols that carry data without encryption (as the dissectors name them) */
const CLEARTEXT = new Set(['telnet', 'ftp', 'http', 'hl7', 'dicom', 'mqtt', 'snmp', 'smb', 'vnc']);

export interface AddressExposure {
  internetExposed: boolean;
  zone?: { id: string; name?: string; securityLevel?: 0 | 1 | 2 | 3 | 4 };
  reachableFromZones: string[];
  cleartextProtocols: string[];
  source: string;
}

export class NetmonService {
  private readonly topology: Topology;

  constructor(private readonly deps: NetmonServiceDeps) {
    this.topology = new Topology(deps.policy ?? EMPTY_POLICY);
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
  async observations(q: ObservationQuery): Promise<ObservationPage> {
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalidInput('netmon.invalid_limit', 'limit must be an integer from 1 to 500', { location: { pointer: '/limit' } });
    const items = await this.deps.store.observations(
      {
        ...(q.captureId !== undefined ? { captureId: q.captureId } : {}),
        ...(q.ip !== undefined ? { ip: q.ip } : {}),
        ...(q.protocol !== undefined ? { protocol: q.protocol } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...(q.from !== undefined ? { from: storedTime(q.from, 'from') } : {}),
        ...(q.to !== undefined ? { to: storedTime(q.to, 'to') } : {}),
        ...(q.cursor !== undefined ? { after: decodeObservationCursor(q.cursor) } : {}),
      },
      limit + 1,
    );
    if (items.length <= limit) return { items };
    const page = items.slice(0, limit);
    const last = page[page.length - 1]!;
    return { items: page, nextCursor: Buffer.from(JSON.stringify([last.ts, last.id])).toString('base64url') };
  }

  async conversations(filter: ConversationFilter, limit = 200): Promise<Conversation[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw invalidInput('netmon.invalid_limit', 'limit must be an integer from 1 to 5000', { location: { pointer: '/limit' } });
    return this.deps.store.conversations(filter, limit);
  }

  /** The communication map of a device (all its addresses), an address, or a zone. */
  async map(req: MapRequest): Promise<CommunicationMap & { focus: string[] }> {
    const chosen = [req.deviceId, req.ip, req.zone].filter((x) => x !== undefined).length;
    if (chosen !== 1) throw invalidInput('netmon.map_focus', 'give exactly one of deviceId, ip or zone');
    let focus: string[];
    const filter: ConversationFilter = { ...(req.from ? { from: req.from } : {}), ...(req.to ? { to: req.to } : {}) };
    let conversations: Conversation[];
    if (req.deviceId) {
      const device = await this.deps.inventory.get(req.deviceId);
      focus = device.network.ips;
      conversations = focus.length === 0 ? [] : await this.deps.store.conversations({ ...filter, ips: focus }, MAX_MAP_CONVERSATIONS);
    } else if (req.ip) {
      focus = [req.ip];
      conversations = await this.deps.store.conversations({ ...filter, ips: focus }, MAX_MAP_CONVERSATIONS);
    } else {
      const zone = this.topology.zone(req.zone!);
      if (!zone) throw notFound('zone', req.zone!);
      // A zone is a set of CIDRs: take the conversations in the window and keep the zone's addresses.
      const all = await this.deps.store.conversations(filter, MAX_MAP_CONVERSATIONS);
      const inZone = (ip: string) => this.topology.info(ip).zone?.name === zone.name;
      conversations = all;
      focus = [...new Set(all.flatMap((c) => [c.client, c.server]).filter(inZone))];
    }
    const focusSet = new Set(focus);
    const map = buildCommunicationMap(conversations, { focus: focusSet, ...(req.hops !== undefined ? { hops: req.hops } : {}), ...(req.limit !== undefined ? { limit: req.limit } : {}) }, () => undefined);
    // Inventory and zone facts only for the nodes the map kept (after its edge limit).
    const names = await this.nodeInfo(map.nodes.map((n) => n.ip));
    return { ...map, nodes: map.nodes.map((n) => ({ ...n, ...names.get(n.ip) })), focus };
  }

  private async nodeInfo(ips: readonly string[]): Promise<Map<string, NodeInfo>> {
    const out = new Map<string, NodeInfo>();
    for (const ip of ips.slice(0, 1000)) {
      const info: NodeInfo = {};
      const zone = this.topology.info(ip).zone;
      if (zone) info.zone = zone.name;
      // Text search matches prefixes (10.0.0.1 finds 10.0.0.10..19): take a wide page, keep exact matches only.
      const page = await this.deps.inventory.search({ text: ip, limit: 200 });
      const d = page.items.find((x) => x.network.ips.includes(ip));
      if (d) {
        info.deviceId = d.id;
        if (d.name) info.name = d.name;
        if (d.category) info.category = d.category;
        if (d.criticality) info.criticality = d.criticality;
      }
      out.set(ip, info);
    }
    return out;
  }

  /**
   * What the wire says about each address, for clinical risk scoring: its zone, whether it talks
   * with the internet, which zones reach it, and the cleartext protocols it uses. Built from the
   * stored conversations (the largest 200,000) and the zone policy.
   */
  async exposureByIp(): Promise<Map<string, AddressExposure>> {
    const out = new Map<string, AddressExposure>();
    const get = (ip: string): AddressExposure => {
      let e = out.get(ip);
      if (!e) {
        const zone = this.topology.info(ip).zone;
        e = { internetExposed: false, reachableFromZones: [], cleartextProtocols: [], source: 'netmon', ...(zone ? { zone: { id: zone.name, name: zone.name, ...(zone.securityLevel !== undefined ? { securityLevel: zone.securityLevel as 0 | 1 | 2 | 3 | 4 } : {}) } } : {}) };
        out.set(ip, e);
      }
      return e;
    };
    for (const c of await this.deps.store.conversations({}, MAX_EXPOSURE_CONVERSATIONS)) {
      const client = this.topology.info(c.client);
      const server = this.topology.info(c.server);
      for (const [self, peer] of [[client, server], [server, client]] as const) {
        if (!self.internal) continue;
        const e = get(self.ip);
        if (peer.internet) e.internetExposed = true;
        if (CLEARTEXT.has(c.protocol) && !e.cleartextProtocols.includes(c.protocol)) e.cleartextProtocols.push(c.protocol);
      }
      if (server.internal && client.zone && server.zone && client.zone.name !== server.zone.name) {
        const e = get(server.ip);
        if (!e.reachableFromZones.includes(client.zone.name)) e.reachableFromZones.push(client.zone.name);
      }
    }
    return out;
  }

  async zones(): Promise<ZoneReport> {
    const policy = this.topology.policy;
    const report: ZoneReport = {
      zones: policy.zones.map((z) => ({ name: z.name, cidrs: z.cidrs.map((c) => c.text), ...(z.securityLevel !== undefined ? { securityLevel: z.securityLevel } : {}), external: z.external, ...(z.description ? { description: z.description } : {}) })),
      conduits: policy.conduits,
      observed: [],
    };
    for (const c of await this.deps.store.listCaptures(20)) {
      const pairs = (c.summary.zonePairs ?? []) as ZonePairTraffic[];
      if (pairs.length === 0) continue;
      report.observed = pairs;
      report.observedIn = { captureId: c.id, name: c.name, finishedAt: c.finishedAt };
      break;
    }
    return report;
  }
}

/** An ISO time from a caller in the stored form (microseconds, fixed width), so text order is time order. */
function storedTime(text: string, name: string): string {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalidInput('netmon.invalid_time', `${name} must be an ISO-8601 date-time, found "${text}"`, { location: { pointer: `/${name}` } });
  // Date keeps milliseconds: digits 4-6 of the fraction are the microseconds it drops.
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return isoMicros(ms * 1000 + Number(fraction.padEnd(6, '0').slice(3, 6)));
}

function decodeObservationCursor(cursor: string): { ts: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw invalidInput('netmon.invalid_cursor', 'cursor is not a nextCursor this endpoint returned', { location: { pointer: '/cursor' } });
  }
  return { ts: parsed[0], id: parsed[1] };
}
