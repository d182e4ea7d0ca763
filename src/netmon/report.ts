/**
 * @module `analyzeCapture`: one pass over a capture (a file, stdin, or every file of a rotating
 * capture directory read as one capture, optionally followed until aborted) through flow tracking,
 * the protocol dissectors and passive discovery, summarised as a NetmonReport (devices with inferred
 * categories and their evidence, protocols, wire findings, top talkers). No database. Memory is
 * bounded by the flow table, the profile cap and the per-profile list caps, never by the capture size.
 */
import { stat } from 'node:fs/promises';
import { DomainError } from '../core/index.js';
import { recycledFileSource, stdinSource, type ByteSource } from './capture/index.js';
import { describeProfile, DiscoveryBuilder, loadOuiDatabase, type DiscoveredDevice, type OuiDatabase } from './discovery/index.js';
import { BaselineStore, baselineFromJson, type BaselineOptions } from './baseline/index.js';
import { DetectionEngine, type Detection, type DetectionStats, type NetmonPolicy, type RuleStatus, type ZonePairTraffic } from './detect/index.js';
import type { ConversationTable } from './conversations/index.js';
import type { Observation, Severity } from './model.js';
import { CaptureDirectoryInput, noCaptureFiles, type CaptureFileRead } from './follow/directory-input.js';
import { readCaptureDissected } from './pipeline/dissected.js';
import type { CaptureFault, CaptureInput } from './pipeline/read-capture.js';

export type { CaptureFileRead } from './follow/directory-input.js';

export type CaptureSource = string | { bytes: ByteSource; name: string };

export interface AnalyzeProgress {
  bytes: number;
  /** total bytes when known (a file), else undefined (stdin) */
  totalBytes?: number;
  packets: number;
  flows: number;
  observations: number;
  elapsedMs: number;
  /** a directory: the file being read, and how many files have been started */
  file?: string;
  files?: number;
}

export interface AnalyzeOptions {
  /** capture name in provenance and the report (default: the path, or "stdin") */
  name?: string;
  /**
   * A directory source: keep reading the newest file and each new one until `signal` aborts, then
   * finish the report (default false: the files present now). Refused for a file.
   */
  follow?: boolean;
  /** a directory source: which names are captures (default DEFAULT_CAPTURE_NAME) */
  match?: RegExp;
  /** a directory source: how often to look for more bytes or files while following (default 500 ms) */
  pollMs?: number;
  oui?: OuiDatabase;
  ouiPath?: string;
  maxProfiles?: number;
  /** largest flows listed (default 10) */
  topTalkers?: number;
  onProgress?: (p: AnalyzeProgress) => void;
  /** minimum time between progress calls (default 200 ms) */
  progressIntervalMs?: number;
  signal?: AbortSignal;
  /** baselines and detections (on by default, with no policy) */
  detection?: DetectionOptions;
  /** finished flows are folded into this table (the communication map) when given */
  conversations?: ConversationTable;
  /** each observation a dissector emits, after discovery and detection saw it (the ingest keeps a sample) */
  onObservation?: (o: Observation) => void;
}

export interface DetectionOptions {
  /** false: no engine at all (the report's detection fields stay empty) */
  enabled?: boolean;
  /** zones, conduits, device map, AE titles, rule settings (parsePolicy / parsePolicyText) */
  policy?: NetmonPolicy;
  /** learning window in seconds of capture time (default 86 400); ignored when resuming a baseline */
  learnSeconds?: number;
  baselineOptions?: Partial<BaselineOptions>;
  /**
   * a baseline to resume: a BaselineStore (baselineFromJson), a parsed snapshot document (validated
   * here), or a function giving either, called once when the engine is made (so the caller need not
   * hold a document of up to 20,000 devices through the whole analysis)
   */
  baseline?: unknown;
  /** each new detection as it happens (first occurrence of its dedup key) */
  onDetection?: (d: Detection) => void;
  /** the engine after the pass: its baseline (baselineToJson) and stats */
  onFinish?: (engine: DetectionEngine) => void;
}

export interface BaselineSummary {
  learnSeconds: number;
  learnStart?: string;
  learnEnd?: string;
  /** the capture reached the end of the learning window: baseline rules were judging after it */
  complete: boolean;
  devices: number;
  evictedDevices: number;
  entries: number;
  peersDropped: number;
  servicesDropped: number;
  routesDropped: number;
  volumeSamplesDropped: number;
}

export interface DetectionSummary {
  rules: RuleStatus[];
  baseline: BaselineSummary;
  stats: DetectionStats;
  policy: { zones: number; conduits: number; devices: number; aeTitles: number | null };
}

export interface ProtocolCount {
  protocol: string;
  flows: number;
  observations: number;
  packets: number;
  bytes: number;
}

export interface FindingGroup {
  code: string;
  severity: Severity;
  message: string;
  count: number;
  firstFrame: number;
  frames: number[];
  /** device keys of the endpoints the finding concerns (at most 32) */
  endpoints: string[];
}

export interface TopTalker {
  transport: string;
  client: string;
  server: string;
  protocol: string;
  packets: number;
  bytes: number;
  firstFrame: number;
}

export interface NetmonReport {
  capture: {
    name: string;
    bytes: number;
    packets: number;
    decoded: number;
    flows: number;
    observations: number;
    firstSeen?: string;
    lastSeen?: string;
    decodeErrors: Record<string, number>;
    captureErrors: CaptureFault[];
    consumerErrors: number;
    ouiSource: OuiDatabase['source'];
    elapsedMs: number;
    /** a directory source: the files read, in order (files that could not be opened are in captureErrors) */
    files?: CaptureFileRead[];
  };
  devices: DiscoveredDevice[];
  /** endpoints not profiled because the profile cap was reached */
  devicesDropped: number;
  protocols: ProtocolCount[];
  findings: FindingGroup[];
  topTalkers: TopTalker[];
  /** most severe first (absent from reports built without the engine) */
  detections?: Detection[];
  /** absent when detection was disabled */
  detection?: DetectionSummary;
  /** observed traffic per (from zone, to zone) with allowed/denied counts; empty without zones */
  zonePairs?: ZonePairTraffic[];
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const iso = (us: number | undefined): string | undefined => (us === undefined ? undefined : new Date(Math.floor(us / 1000)).toISOString());

type OpenedSource = { name: string; totalBytes?: number } & ({ bytes: ByteSource } | { directory: CaptureDirectoryInput });

async function openSource(source: CaptureSource, opts: AnalyzeOptions): Promise<OpenedSource> {
  if (typeof source !== 'string' || source === '-') {
    if (opts.follow) throw new DomainError('netmon.invalid_option', 'following reads a capture directory, not a stream', { status: 400 });
    return typeof source === 'string' ? { bytes: stdinSource(), name: 'stdin' } : source;
  }
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory()) {
    const directory = await CaptureDirectoryInput.open(source, {
      ...(opts.follow ? { follow: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.match ? { match: opts.match } : {}),
      ...(opts.pollMs === undefined ? {} : { pollMs: opts.pollMs }),
    });
    return { directory, name: source, ...(directory.totalBytes === undefined ? {} : { totalBytes: directory.totalBytes }) };
  }
  if (!info?.isFile()) throw new DomainError('netmon.capture_not_found', `capture file ${source} does not exist or is not a file or directory`, { status: 404, location: { file: source } });
  if (opts.follow) throw new DomainError('netmon.invalid_option', `following reads a capture directory; ${source} is a file`, { status: 400, location: { file: source } });
  // Every chunk is consumed before the next is read (readCapture), so the read buffers are recycled.
  return { bytes: recycledFileSource(source), name: source, totalBytes: info.size };
}

export async function analyzeCapture(source: CaptureSource, opts: AnalyzeOptions = {}): Promise<NetmonReport> {
  const input = await openSource(source, opts);
  const name = opts.name ?? input.name;
  const oui = opts.oui ?? (await loadOuiDatabase(opts.ouiPath));
  // released once the report has what it needs of it, before the devices are described (see below)
  let engine = createEngine(opts.detection, name);
  const builder = new DiscoveryBuilder({ ...(opts.maxProfiles === undefined ? {} : { maxProfiles: opts.maxProfiles }) });
  const protocols = new Map<string, ProtocolCount>();
  const protocolOf = (p: string) => {
    let c = protocols.get(p);
    if (!c) protocols.set(p, (c = { protocol: p, flows: 0, observations: 0, packets: 0, bytes: 0 }));
    return c;
  };
  const topN = opts.topTalkers ?? 10;
  const talkers: TopTalker[] = [];
  const started = performance.now();
  const interval = opts.progressIntervalMs ?? 200;
  let bytes = 0;
  const current: { file?: string; files: number } = { files: 0 };
  const live = { packets: 0, flows: 0 };
  let lastProgress = 0;
  const progress = (force: boolean) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    opts.onProgress({
      bytes,
      ...(input.totalBytes === undefined ? {} : { totalBytes: input.totalBytes }),
      packets: live.packets,
      flows: live.flows,
      observations: builder.observations,
      elapsedMs: now - started,
      ...(current.file === undefined ? {} : { file: current.file, files: current.files }),
    });
  };
  async function* counted(chunks: ByteSource): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      yield chunk;
      progress(false);
    }
  }
  const directory = 'directory' in input ? input.directory : undefined;
  const captureInput: CaptureInput =
    'bytes' in input
      ? { bytes: counted(input.bytes), name }
      : {
          files: input.directory.files({
            onFileStart: (path) => {
              current.file = path;
              current.files++;
              progress(true);
            },
            onBytes: (n) => {
              bytes += n;
              progress(false);
            },
          }),
        };

  const stats = await readCaptureDissected(
    captureInput,
    { live, ...(opts.signal ? { signal: opts.signal } : {}) },
    {
      ...(directory ? { onFile: (path: string, firstFrame: number) => directory.onFile(path, firstFrame) } : {}),
      onArp: (arp, meta) => builder.onArp(arp, meta),
      onFlowStart: (key, info) => engine?.onFlowStart(key, info),
      onObservation: (o, flowId) => {
        protocolOf(o.protocol).observations++;
        builder.observe(o);
        engine?.onObservation(o, flowId);
        opts.onObservation?.(o);
      },
      onFlowEnd: (s, producer) => {
        const protocol = producer ? producer.slice(0, producer.indexOf('@')) : s.key.transport;
        const c = protocolOf(protocol);
        c.flows++;
        c.packets += s.c2s.packets + s.s2c.packets;
        c.bytes += s.c2s.bytes + s.s2c.bytes;
        builder.onFlowEnd(s, protocol);
        engine?.onFlowEnd(s, protocol);
        opts.conversations?.add(s, protocol);
        const total = s.c2s.bytes + s.s2c.bytes;
        if (talkers.length < topN || total > (talkers[talkers.length - 1]?.bytes ?? 0)) {
          talkers.push({ transport: s.key.transport, client: `${s.key.client.ip}:${s.key.client.port}`, server: `${s.key.server.ip}:${s.key.server.port}`, protocol, packets: s.c2s.packets + s.s2c.packets, bytes: total, firstFrame: s.firstFrame });
          talkers.sort((a, b) => b.bytes - a.bytes || a.firstFrame - b.firstFrame);
          if (talkers.length > topN) talkers.pop();
        }
      },
    },
  );
  progress(true);
  const files = directory?.filesRead(stats.packets);
  // Following a directory that never got a capture file: there is nothing to report on.
  if (directory && files?.length === 0 && directory.faults.length === 0) throw noCaptureFiles(directory.dir, directory.match, 'appeared in');
  const detections = engine?.finish() ?? [];
  if (engine) opts.detection?.onFinish?.(engine);
  const detection = engine ? summarizeEngine(engine) : undefined;
  const zonePairs = engine?.zonePairs() ?? [];
  // The engine (baseline of up to 20,000 devices, rule state) and the discovery tables are the
  // largest things alive at the end: each goes as soon as it is no longer needed, and each profile
  // once it is described, so they are never all alive together with the devices built from them.
  engine = undefined;
  const observations = builder.observations;
  const devicesDropped = builder.droppedEndpoints;
  const profiles = builder.finish();
  builder.release();
  const devices: DiscoveredDevice[] = [];
  // order does not matter here: profile keys are unique, so the sort below decides it alone
  for (let p = profiles.pop(); p !== undefined; p = profiles.pop()) devices.push(describeProfile(p, oui));
  devices.sort((a, b) => a.firstFrame - b.firstFrame || a.key.localeCompare(b.key));
  return {
    capture: {
      name,
      bytes: stats.bytes,
      packets: stats.packets,
      decoded: stats.decoded,
      flows: stats.flows.flowsCreated,
      observations,
      ...(stats.firstTs === undefined ? {} : { firstSeen: iso(stats.firstTs) }),
      ...(stats.lastTs === undefined ? {} : { lastSeen: iso(stats.lastTs) }),
      decodeErrors: stats.decodeErrors,
      captureErrors: directory ? directory.allFaults(stats.captureErrors) : stats.captureErrors,
      consumerErrors: stats.consumerErrors,
      ouiSource: oui.source,
      elapsedMs: Math.round(performance.now() - started),
      ...(files ? { files } : {}),
    },
    devices,
    devicesDropped,
    protocols: [...protocols.values()].sort((a, b) => b.flows - a.flows || b.observations - a.observations || a.protocol.localeCompare(b.protocol)),
    findings: groupFindings(devices),
    topTalkers: talkers,
    detections,
    ...(detection ? { detection } : {}),
    zonePairs,
  };
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
