/**
 * @module `careguard netmon report <file|dir|->` (analyse a capture: devices, protocols, findings,
 * baseline detections and the zone-pair traffic report; no database) and `careguard netmon ingest
 * <file|dir|->` (the same, then devices into the inventory and findings as alerts), with a progress
 * bar on stderr. A directory (rotating capture) is read as one capture; `--follow` keeps reading it
 * until Ctrl-C, SIGTERM or `--seconds` (report), or ingests each rotated file as its own capture as
 * soon as it is complete (ingest). `--policy` reads zones, conduits, the device map and allowed AE
 * titles; `--baseline` / `--save-baseline` resume and store the learnt baseline. A Zeek conn.log, and
 * the flow records `netmon collect` receives, go through the same detection engine (flow rules only:
 * records carry no payload). Exit 0 clean, 1 when a high or critical wire finding or detection was
 * seen, 2 on error.
 */

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AlertService } from '../../alerts/index.js';
import type { InventoryService } from '../../inventory/index.js';
import type { DetectionEngine } from '../../netmon/detect/index.js';
import { abortableSource, stdinSource } from '../../netmon/capture/index.js';
import { analyzeCapture, analyzeFlowLog, type AnalyzeProgress, type IngestResult, type NetmonReport } from '../../netmon/index.js';
import { fileIdentity } from '../../netmon/follow/ingest-directory.js';
import type { NetmonService } from '../../netmon/service.js';
import { EXIT, failWithDomainError, type CliContext, type CliIO } from '../context.js';
import { writeJsonDrained } from '../render.js';
import { registerNetmonCollectCommand } from './netmon-collect.js';
import { fileAnnouncer, followIngest, stopSignal } from './netmon-follow.js';
import { detectionOptions, followFlags, isDirectory, isFlowLog, isSerious, refuseTerminalStdin, saveBaseline, type NetmonFlags } from './netmon-options.js';
import { printIngest, printReport, progressBar } from './netmon-output.js';
import { registerNetmonQueryCommands } from './netmon-queries.js';
import { checkpointSeconds, DEFAULT_STDIN_CHECKPOINT_SECONDS, segmentedIngest } from './netmon-segments.js';
import { cliActor } from './users.js';

export function registerNetmonCommand(program: Command, ctx: CliContext<{ inventory: InventoryService; alerts: AlertService; netmon: NetmonService }>): void {
  const netmon = program.command('netmon').description('passive network monitoring: analyse captures, discover devices, raise wire findings');
  netmon
    .command('report <file>')
    .description(
      'analyse a pcap/pcapng capture, a directory a rotating capture writes to (every *.pcap/*.pcapng/*.cap[N] file in natural order, as one capture) or a Zeek conn.log ("-" reads stdin): devices, protocols, findings, detections (no database)',
    )
    .option('--format <fmt>', 'pcap or zeek, when it cannot be sniffed (stdin)')
    .option('--follow', 'a directory: keep reading new files until Ctrl-C, SIGTERM or --seconds, then print the report')
    .option('--seconds <n>', 'with --follow: stop after this many seconds')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .option('--policy <file>', 'policy JSON: zones, conduits, device map, allowed AE titles, rule settings (docs/netmon-detections.md)')
    .option('--learn-seconds <n>', 'baseline learning window in seconds of capture time (default 86400)')
    .option('--baseline <file>', 'resume a baseline saved by --save-baseline (its learning window applies)')
    .option('--save-baseline <file>', 'write the baseline learnt (or resumed and updated) to this JSON file')
    .action(async (file: string, flags: NetmonFlags) => {
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
    });
  netmon
    .command('ingest <file>')
    .description(
      'analyse a capture, a rotating capture directory (as one capture) or a Zeek conn.log ("-" reads stdin: tcpdump -w - | careguard netmon ingest -), add discovered devices to the inventory, raise findings and detections as alerts, store conversations; the zone policy is CAREGUARD_NETMON_POLICY and the baseline resumes across ingests',
    )
    .option('--format <fmt>', 'pcap or zeek, when it cannot be sniffed (stdin)')
    .option('--follow', 'a directory: ingest each rotated file as its own capture once a newer file exists, skipping files ingested before, until Ctrl-C, SIGTERM or --seconds (which stop after the file in progress)')
    .option('--seconds <n>', 'with --follow: stop after this many seconds')
    .option('--learn-seconds <n>', 'learning window for a new baseline, in seconds of capture time (default 86400)')
    .option(
      '--checkpoint-seconds <n>',
      `a capture file or stdin: record a capture each time the read spans this many seconds of capture or wall-clock time, flows carrying on into the next (default ${DEFAULT_STDIN_CHECKPOINT_SECONDS} for stdin, a live pipe; 0: one capture at the end)`,
    )
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: NetmonFlags) => {
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
          result = await services.netmon.ingest(file, { kind: flowLog ? 'flow-log' : 'capture', onProgress, ...(source ? { source } : {}), ...(detection.learnSeconds !== undefined ? { learnSeconds: detection.learnSeconds } : {}) }, cliActor());
        } finally {
          await services.close();
        }
        return { report: result.report, print: async () => (flags.json ? writeJsonDrained(ctx.io, result) : printIngest(ctx.io, result)) };
      });
    });
  registerNetmonCollectCommand(netmon, ctx);
  registerNetmonQueryCommands(netmon, ctx);
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
