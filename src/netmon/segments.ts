/**
 * @module `analyzeInSegments`: a long-running capture (live traffic on stdin, a very large file) read
 * in segments, each reported when it ends, so what was seen is recorded while the capture goes on
 * instead of once at its end (never, for a pipe from tcpdump that runs for months). Flows, TCP
 * reassembly and dissectors carry on from one segment into the next: a connection open across a
 * checkpoint is one flow, read from its first byte. Its conversation (the communication map), the
 * protocol counts, top talkers and discovery (services, peers, volumes) get, in each segment, the
 * packets and bytes it carried in that segment, and count it as one flow in the first (an HL7
 * interface open for weeks is on the map and in the tables from its first checkpoint, not only once
 * it closes); detection judges it whole, when it ends.
 * Each segment has its own discovery and sinks (conversations, observations). One detection engine
 * runs through the whole read: its rules' state and the baseline carry on across checkpoints (an
 * association asked before one and answered after it is judged as one; a connection to the internet
 * open across several is detected once), and each segment's report has the detections that occurred
 * in it (DetectionEngine.checkpoint); what is pending at the end is judged in the last. A segment ends at
 * checkpoints in time (a byte stream) or at the end of each file (a sequence of capture files: the
 * files of a followed rotating capture, each recorded as it completes).
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { DomainError } from '../core/index.js';
import { CaptureAnalysis, createEngine, protocolName } from './analysis.js';
import { FileFrames } from './file-frames.js';
import type { ConversationTable } from './conversations/index.js';
import type { DetectionEngine } from './detect/index.js';
import { loadOuiDatabase } from './discovery/index.js';
import type { FlowDirectionCounters, FlowSummary, Observation } from './model.js';
import { readCaptureDissected } from './pipeline/dissected.js';
import type { CaptureFileSource } from './capture/index.js';
import type { DissectedCursor } from './pipeline/dissected.js';
import type { LiveCounters } from './pipeline/events.js';
import type { CaptureInput, CaptureStats } from './pipeline/read-capture.js';
import type { AnalyzeOptions, CaptureSource, NetmonReport } from './report.js';
import { openSource, progressReporter } from './report-input.js';

/** A byte stream or file (checkpoints in time), or capture files read one after another (a segment each). */
export type SegmentedSource = CaptureSource | { files: AsyncIterable<CaptureFileSource>; name: string };

/** What a segment writes into besides its report: fresh for every segment. */
export interface SegmentSinks {
  /** finished flows of the segment */
  conversations?: ConversationTable;
  /** each observation of the segment */
  onObservation?: (o: Observation) => void;
}

export interface SegmentedAnalyzeOptions<S extends SegmentSinks> extends Omit<AnalyzeOptions, 'conversations' | 'onObservation' | 'follow'> {
  /**
   * a byte stream: a segment ends at the first chunk read once it spans this many seconds of capture
   * time or of wall-clock time (a quiet network still gets its checkpoint when traffic resumes).
   * Ignored for a sequence of files, whose segments end with each file.
   */
  checkpointSeconds?: number;
  /** the sinks of a new segment */
  newSinks: () => S;
  /**
   * each segment as it ends, in order, with the engine whose baseline it learnt into (which the
   * next segments go on updating). Reading goes on while the promise is pending; a checkpoint that
   * comes before it settles waits for it (one segment written at a time), and a rejection ends the read.
   */
  onSegment: (report: NetmonReport, sinks: S, engine: DetectionEngine | undefined) => Promise<void>;
}

export interface SegmentedSummary {
  session: string;
  segments: number;
  packets: number;
  bytes: number;
}

/** The smallest checkpoint interval accepted: shorter ones would write a capture record per chunk. */
export const MIN_CHECKPOINT_SECONDS = 1;

export async function analyzeInSegments<S extends SegmentSinks>(source: SegmentedSource, opts: SegmentedAnalyzeOptions<S>): Promise<SegmentedSummary> {
  const perFile = typeof source !== 'string' && 'files' in source;
  const seconds = opts.checkpointSeconds ?? NaN;
  if (!perFile && !(seconds >= MIN_CHECKPOINT_SECONDS)) {
    throw new DomainError('netmon.invalid_option', `checkpoint interval must be at least ${MIN_CHECKPOINT_SECONDS} s (got ${opts.checkpointSeconds})`, { status: 400 });
  }
  const opened = perFile ? undefined : await openByteSource(source as CaptureSource, opts);
  const name = opts.name ?? (perFile ? (source as { name: string }).name : (opened as { name: string }).name);
  const oui = opts.oui ?? (await loadOuiDatabase(opts.ouiPath));
  const session = `ses_${randomUUID()}`;
  const intervalUs = seconds * 1e6;
  const intervalMs = seconds * 1000;

  /** ids of the flows open now */
  const open = new Set<number>();
  /** what earlier segments recorded of each open flow: its counters up to then */
  const recorded = new Map<number, FlowPartMark>();
  /**
   * The part of flow `s` no segment recorded yet, into the current segment's conversations, protocol
   * counts, top talkers and discovery; at its end (`ended`) the analysis also hands the whole flow to
   * detection. A flow counts as one in the first segment that records any of it.
   */
  const recordPart = (s: FlowSummary, producer: string | undefined, ended: boolean) => {
    const earlier = recorded.get(s.id);
    const part = earlier === undefined ? s : partAfter(s, earlier);
    const newFlow = earlier === undefined;
    const packets = part.c2s.packets + part.s2c.packets;
    if (ended) current.analysis.onFlowEnd(s, producer, { summary: part, newFlow });
    else if (packets > 0) current.analysis.onFlowPart(part, producer, newFlow);
    if (packets === 0 && !newFlow) return;
    current.sinks.conversations?.addSpan(part, protocolName(s, producer), { packets, bytes: part.c2s.bytes + part.s2c.bytes, firstTs: part.firstTs, newFlow });
  };
  const engine: DetectionEngine | undefined = createEngine(opts.detection, name);
  /** files read, by first frame: detection evidence names the file and the frame in it */
  const fileFrames = perFile ? new FileFrames() : undefined;
  const newSegment = (carriedIn: number) => {
    const sinks = opts.newSinks();
    const analysis = new CaptureAnalysis({
      name,
      oui,
      engine,
      ...(opts.maxProfiles === undefined ? {} : { maxProfiles: opts.maxProfiles }),
      ...(opts.topTalkers === undefined ? {} : { topTalkers: opts.topTalkers }),
      ...(sinks.onObservation ? { onObservation: sinks.onObservation } : {}),
    });
    return { sinks, analysis, carriedIn, wallStart: performance.now() };
  };
  let current = newSegment(0);
  let index = 1;
  let firstFrame = 1;
  let before: CaptureStats | undefined;
  let packets = 0;
  let bytes = 0;

  // The segment being written. Reading goes on meanwhile (a pipe from tcpdump is not left to fill up
  // and drop packets while the database writes), but a checkpoint waits for the write before it: at
  // most one segment is written while the next is read, so memory stays bounded.
  let writing: Promise<void> | undefined;

  /** ends the current segment at the read's state `now`, handing it to onSegment */
  const endSegment = async (now: CaptureStats, segmentFirstTs: number, final: boolean, nextFrame: number) => {
    const { analysis, sinks, carriedIn } = current;
    let learnt: DetectionEngine | undefined;
    const report = analysis.finish(
      {
        ...segmentOf(now, before),
        ...(Number.isNaN(segmentFirstTs) ? {} : { firstTs: segmentFirstTs, ...(now.lastTs === undefined ? {} : { lastTs: now.lastTs }) }),
        segment: { session, index, final, firstFrame, flowsCarriedIn: carriedIn, flowsOpen: final ? 0 : open.size, ...(perFile ? { perFile: true as const } : {}) },
      },
      (e) => {
        learnt = e;
        opts.detection?.onFinish?.(e);
      },
    );
    const engineOfSegment = learnt;
    if (fileFrames !== undefined) relocateEvidence(report, fileFrames);
    packets += report.capture.packets;
    bytes += report.capture.bytes;
    before = now;
    firstFrame = nextFrame;
    index++;
    if (!final) current = newSegment(open.size);
    const previous = writing;
    writing = (async () => {
      await previous;
      await opts.onSegment(report, sinks, engineOfSegment);
    })();
    // awaited below or at the next checkpoint; a failure before then must not go unhandled
    writing.catch(() => undefined);
    await (final ? writing : previous);
  };

  const read: { input: CaptureInput; live: LiveCounters; done: () => void } = opened
    ? progressReporter(opened, opts, () => current.analysis.observations)
    : { input: { files: (source as { files: AsyncIterable<CaptureFileSource> }).files }, live: { packets: 0, flows: 0 }, done: () => undefined };
  let filesDone = 0;
  let cursor: DissectedCursor | undefined;
  let stats: CaptureStats;
  try {
    stats = await readCaptureDissected(
      read.input,
      {
        live: read.live,
        ...(opts.signal ? { signal: opts.signal } : {}),
        between: (c) => {
          cursor = c;
          if (perFile) {
            // a file's segment ends with it, packets or not
            if (c.filesDone === filesDone) return undefined;
            filesDone = c.filesDone;
          } else {
            if (c.segmentPackets === 0) return undefined;
            if (c.lastTs - c.segmentFirstTs < intervalUs && performance.now() - current.wallStart < intervalMs) return undefined;
          }
          const firstTs = c.segmentPackets === 0 ? NaN : c.segmentFirstTs;
          // the flows still open: what they carried in this segment goes into its conversations
          for (const { summary, producer, decided } of c.openFlowsDissected()) {
            // a flow whose protocol is not known yet goes in once it is (or when it ends), under that protocol
            if (!decided) continue;
            recordPart(summary, producer, false);
            recorded.set(summary.id, { c2s: summary.c2s, s2c: summary.s2c, lastTs: summary.lastTs });
          }
          c.startSegment();
          return endSegment(c.stats(), firstTs, false, c.nextFrame);
        },
      },
      {
        onArp: (arp, meta) => current.analysis.onArp(arp, meta),
        ...(fileFrames ? { onFile: (path: string, first: number) => fileFrames.add(path, first) } : {}),
        onFlowStart: (key, info) => {
          open.add(info.id);
          current.analysis.onFlowStart(key, info);
        },
        onObservation: (o, flowId) => current.analysis.onObservation(o, flowId),
        onFlowEnd: (s, producer) => {
          open.delete(s.id);
          recordPart(s, producer, true);
          recorded.delete(s.id);
        },
      },
    );
  } finally {
    // a read that failed still lets the segment being written finish (its error, if any, is the read's)
    await writing?.catch(() => undefined);
  }
  read.done();
  const lastFirstTs = cursor === undefined ? (stats.firstTs ?? NaN) : cursor.segmentPackets === 0 ? NaN : cursor.segmentFirstTs;
  await endSegment(stats, lastFirstTs, true, 0);
  return { session, segments: index - 1, packets, bytes };
}

/** The counters of the read between `before` (the previous checkpoint; the start if undefined) and `now`. */
function segmentOf(now: CaptureStats, before: CaptureStats | undefined) {
  const decodeErrors: Record<string, number> = {};
  for (const [code, n] of Object.entries(now.decodeErrors)) {
    const d = n - (before?.decodeErrors[code] ?? 0);
    if (d > 0) decodeErrors[code] = d;
  }
  return {
    bytes: now.bytes - (before?.bytes ?? 0),
    packets: now.packets - (before?.packets ?? 0),
    decoded: now.decoded - (before?.decoded ?? 0),
    flows: now.flows.flowsCreated - (before?.flows.flowsCreated ?? 0),
    decodeErrors,
    captureErrors: now.captureErrors.slice(before?.captureErrors.length ?? 0),
    consumerErrors: now.consumerErrors - (before?.consumerErrors ?? 0),
  };
}

/** Detection evidence of a file's segment pointed at the file (of the run) and frame it is in. */
function relocateEvidence(report: NetmonReport, files: FileFrames): void {
  for (const d of report.detections ?? []) {
    d.evidence = d.evidence.map((ev) => (ev.frame === undefined ? ev : { ...ev, ref: files.relocate(ev.ref, ev.frame) }));
  }
}

/** What earlier segments recorded of an open flow: its counters each way and its last packet's time then. */
interface FlowPartMark {
  c2s: FlowDirectionCounters;
  s2c: FlowDirectionCounters;
  lastTs: number;
}

const minus = (a: FlowDirectionCounters, b: FlowDirectionCounters): FlowDirectionCounters => ({
  packets: a.packets - b.packets,
  bytes: a.bytes - b.bytes,
  payloadBytes: a.payloadBytes - b.payloadBytes,
});

/** flow `s` from `mark` on: its counters less those recorded, starting at the time of the mark */
const partAfter = (s: FlowSummary, mark: FlowPartMark): FlowSummary => ({ ...s, c2s: minus(s.c2s, mark.c2s), s2c: minus(s.s2c, mark.s2c), firstTs: mark.lastTs });


/** A capture file or stdin, opened as a byte stream (a directory is refused: its files are read one by one instead). */
async function openByteSource(source: CaptureSource, opts: AnalyzeOptions) {
  const directory = typeof source === 'string' && source !== '-' && (await stat(source).catch(() => undefined))?.isDirectory() === true;
  const input = directory ? undefined : await openSource(source, opts);
  if (input === undefined || !('bytes' in input)) {
    throw new DomainError('netmon.invalid_option', 'checkpoints apply to a capture file or stdin, not a directory (ingest DIR --follow records each file as it completes)', { status: 400 });
  }
  return input;
}
