/**
 * @module Live ingests that record as they read (segments.ts does the reading). `ingestInSegments`: a
 * stream such as stdin, recorded as a capture per checkpoint interval. CaptureRun: the files of a
 * followed rotating capture read as one continuous capture, each file recorded as its own capture
 * once read. Flows, TCP reassembly and dissectors carry on from a segment or file into the next, so a
 * connection open across a rotation is one flow read from its first byte, whose conversation gets in
 * each capture what it carried there and counts as one flow (per-file ingests counted it in every
 * file and read each later part from the middle). A run's end (its close) records nothing more.
 */
import { invalidInput, type Actor } from '../core/index.js';
import { baselineToJson } from './baseline/index.js';
import { CaptureError, recycledFileSource, type CaptureFileSource } from './capture/index.js';
import { ConversationTable } from './conversations/index.js';
import type { NetmonPolicy } from './detect/index.js';
import type { Observation } from './model.js';
import { ObservationSample, type ObservationSampleOptions } from './observation-sample.js';
import type { CaptureFileIdentity } from './ports.js';
import type { CaptureSource, NetmonReport } from './report.js';
import { analyzeInSegments, type SegmentedSummary } from './segments.js';
import type { NetmonIngestOptions, NetmonIngestResult } from './service.js';

export interface CaptureRun {
  /**
   * Reads `path` as the run's next file; resolves with its capture once it is read and recorded, or
   * rejects with a DomainError for a file that could not be read at all (the run goes on). Files
   * are read in the order given, one at a time: give the next once this one has settled.
   */
  ingestFile(path: string, identity: CaptureFileIdentity): Promise<NetmonIngestResult>;
  /** Ends the run: the flows still open are ended and recorded. Rejects with what ended the run if it failed. */
  close(): Promise<void>;
}

/** What a run or a segmented ingest needs of NetmonService. */
export interface LiveIngestHost {
  policy: NetmonPolicy;
  observations?: ObservationSampleOptions;
  now(): string;
  storedBaseline(name: string | undefined): Promise<(() => unknown) | undefined>;
  putBaseline(name: string, json: unknown): Promise<void>;
  recordReport(
    report: NetmonReport,
    conversations: ConversationTable,
    meta: { name: string; kind: string; startedAt: string; source?: CaptureFileIdentity; observations?: ObservationSample },
    actor: Actor,
  ): Promise<NetmonIngestResult>;
}

export interface CaptureRunOptions {
  /** the run's name (the directory), for its last capture and detection evidence */
  name: string;
  /** baseline to resume and update (default 'default'); null: none */
  baseline?: string | null;
  learnSeconds?: number;
}

interface FileInRun {
  path: string;
  identity: CaptureFileIdentity;
  resolve: (r: NetmonIngestResult) => void;
  reject: (e: unknown) => void;
}

export function openCaptureRun(host: LiveIngestHost, opts: CaptureRunOptions, actor: Actor): CaptureRun {
  const baselineName = opts.baseline === null ? undefined : (opts.baseline ?? 'default');
  // files given and not yet read (at most one: ingestFile is called once the last has settled), and
  // those read whose capture is not recorded yet
  const waiting: FileInRun[] = [];
  const reading: FileInRun[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let failure: { error: unknown } | undefined;

  async function* files(): AsyncGenerator<CaptureFileSource> {
    for (;;) {
      while (waiting.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
      const next = waiting.shift();
      if (next === undefined) return;
      reading.push(next);
      yield { path: next.path, chunks: readable(next.path) };
    }
  }

  const done = (async () => {
    const stored = await host.storedBaseline(baselineName);
    await analyzeInSegments(
      { files: files(), name: opts.name },
      {
        detection: { policy: host.policy, ...(stored ? { baseline: stored } : opts.learnSeconds !== undefined ? { learnSeconds: opts.learnSeconds } : {}) },
        newSinks: () => newSegmentSinks(host),
        onSegment: async (report, sinks, engine) => {
          const file = report.capture.segment?.final ? undefined : reading.shift();
          // The run's end: the flows still open were ended, and what they carried is in the files'
          // captures already, but for flows whose protocol was still undecided at every file's end
          // (a handshake and no payload yet): not worth a capture of their own, which the next run
          // (reading the newest file from its start) would partly repeat.
          if (file === undefined) return;
          const unreadable = unreadableSegment(report, file.path);
          if (unreadable) {
            // nothing readable (gone, not a capture): that file fails, the run goes on
            file.reject(unreadable);
            return;
          }
          const name = file.path;
          try {
            const out = await host.recordReport({ ...report, capture: { ...report.capture, name } }, sinks.conversations, { name, kind: 'capture', startedAt: sinks.startedAt, source: file.identity, observations: sinks.sample }, actor);
            if (baselineName && engine) await host.putBaseline(baselineName, baselineToJson(engine.baseline));
            file.resolve(out);
          } catch (e) {
            file.reject(e);
            throw e;
          }
        },
      },
    );
  })();
  // a failed run fails every file given to it, now and later
  done.catch((error: unknown) => {
    failure = { error };
    for (const f of [...reading.splice(0), ...waiting.splice(0)]) f.reject(error);
  });

  return {
    ingestFile(path, identity) {
      if (failure) return Promise.reject(failure.error);
      if (closed) return Promise.reject(new Error('the capture run is closed'));
      return new Promise<NetmonIngestResult>((resolve, reject) => {
        waiting.push({ path, identity, resolve, reject });
        wake?.();
      });
    },
    async close() {
      closed = true;
      wake?.();
      await done;
    },
  };
}

/** The file's bytes; a file that cannot be opened or read is a capture fault of that file, not the end of the run. */
async function* readable(path: string): AsyncGenerator<Uint8Array> {
  try {
    yield* recycledFileSource(path);
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    throw new CaptureError('capture.unreadable', `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 0, path);
  }
}

export interface SegmentedIngestOptions extends Omit<NetmonIngestOptions, 'kind' | 'source'> {
  /** a capture record is written each time the read spans this many seconds (capture or wall-clock time) */
  checkpointSeconds: number;
  /** each segment once it is recorded */
  onRecorded?: (result: NetmonIngestResult) => void;
}

export interface SegmentedIngestSummary extends SegmentedSummary {
  /** the capture records written, in order */
  captureIds: string[];
}


/**
 * A long-running capture (stdin from tcpdump, a very large file) ingested in segments
 * (analyzeInSegments): each time the read spans `checkpointSeconds`, what it found is written as a
 * capture record of its own (devices, alerts, the conversations' parts of the segment, observations)
 * and the baseline saved, while flows carry on into the next segment. Reading goes on while a
 * segment is written (one at a time). Stopping (`signal`) records the last segment with every flow ended.
 */
export async function ingestInSegments(host: LiveIngestHost, source: CaptureSource, options: SegmentedIngestOptions, actor: Actor): Promise<SegmentedIngestSummary> {
  const baselineName = options.baseline === null ? undefined : (options.baseline ?? 'default');
  const stored = await host.storedBaseline(baselineName);
  const captureIds: string[] = [];
  const summary = await analyzeInSegments(source, {
    checkpointSeconds: options.checkpointSeconds,
    ...(options.name ? { name: options.name } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    detection: { policy: host.policy, ...(stored ? { baseline: stored } : options.learnSeconds !== undefined ? { learnSeconds: options.learnSeconds } : {}) },
    newSinks: () => newSegmentSinks(host),
    onSegment: async (report, sinks, engine) => {
      const unreadable = unreadableSegment(report, options.name ?? report.capture.name);
      if (unreadable) {
        // bytes that are not a capture at all: refused, as a whole ingest refuses them; after
        // recorded segments, a damaged tail with no packet adds nothing to record
        if (captureIds.length === 0) throw unreadable;
        return;
      }
      const out = await host.recordReport(report, sinks.conversations, { name: options.name ?? report.capture.name, kind: 'capture', startedAt: sinks.startedAt, observations: sinks.sample }, actor);
      // the baseline as it is now: what this segment learnt, and what the one being read has so far
      if (baselineName && engine) await host.putBaseline(baselineName, baselineToJson(engine.baseline));
      captureIds.push(out.captureId);
      options.onRecorded?.(out);
    },
  });
  return { ...summary, captureIds };
}

/** A segment's conversations and observation sample, and when it began (the capture record's startedAt). */
function newSegmentSinks(host: LiveIngestHost) {
  const sample = new ObservationSample(host.observations);
  return { conversations: new ConversationTable(), sample, onObservation: (o: Observation) => sample.add(o), startedAt: host.now() };
}

/** A segment with no packet and a capture fault: the bytes were not a readable capture (the error to give), else undefined. */
function unreadableSegment(report: NetmonReport, name: string) {
  const fault = report.capture.captureErrors[0];
  if (report.capture.packets > 0 || fault === undefined) return undefined;
  return invalidInput('netmon.unreadable_capture', `${name} is not a readable capture: ${fault.message}`, { location: { byteOffset: fault.byteOffset, ...(fault.file ? { file: fault.file } : {}) } });
}
