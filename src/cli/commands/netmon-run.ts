/**
 * @module What `careguard netmon report` and `careguard netmon ingest` do when they run (netmon.ts
 * registers them): read the capture, directory or Zeek log with a progress bar on stderr, print the
 * report or the ingest result, and set the exit code (1 when a high or critical wire finding or
 * detection was seen).
 */
import { resolve } from 'node:path';
import type { AlertService } from '../../alerts/index.js';
import type { InventoryService } from '../../inventory/index.js';
import type { DetectionEngine } from '../../netmon/detect/index.js';
import { abortableSource, stdinSource } from '../../netmon/capture/index.js';
import { analyzeCapture, analyzeFlowLog, type AnalyzeProgress, type IngestResult, type NetmonReport } from '../../netmon/index.js';
import { fileIdentity } from '../../netmon/follow/ingest-directory.js';
import type { NetmonService } from '../../netmon/service.js';
import { EXIT, failWithDomainError, type CliContext, type CliIO } from '../context.js';
import { writeJsonDrained } from '../render.js';
import type { NetmonFlags } from './netmon-flags.js';
import { fileAnnouncer, followIngest, stopSignal } from './netmon-follow.js';
import { detectionOptions, followFlags, isDirectory, isFlowLog, isSerious, refuseTerminalStdin, saveBaseline } from './netmon-options.js';
import { printIngest, printReport, progressBar } from './netmon-output.js';
import { checkpointSeconds, segmentedIngest } from './netmon-segments.js';
import { cliActor } from './users.js';

export type NetmonContext = CliContext<{ inventory: InventoryService; alerts: AlertService; netmon: NetmonService }>;

/** `netmon report <file|dir|->`: no database. */
export async function netmonReport(ctx: NetmonContext, file: string, flags: NetmonFlags): Promise<void> {
  const follow = Boolean(flags.follow);
  try {
    refuseTerminalStdin(file, ctx.io.stdinIsTTY, 'report');
  } catch (e) {
    return failWithDomainError(ctx.io, e);
  }
  await run(ctx.io, follow ? { ...flags, progress: false } : flags, async (onProgress) => {
    const directory = await isDirectory(file);
    const seconds = followFlags(file, flags, directory);
    const detection = await detectionOptions(flags);
    if (flags.baseline !== undefined && flags.learnSeconds !== undefined) ctx.io.stderr.write('note: --learn-seconds is ignored: the resumed baseline keeps its own learning window\n');
    const hold: { engine?: DetectionEngine } = {};
    // the engine (the whole baseline) is kept past the analysis only when it is to be saved
    const keep = (e: DetectionEngine) => {
      if (flags.saveBaseline !== undefined) hold.engine = e;
    };
    let report: NetmonReport;
    if (await isFlowLog(file, flags, directory)) {
      // the capture path's engine judges the records: the same detections, baseline and zone pairs
      report = await analyzeFlowLog(file, { onProgress, detection: { ...detection, onFinish: keep } });
    } else {
      // stdin is a live pipe as often as not: Ctrl-C or SIGTERM ends the read and prints the report of it
      const live = file === '-';
      const stop = follow || live ? stopSignal(ctx.io, seconds, 'finishing the report') : undefined;
      if (follow) ctx.io.stderr.write(`following ${file}: new capture files are read as they appear; Ctrl-C, SIGTERM${seconds ? ` or ${seconds} s` : ''} ends the report\n`);
      if (live) ctx.io.stderr.write('reading a capture on stdin until it ends; Ctrl-C or SIGTERM ends the read and prints the report of it\n');
      try {
        report = await analyzeCapture(live && stop ? { bytes: abortableSource(stdinSource(), stop.signal), name: 'stdin' } : file, {
          onProgress: follow ? fileAnnouncer(ctx.io) : onProgress,
          detection: { ...detection, onFinish: keep },
          ...(stop ? { signal: stop.signal } : {}),
          ...(follow ? { follow: true } : {}),
        });
      } finally {
        stop?.dispose();
        // a stop while stdin waited leaves its read pending: let the process end
        if (live) process.stdin.destroy();
      }
    }
    if (flags.saveBaseline !== undefined && hold.engine) await saveBaseline(flags.saveBaseline, hold.engine);
    return { report, print: async () => (flags.json ? writeJsonDrained(ctx.io, report) : printReport(ctx.io, report)) };
  });
}

/** `netmon ingest <file|dir|->`: the report, then devices into the inventory and findings as alerts. */
export async function netmonIngest(ctx: NetmonContext, file: string, flags: NetmonFlags): Promise<void> {
  if (flags.follow && flags.checkpointSeconds === undefined) return followIngest(ctx, file, flags);
  let checkpoint: number | undefined;
  try {
    refuseTerminalStdin(file, ctx.io.stdinIsTTY, 'ingest');
    checkpoint = checkpointSeconds(file, flags);
  } catch (e) {
    return failWithDomainError(ctx.io, e);
  }
  if (checkpoint !== undefined) return segmentedIngest(ctx, file, checkpoint, flags);
  await run(ctx.io, flags, async (onProgress) => {
    const directory = await isDirectory(file);
    followFlags(file, flags, directory);
    const flowLog = await isFlowLog(file, flags, directory);
    const detection = await detectionOptions({ ...(flags.learnSeconds !== undefined ? { learnSeconds: flags.learnSeconds } : {}) });
    // A capture file's identity is recorded as `--follow` records it, so a later `--follow` run over
    // its directory skips it (ingesting the last file of a stopped ring by hand, say).
    const source = directory || flowLog || file === '-' ? undefined : await fileIdentity(resolve(file)).catch(() => undefined);
    const services = await ctx.open();
    let result: IngestResult & { captureId: string };
    try {
      // a directory by its absolute path: the record lists its files, which evidence extraction reads again
      result = await services.netmon.ingest(directory ? resolve(file) : file, { kind: flowLog ? 'flow-log' : 'capture', onProgress, ...(source ? { source } : {}), ...(detection.learnSeconds !== undefined ? { learnSeconds: detection.learnSeconds } : {}) }, cliActor());
    } finally {
      await services.close();
    }
    return { report: result.report, print: async () => (flags.json ? writeJsonDrained(ctx.io, result) : printIngest(ctx.io, result)) };
  });
}

type Outcome = { report: NetmonReport; print: () => Promise<void> };

async function run(io: CliIO, flags: NetmonFlags, body: (onProgress: (p: AnalyzeProgress) => void) => Promise<Outcome>): Promise<void> {
  const bar = flags.progress === false ? undefined : progressBar(io);
  let outcome: Outcome;
  try {
    outcome = await body((p) => bar?.update(p));
  } catch (e) {
    bar?.stop();
    return failWithDomainError(io, e);
  }
  // the bar's last line goes out before the report, so the two do not interleave on a terminal
  bar?.stop();
  await outcome.print();
  const r = outcome.report;
  process.exitCode = r.findings.some((f) => isSerious(f.severity)) || (r.detections ?? []).some((d) => isSerious(d.severity)) ? EXIT.findings : EXIT.ok;
}
