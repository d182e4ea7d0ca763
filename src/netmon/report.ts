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
import { loadOuiDatabase, type DiscoveredDevice, type OuiDatabase } from './discovery/index.js';
import type { BaselineOptions } from './baseline/index.js';
import type { Detection, DetectionEngine, DetectionStats, NetmonPolicy, RuleStatus, ZonePairTraffic } from './detect/index.js';
import type { ConversationTable } from './conversations/index.js';
import type { Observation, Severity } from './model.js';
import { CaptureDirectoryInput, noCaptureFiles, type CaptureFileRead } from './follow/directory-input.js';
import { readCaptureDissected } from './pipeline/dissected.js';
import type { LiveCounters } from './pipeline/events.js';
import type { CaptureFault, CaptureInput } from './pipeline/read-capture.js';
import { CaptureAnalysis, createEngine } from './analysis.js';

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


export type OpenedSource = { name: string; totalBytes?: number } & ({ bytes: ByteSource } | { directory: CaptureDirectoryInput });

export async function openSource(source: CaptureSource, opts: AnalyzeOptions): Promise<OpenedSource> {
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

/**
 * The capture input with progress reporting (AnalyzeOptions.onProgress, at most every
 * progressIntervalMs): bytes counted as chunks are read, packets and flows from the live counters.
 */
export function progressReporter(input: OpenedSource, opts: AnalyzeOptions, observations: () => number): { input: CaptureInput; live: LiveCounters; done: () => void } {
  const started = performance.now();
  const interval = opts.progressIntervalMs ?? 200;
  let bytes = 0;
  const current: { file?: string; files: number } = { files: 0 };
  const live: LiveCounters = { packets: 0, flows: 0 };
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
      observations: observations(),
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
  const captureInput: CaptureInput =
    'bytes' in input
      ? { bytes: counted(input.bytes), name: input.name }
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
  return { input: captureInput, live, done: () => progress(true) };
}
