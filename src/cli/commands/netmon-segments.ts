/**
 * @module `netmon ingest -|FILE --checkpoint-seconds N`: a live capture (`tcpdump -w - | careguard
 * netmon ingest -`) recorded as it goes, one capture per checkpoint interval (NetmonService.ingestSegmented),
 * a line per recorded segment on stderr and a summary on stdout. Ctrl-C or SIGTERM stops reading and
 * records the last segment; a second Ctrl-C quits at once.
 */
import { DomainError } from '../../core/index.js';
import { abortableSource, stdinSource } from '../../netmon/capture/index.js';
import { MIN_CHECKPOINT_SECONDS } from '../../netmon/segments.js';
import type { NetmonIngestResult, NetmonService, SegmentedIngestSummary } from '../../netmon/service.js';
import { EXIT, failWithDomainError, type CliContext } from '../context.js';
import { writeJson } from '../render.js';
import { stopSignal } from './netmon-follow.js';
import { DEFAULT_STDIN_CHECKPOINT_SECONDS, type NetmonFlags } from './netmon-flags.js';
import { detectionOptions, isDirectory, isFlowLog, isSerious } from './netmon-options.js';
import { n } from './netmon-output.js';
import { cliActor } from './users.js';


/** The checkpoint interval `--checkpoint-seconds` (or stdin's default) asks for; undefined: one capture at the end. */
export function checkpointSeconds(file: string, flags: NetmonFlags): number | undefined {
  const given = flags.checkpointSeconds;
  if (given === undefined) return file === '-' && flags.format !== 'zeek' ? DEFAULT_STDIN_CHECKPOINT_SECONDS : undefined;
  const seconds = Number(given);
  if (given.trim() === '' || !Number.isFinite(seconds) || (seconds !== 0 && seconds < MIN_CHECKPOINT_SECONDS)) {
    throw new DomainError('netmon.invalid_option', `--checkpoint-seconds must be 0 (one capture at the end) or at least ${MIN_CHECKPOINT_SECONDS}, found "${given}"`);
  }
  return seconds === 0 ? undefined : seconds;
}

export async function segmentedIngest(ctx: CliContext<{ netmon: NetmonService }>, file: string, seconds: number, flags: NetmonFlags): Promise<void> {
  const io = ctx.io;
  let summary: SegmentedIngestSummary;
  let serious = false;
  try {
    if (flags.follow) throw new DomainError('netmon.invalid_option', '--checkpoint-seconds does not apply with --follow, which records each file as it completes');
    if (await isDirectory(file)) throw new DomainError('netmon.invalid_option', `--checkpoint-seconds applies to a capture file or stdin; ${file} is a directory`, { location: { file } });
    if (await isFlowLog(file, flags, false)) throw new DomainError('netmon.invalid_option', '--checkpoint-seconds applies to packet captures, not Zeek conn.log flow records');
    const { learnSeconds } = await detectionOptions({ ...(flags.learnSeconds !== undefined ? { learnSeconds: flags.learnSeconds } : {}) });
    const services = await ctx.open();
    const stop = stopSignal(io, undefined, 'stopping: recording what was read');
    const name = file === '-' ? 'stdin' : file;
    try {
      io.stderr.write(`reading ${name}: a capture is recorded every ${n(seconds)} s of traffic; Ctrl-C or SIGTERM stops and records the rest\n`);
      // stdin is read until stopped even when no packet comes: the stop ends the wait for the next chunk
      const source = file === '-' ? { bytes: abortableSource(stdinSource(), stop.signal), name } : file;
      summary = await services.netmon.ingestSegmented(
        source,
        {
          checkpointSeconds: seconds,
          signal: stop.signal,
          ...(learnSeconds === undefined ? {} : { learnSeconds }),
          onRecorded: (r) => {
            const report = r.report;
            if (report.findings.some((f) => isSerious(f.severity)) || (report.detections ?? []).some((d) => isSerious(d.severity))) serious = true;
            io.stderr.write(segmentLine(name, r));
          },
        },
        cliActor(),
      );
    } finally {
      stop.dispose();
      await services.close();
      // a stop while stdin waited leaves its read pending: let the process end
      if (file === '-') process.stdin.destroy();
    }
  } catch (e) {
    return failWithDomainError(io, e);
  }
  if (flags.json) writeJson(io, summary);
  else io.stdout.write(`${file === '-' ? 'stdin' : file}: ${n(summary.segments)} capture${summary.segments === 1 ? '' : 's'} recorded (session ${summary.session}), ${n(summary.packets)} packets, ${n(summary.bytes)} bytes\n`);
  process.exitCode = serious ? EXIT.findings : EXIT.ok;
}

function segmentLine(name: string, r: NetmonIngestResult): string {
  const c = r.report.capture;
  const s = c.segment;
  const span = c.firstSeen && c.lastSeen ? ` ${c.firstSeen}..${c.lastSeen}` : '';
  const detections = r.report.detections?.length ?? 0;
  const carried = s && !s.final ? `, ${n(s.flowsOpen)} open flows carried on` : '';
  return (
    `recorded ${name} segment ${s?.index ?? 1}${s?.final ? ' (last)' : ''}${span}: ${n(c.packets)} packets, ${n(r.devices.reported)} devices (${n(r.devices.created)} new), ` +
    `${n(r.alerts.created)} alerts raised (${n(r.alerts.folded)} folded), ${n(detections)} detection${detections === 1 ? '' : 's'}${carried} [${r.captureId}]\n`
  );
}
