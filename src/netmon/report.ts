/**
 * @module `analyzeCapture`: one pass over a capture (a file, stdin, or every file of a rotating
 * capture directory read as one capture, optionally followed until aborted) through flow tracking,
 * the protocol dissectors and passive discovery, summarised as a NetmonReport (devices with inferred
 * categories and their evidence, protocols, wire findings, top talkers). No database. Memory is
 * bounded by the flow table, the profile cap and the per-profile list caps, never by the capture size.
 */
import type { ByteSource } from './capture/index.js';
import { loadOuiDatabase, type DiscoveredDevice, type OuiDatabase } from './discovery/index.js';
import type { BaselineOptions } from './baseline/index.js';
import type { Detection, DetectionEngine, DetectionStats, NetmonPolicy, RuleStatus, ZonePairTraffic } from './detect/index.js';
import type { ConversationTable } from './conversations/index.js';
import type { Observation, Severity } from './model.js';
import { noCaptureFiles, type CaptureFileRead } from './follow/directory-input.js';
import { readCaptureDissected } from './pipeline/dissected.js';
import type { CaptureFault } from './pipeline/read-capture.js';
import { CaptureAnalysis, createEngine } from './analysis.js';
import { openSource, progressReporter } from './report-input.js';

export { createEngine, groupFindings, summarizeEngine } from './analysis.js';

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

/** Where a segment of a capture read in segments stands in it (the report of a checkpoint). */
export interface CaptureSegmentInfo {
  /** the same for every segment of one read */
  session: string;
  /** 1 for the first segment */
  index: number;
  /** the last segment (the input ended or the read was stopped): every flow was ended in it */
  final: boolean;
  /** read-wide frame number of the segment's first packet (frames run on from segment to segment) */
  firstFrame: number;
  /**
   * the segment is one whole capture file of a run over several (a followed directory): run-wide
   * frame F is frame F - firstFrame + 1 of the file (alert evidence names the file and that number)
   */
  perFile?: true;
  /** flows begun in an earlier segment and still open when this one began */
  flowsCarriedIn: number;
  /** flows still open when this segment ended, carried into the next (0 for the final one) */
  flowsOpen: number;
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
    /** one segment of a capture read in segments (segments.ts): the report covers that segment */
    segment?: CaptureSegmentInfo;
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


export async function analyzeCapture(source: CaptureSource, opts: AnalyzeOptions = {}): Promise<NetmonReport> {
  const input = await openSource(source, opts);
  const name = opts.name ?? input.name;
  const oui = opts.oui ?? (await loadOuiDatabase(opts.ouiPath));
  const analysis = new CaptureAnalysis({
    name,
    oui,
    engine: createEngine(opts.detection, name),
    ...(opts.maxProfiles === undefined ? {} : { maxProfiles: opts.maxProfiles }),
    ...(opts.topTalkers === undefined ? {} : { topTalkers: opts.topTalkers }),
    ...(opts.conversations ? { conversations: opts.conversations } : {}),
    ...(opts.onObservation ? { onObservation: opts.onObservation } : {}),
  });
  const read = progressReporter(input, opts, () => analysis.observations);
  const directory = 'directory' in input ? input.directory : undefined;
  const stats = await readCaptureDissected(
    read.input,
    { live: read.live, ...(opts.signal ? { signal: opts.signal } : {}) },
    {
      ...(directory ? { onFile: (path: string, firstFrame: number) => directory.onFile(path, firstFrame) } : {}),
      onArp: (arp, meta) => analysis.onArp(arp, meta),
      onFlowStart: (key, info) => analysis.onFlowStart(key, info),
      onObservation: (o, flowId) => analysis.onObservation(o, flowId),
      onFlowEnd: (s, producer) => analysis.onFlowEnd(s, producer),
    },
  );
  read.done();
  const files = directory?.filesRead(stats.packets);
  // Following a directory that never got a capture file: there is nothing to report on.
  if (directory && files?.length === 0 && directory.faults.length === 0) throw noCaptureFiles(directory.dir, directory.match, 'appeared in');
  return analysis.finish(
    {
      bytes: stats.bytes,
      packets: stats.packets,
      decoded: stats.decoded,
      flows: stats.flows.flowsCreated,
      ...(stats.firstTs === undefined ? {} : { firstTs: stats.firstTs }),
      ...(stats.lastTs === undefined ? {} : { lastTs: stats.lastTs }),
      decodeErrors: stats.decodeErrors,
      captureErrors: directory ? directory.allFaults(stats.captureErrors) : stats.captureErrors,
      consumerErrors: stats.consumerErrors,
      ...(files ? { files } : {}),
    },
    (engine) => opts.detection?.onFinish?.(engine),
  );
}

