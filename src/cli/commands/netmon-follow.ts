/**
 * @module Following a rotating capture directory from the CLI: the stop signal (Ctrl-C, SIGTERM,
 * --seconds), `netmon ingest DIR --follow` with a line per ingested file, and the per-file
 * announcements `netmon report DIR --follow` prints instead of a progress bar.
 */
import { followAndIngest, type AnalyzeProgress, type FollowIngestSummary } from '../../netmon/index.js';
import { backlogCrossings } from '../../netmon/follow/ingest-directory.js';
import type { NetmonIngestResult, NetmonService } from '../../netmon/service.js';
import { EXIT, failWithDomainError, type CliContext, type CliIO } from '../context.js';
import { writeJson } from '../render.js';
import type { NetmonFlags } from './netmon-flags.js';
import { detectionOptions, followFlags, isDirectory, isFlowLog, isSerious } from './netmon-options.js';
import { n } from './netmon-output.js';
import { cliActor } from './users.js';

/**
 * An abort signal for a followed directory: SIGINT (Ctrl-C), SIGTERM or --seconds. The handlers
 * are removed once fired, so a second Ctrl-C ends the process at once.
 */
export function stopSignal(io: CliIO, seconds: number | undefined, then: string): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const stop = (why: string) => () => {
    if (ac.signal.aborted) return;
    io.stderr.write(`${why}: ${then}\n`);
    ac.abort();
  };
  const onInt = stop('interrupted (Ctrl-C again to quit at once)');
  const onTerm = stop('terminated');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const timer = seconds === undefined ? undefined : setTimeout(stop(`${seconds} s elapsed`), seconds * 1000);
  return {
    signal: ac.signal,
    dispose: () => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * `netmon ingest DIR --follow`: one capture per completed file (followAndIngest), a line per file on
 * stderr, the summary on stdout. Exit 2 when a file could not be ingested, else 1 when something
 * high or critical was seen, else 0.
 */
export async function followIngest(ctx: CliContext<{ netmon: NetmonService }>, dir: string, flags: NetmonFlags): Promise<void> {
  const io = ctx.io;
  let summary: FollowIngestSummary;
  try {
    const seconds = followFlags(dir, flags, await isDirectory(dir));
    await isFlowLog(dir, flags, true);
    const { learnSeconds } = await detectionOptions({ ...(flags.learnSeconds !== undefined ? { learnSeconds: flags.learnSeconds } : {}) });
    const services = await ctx.open();
    const stop = stopSignal(io, seconds, 'stopping after the file in progress');
    try {
      io.stderr.write(`following ${dir}: each capture file is ingested once a newer one appears; Ctrl-C, SIGTERM${seconds ? ` or ${seconds} s` : ''} stops after the file in progress\n`);
      summary = await followAndIngest(dir, services.netmon, cliActor(), {
        signal: stop.signal,
        ...(learnSeconds === undefined ? {} : { learnSeconds }),
        onIngested: (path, r) => io.stderr.write(ingestedLine(path, r)),
        onSkipped: (path, earlier) => io.stderr.write(`skipped ${path}: already ingested as ${earlier.id} at ${earlier.finishedAt}\n`),
        onFailed: (path, e) => io.stderr.write(`warning: ${path} not ingested: ${e.message} [${e.code}]\n`),
        // ingest falling behind the capture: a ring buffer will overwrite files before they are read
        onBacklog: backlogCrossings(
          (waiting) => io.stderr.write(`warning: ${n(waiting)} complete files wait to be ingested: ingest falls behind the capture, and a ring buffer may overwrite files before they are read\n`),
          () => io.stderr.write('backlog cleared: every complete file is ingested\n'),
        ),
      });
    } finally {
      stop.dispose();
      await services.close();
    }
  } catch (e) {
    return failWithDomainError(io, e);
  }
  if (flags.json) writeJson(io, summary);
  else {
    const t = summary;
    io.stdout.write(
      `${t.directory}: ${n(t.ingested)} files ingested, ${n(t.skipped)} already ingested, ${n(t.failed)} failed; ${n(t.packets)} packets, ` +
        `${n(t.devicesReported)} devices reported (${n(t.devicesCreated)} created), ${n(t.alertsRaised)} alerts raised, ${n(t.alertsFolded)} folded, ${n(t.detections)} detections\n`,
    );
  }
  process.exitCode = summary.failed > 0 ? EXIT.error : isSerious(summary.highestSeverity) ? EXIT.findings : EXIT.ok;
}

function ingestedLine(path: string, r: NetmonIngestResult): string {
  const c = r.report.capture;
  const detections = r.report.detections?.length ?? 0;
  const damage = c.captureErrors.length > 0 ? `; damaged: ${c.captureErrors.map((e) => e.message).join('; ')}` : '';
  return (
    `ingested ${path}: ${n(c.packets)} packets, ${n(r.devices.reported)} devices (${n(r.devices.created)} new), ` +
    `${n(r.alerts.created)} alerts raised (${n(r.alerts.folded)} folded), ${n(detections)} detection${detections === 1 ? '' : 's'} [${r.captureId}]${damage}\n`
  );
}

/** Progress while following: one line per file started, not a bar (the total is unknown and the run long). */
export function fileAnnouncer(io: CliIO): (p: AnalyzeProgress) => void {
  let last: string | undefined;
  return (p) => {
    if (p.file === undefined || p.file === last) return;
    last = p.file;
    io.stderr.write(`reading ${p.file}\n`);
  };
}
