/**
 * @module The server's capture-directory watch: `netmon ingest DIR --follow` run inside the server
 * (followAndIngest, unchanged), so a SPAN port's rotating ring of tcpdump/dumpcap files is ingested
 * without a second long-lived process, with its state kept for the status endpoint. An unexpected
 * failure (the database down, the directory unmounted) ends followAndIngest's run; the watch then
 * logs it, shows it in its status and starts a new run after a backoff that doubles up to a bound,
 * so it neither dies silently nor spins. A new run goes on from where the earlier ones got to: the files
 * they ingested or skipped are not met again (so not counted or reported twice), and one that failed is
 * tried again.
 */
import { isDomainError, systemActor, type Clock, type Logger } from '../core/index.js';
import { HandledVersions } from './capture/capture-versions.js';
import { pauseUnlessAborted } from './capture/directory.js';
import { backlogCrossings, followAndIngest, type DirectoryIngestTarget } from './follow/ingest-directory.js';

export interface CaptureWatchOptions {
  directory: string;
  /** how often to look for new files (default 500 ms) */
  pollMs?: number;
  /** learning window for a new baseline (default: the service's) */
  learnSeconds?: number;
  /** first wait after an unexpected failure (default 1 s), doubled per failure in a row up to retryMaxMs (default 60 s) */
  retryMs?: number;
  retryMaxMs?: number;
  /** how long close() waits for the file in progress (default 120 s) */
  closeTimeoutMs?: number;
}

export type CaptureWatchState = 'watching' | 'ingesting' | 'stopped' | 'error';
export type CaptureFileOutcome = 'ingested' | 'skipped' | 'failed';

export interface CaptureWatchStatus {
  enabled: true;
  directory: string;
  state: CaptureWatchState;
  startedAt: string;
  /** counts since the server started */
  filesIngested: number;
  /** already ingested as they are now, before the server started; each file once, however many new runs failures start */
  filesSkipped: number;
  /** not ingested (damaged beyond reading, deleted by the ring first); tried again (and counted again) by the next run */
  filesFailed: number;
  packetsIngested: number;
  /**
   * complete files not ingested yet, as of the last look (the newest, still being written, aside);
   * growing means ingest falls behind the capture and a ring will overwrite files before they are read
   */
  filesWaiting: number;
  /** the file being ingested now */
  currentFile?: { path: string; since: string };
  lastFile?: { path: string; outcome: CaptureFileOutcome; captureId?: string; at: string };
  /** the last file that failed or the last failure of the watch itself (`file` absent) */
  lastError?: { code: string; message: string; at: string; file?: string };
  /** while the state is `error`: when the next run starts */
  retryAt?: string;
}

export interface RunningCaptureWatch {
  /** a copy of the current status */
  status(): CaptureWatchStatus;
  /** stops after the file in progress; resolves when the watch has ended, or after closeTimeoutMs */
  close(): Promise<void>;
}

const errorCode = (e: unknown): string => {
  if (isDomainError(e)) return e.code;
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'netmon.capture_watch_failed';
};
const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function startCaptureWatch(netmon: DirectoryIngestTarget, opts: CaptureWatchOptions, clock: Clock, logger?: Logger): RunningCaptureWatch {
  const actor = systemActor('capture-watch');
  const retryMs = opts.retryMs ?? 1000;
  const retryMaxMs = Math.max(retryMs, opts.retryMaxMs ?? 60_000);
  const now = () => clock.now().toISOString();
  const status: CaptureWatchStatus = { enabled: true, directory: opts.directory, state: 'watching', startedAt: now(), filesIngested: 0, filesSkipped: 0, filesFailed: 0, packetsIngested: 0, filesWaiting: 0 };
  const ac = new AbortController();
  // logged when the backlog crosses the mark and when it is gone, not on every look
  const logBacklog = backlogCrossings(
    (waiting) => logger?.warn({ directory: opts.directory, filesWaiting: waiting }, 'capture files pile up: ingest falls behind the capture, and a ring buffer may overwrite files before they are read'),
    () => logger?.info({ directory: opts.directory }, 'capture backlog cleared'),
  );
  /** files handled since the last failure of the watch: a run that made progress starts the backoff over */
  let handledSinceFailure = 0;
  const handled = (path: string, outcome: CaptureFileOutcome, captureId?: string) => {
    handledSinceFailure++;
    status.lastFile = { path, outcome, ...(captureId ? { captureId } : {}), at: now() };
  };

  /** the file versions ingested or skipped by this watch's runs so far, so a new run does not meet them again */
  const settled = new HandledVersions();

  /** `work` on the file `path`, marked in progress for the status */
  const marked = async <T>(path: string, work: () => Promise<T>): Promise<T> => {
    status.state = 'ingesting';
    status.currentFile = { path, since: now() };
    try {
      return await work();
    } finally {
      delete status.currentFile;
      if (status.state === 'ingesting') status.state = 'watching';
    }
  };
  // The same target with the file in progress marked, for the status.
  const openRun = netmon.captureRun?.bind(netmon);
  const target: DirectoryIngestTarget = {
    ingestedFile: (source) => netmon.ingestedFile(source),
    ingest: (source, options, who) => marked(options.name ?? source, () => netmon.ingest(source, options, who)),
    ...(openRun
      ? {
          captureRun: (runOpts, who) => {
            const run = openRun(runOpts, who);
            return { ingestFile: (path, identity) => marked(path, () => run.ingestFile(path, identity)), close: () => run.close() };
          },
        }
      : {}),
  };

  const runOnce = () =>
    followAndIngest(opts.directory, target, actor, {
      signal: ac.signal,
      pollMs: opts.pollMs ?? 500,
      settled,
      ...(opts.learnSeconds === undefined ? {} : { learnSeconds: opts.learnSeconds }),
      onIngested: (file, r) => {
        status.filesIngested++;
        status.packetsIngested += r.report.capture.packets;
        handled(file, 'ingested', r.captureId);
        const damage = r.report.capture.captureErrors.map((e) => e.message);
        logger?.info(
          { file, packets: r.report.capture.packets, devices: r.devices.reported, alerts: r.alerts.created, detections: r.report.detections?.length ?? 0, captureId: r.captureId, ...(damage.length > 0 ? { damage } : {}) },
          'capture file ingested',
        );
      },
      onSkipped: (file, earlier) => {
        status.filesSkipped++;
        handled(file, 'skipped', earlier.id);
        logger?.info({ file, captureId: earlier.id, ingestedAt: earlier.finishedAt }, 'capture file already ingested, skipped');
      },
      onBacklog: (waiting) => {
        status.filesWaiting = waiting;
        logBacklog(waiting);
      },
      onFailed: (file, e) => {
        status.filesFailed++;
        handled(file, 'failed');
        status.lastError = { code: e.code, message: e.message, at: now(), file };
        logger?.warn({ file, code: e.code, err: e.message }, 'capture file not ingested; the watch goes on');
      },
    });

  const loop = (async () => {
    let wait = retryMs;
    while (!ac.signal.aborted) {
      try {
        status.state = 'watching';
        await runOnce();
        break; // followAndIngest returns only once stopped
      } catch (e) {
        if (handledSinceFailure > 0) wait = retryMs;
        handledSinceFailure = 0;
        delete status.currentFile;
        status.state = 'error';
        status.lastError = { code: errorCode(e), message: errorMessage(e), at: now() };
        if (ac.signal.aborted) {
          logger?.error({ err: e, directory: opts.directory }, 'capture directory watch failed while stopping');
          break;
        }
        status.retryAt = new Date(clock.now().getTime() + wait).toISOString();
        logger?.error({ err: e, directory: opts.directory, retryInMs: wait }, 'capture directory watch failed; retrying');
        const goOn = await pauseUnlessAborted(wait, ac.signal);
        delete status.retryAt;
        if (!goOn) break;
        wait = Math.min(wait * 2, retryMaxMs);
      }
    }
    status.state = 'stopped';
  })();

  logger?.info({ directory: opts.directory, pollMs: opts.pollMs ?? 500 }, 'following the capture directory');
  return {
    status: () => structuredClone(status),
    close: async () => {
      ac.abort();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((res) => {
        timer = setTimeout(() => res(true), opts.closeTimeoutMs ?? 120_000);
      });
      const late = await Promise.race([loop.then(() => false), timedOut]);
      clearTimeout(timer);
      if (late) logger?.warn({ directory: opts.directory, file: status.currentFile?.path }, 'capture directory watch still busy at shutdown; not waiting longer');
    },
  };
}
