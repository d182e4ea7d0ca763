/**
 * @module `followAndIngest`: the long-running SPAN-port mode. Each file of a rotating capture
 * directory is ingested as its own capture once it is complete (a newer file exists; the newest, by
 * first-packet time, is still being written and waits), in chronological order by first packet,
 * until the signal aborts, which stops after the file in progress. What was handled is remembered by
 * file version (path, inode, first packet), so a ring buffer that wraps and rewrites cap.pcap0 has
 * the new cap.pcap0 ingested once it is complete, while a file that only grew is not taken again;
 * only versions of files still present are remembered. A file already ingested as it is now (same
 * path, size and modification time, kept in the capture record) is skipped, so a restart picks up
 * where the last run stopped. A file that cannot be ingested (damaged beyond reading, deleted by the
 * ring buffer first) is reported and passed over; anything else (the database) ends the run. A caller
 * that starts a new run after such an end (the server's capture watch) passes the versions the earlier
 * runs ingested or skipped (`settled`), so the new run does not meet, count and report them again.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DomainError, isDomainError, type Actor } from '../../core/index.js';
import { HandledVersions, newestIndex } from '../capture/capture-versions.js';
import { DEFAULT_CAPTURE_NAME, FirstPacketCache, pauseUnlessAborted, scanCaptureFiles } from '../capture/directory.js';
import type { Severity } from '../model.js';
import type { CaptureFileIdentity, CaptureRecord } from '../ports.js';
import type { NetmonIngestOptions, NetmonIngestResult } from '../service.js';
import type { CaptureRun, CaptureRunOptions } from '../capture-run.js';
import { fileIdentity } from './file-identity.js';

export { fileIdentity } from './file-identity.js';

/** What the loop needs of NetmonService. */
export interface DirectoryIngestTarget {
  ingest(source: string, options: NetmonIngestOptions, actor: Actor): Promise<NetmonIngestResult>;
  ingestedFile(source: CaptureFileIdentity): Promise<CaptureRecord | undefined>;
  /**
   * A run reading the files one after another as one capture, each recorded as its own
   * (capture-run.ts); without it each file is ingested on its own (`ingest`), its connections read
   * from the middle and counted again in every file they span.
   */
  captureRun?(opts: CaptureRunOptions, actor: Actor): CaptureRun;
}

export interface FollowIngestOptions {
  /** stops the run after the file in progress */
  signal?: AbortSignal;
  /** how often to look for new files (default 500 ms) */
  pollMs?: number;
  /** which names are captures (default DEFAULT_CAPTURE_NAME) */
  match?: RegExp;
  /** learning window for a new baseline */
  learnSeconds?: number;
  onIngested?: (path: string, result: NetmonIngestResult) => void;
  onSkipped?: (path: string, earlier: CaptureRecord) => void;
  onFailed?: (path: string, error: DomainError) => void;
  /**
   * after each look at the directory and after each file: complete files not handled yet (the
   * newest, still being written, aside). A count that keeps growing means ingest falls behind the
   * capture, and a ring buffer will overwrite files before they are read.
   */
  onBacklog?: (waiting: number) => void;
  /**
   * Versions earlier runs of the same caller ingested or skipped, passed to each of its runs: this run
   * leaves them out (as one run leaves out what it handled) and adds those it ingests or skips. A file
   * that failed is not added, so the next run tries it again; one whose handling threw (the database)
   * neither. Absent (the CLI): a run meets every file and skips those already ingested.
   */
  settled?: HandledVersions;
}

export interface FollowedFile {
  path: string;
  outcome: 'ingested' | 'skipped' | 'failed';
  /** the capture record written (ingested) or found (skipped) */
  captureId?: string;
  packets?: number;
  devices?: number;
  alertsRaised?: number;
  detections?: number;
  error?: { code: string; message: string };
}

export interface FollowIngestSummary {
  directory: string;
  ingested: number;
  skipped: number;
  failed: number;
  packets: number;
  devicesReported: number;
  devicesCreated: number;
  alertsRaised: number;
  alertsFolded: number;
  detections: number;
  /** the most severe wire finding or detection in the files ingested */
  highestSeverity?: Severity;
  /** the most recent files met (at most 1000), oldest first */
  files: FollowedFile[];
}

const MAX_LISTED = 1000;

/** complete files waiting from which ingest is said to fall behind the capture */
export const BACKLOG_WARNING = 3;

/**
 * An onBacklog that calls `behind` when the backlog reaches BACKLOG_WARNING and `cleared` once it is
 * back to 0, and nothing in between (a warning per crossing, not per look).
 */
export function backlogCrossings(behind: (waiting: number) => void, cleared: () => void): (waiting: number) => void {
  let isBehind = false;
  return (waiting) => {
    if (!isBehind && waiting >= BACKLOG_WARNING) {
      isBehind = true;
      behind(waiting);
    } else if (isBehind && waiting === 0) {
      isBehind = false;
      cleared();
    }
  };
}
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];


export async function followAndIngest(dir: string, target: DirectoryIngestTarget, actor: Actor, opts: FollowIngestOptions = {}): Promise<FollowIngestSummary> {
  const directory = resolve(dir);
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw new DomainError('netmon.capture_not_found', `capture directory ${dir} does not exist or is not a directory`, { status: 404, location: { file: dir } });
  const match = opts.match ?? DEFAULT_CAPTURE_NAME;
  const summary: FollowIngestSummary = { directory, ingested: 0, skipped: 0, failed: 0, packets: 0, devicesReported: 0, devicesCreated: 0, alertsRaised: 0, alertsFolded: 0, detections: 0, files: [] };
  const note = (f: FollowedFile) => {
    summary.files.push(f);
    if (summary.files.length > MAX_LISTED) summary.files.shift();
  };
  const fail = (path: string, error: DomainError): FollowedFile['outcome'] => {
    summary.failed++;
    note({ path, outcome: 'failed', error: { code: error.code, message: error.message } });
    opts.onFailed?.(path, error);
    return 'failed';
  };

  const handle = async (path: string): Promise<FollowedFile['outcome']> => {
    let identity: CaptureFileIdentity;
    try {
      identity = await fileIdentity(path);
    } catch (e) {
      return fail(path, new DomainError('netmon.capture_not_found', `${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { status: 404, location: { file: path } }));
    }
    const earlier = await target.ingestedFile(identity);
    if (earlier) {
      summary.skipped++;
      note({ path, outcome: 'skipped', captureId: earlier.id });
      opts.onSkipped?.(path, earlier);
      return 'skipped';
    }
    let r: NetmonIngestResult;
    try {
      // No signal: a stop request lets the file in progress finish, so no capture is recorded half-read.
      r = run ? await run.ingestFile(path, identity) : await target.ingest(path, { name: path, kind: 'capture', source: identity, ...(opts.learnSeconds === undefined ? {} : { learnSeconds: opts.learnSeconds }) }, actor);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      return fail(path, e);
    }
    const detections = r.report.detections ?? [];
    summary.ingested++;
    summary.packets += r.report.capture.packets;
    summary.devicesReported += r.devices.reported;
    summary.devicesCreated += r.devices.created;
    summary.alertsRaised += r.alerts.created;
    summary.alertsFolded += r.alerts.folded;
    summary.detections += detections.length;
    for (const s of [...r.report.findings.map((f) => f.severity), ...detections.map((d) => d.severity)]) {
      if (summary.highestSeverity === undefined || SEVERITY_ORDER.indexOf(s) < SEVERITY_ORDER.indexOf(summary.highestSeverity)) summary.highestSeverity = s;
    }
    note({ path, outcome: 'ingested', captureId: r.captureId, packets: r.report.capture.packets, devices: r.devices.reported, alertsRaised: r.alerts.created, detections: detections.length });
    opts.onIngested?.(path, r);
    return 'ingested';
  };

  const cache = new FirstPacketCache();
  const handled = new HandledVersions();
  // one continuous read across the files when the target offers it: flows carry on across rotations
  const run = target.captureRun?.({ name: directory, ...(opts.learnSeconds === undefined ? {} : { learnSeconds: opts.learnSeconds }) }, actor);
  try {
    await followLoop();
  } catch (e) {
    // what ended the loop is the error to report; the run's own end is then secondary
    await run?.close().catch(() => undefined);
    throw e;
  }
  // the flows still open are ended and recorded
  await run?.close();
  return summary;

  async function followLoop(): Promise<void> {
    while (!opts.signal?.aborted) {
      const files = await scanCaptureFiles(directory, match, cache).catch((e: NodeJS.ErrnoException) => {
        throw new DomainError('netmon.capture_not_found', `capture directory ${dir} cannot be listed: ${e.code ?? e.message}`, { status: 404, location: { file: dir } });
      });
      handled.sync(files);
      opts.settled?.sync(files);
      // Every version not yet handled (by this run or, settled, an earlier one) but the newest, which is still being written.
      const newest = newestIndex(files);
      const todo = files.filter((file, i) => i !== newest && !handled.has(file) && opts.settled?.has(file) !== true);
      opts.onBacklog?.(todo.length);
      let handledAny = false;
      for (const [done, file] of todo.entries()) {
        if (opts.signal?.aborted) break;
        handled.add(file);
        if ((await handle(file.path)) !== 'failed') opts.settled?.add(file);
        handledAny = true;
        opts.onBacklog?.(todo.length - done - 1);
      }
      if (!handledAny && !(await pauseUnlessAborted(opts.pollMs ?? 500, opts.signal))) break;
    }
  }
}

