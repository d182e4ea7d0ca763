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
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { AlertService } from '../../alerts/index.js';
import { isDomainError } from '../../core/index.js';
import type { InventoryService } from '../../inventory/index.js';
import { DomainError } from '../../core/index.js';
import { baselineFromJson, baselineToJson, parseJsonText } from '../../netmon/baseline/index.js';
import { parsePolicyText, type DetectionEngine } from '../../netmon/detect/index.js';
import { analyzeCapture, analyzeFlowLog, followAndIngest, FlowLogReportBuilder, sniffFlowLogFile, startFlowCollector, type AnalyzeProgress, type DetectionOptions, type FollowIngestSummary, type IngestResult, type NetmonReport } from '../../netmon/index.js';
import type { NetmonIngestResult, NetmonService } from '../../netmon/service.js';
import { EXIT, type CliContext, type CliIO } from '../context.js';
import { renderTable, writeJson } from '../render.js';
import { cliActor } from './users.js';

interface NetmonFlags {
  json?: boolean;
  progress?: boolean;
  policy?: string;
  learnSeconds?: string;
  baseline?: string;
  saveBaseline?: string;
  format?: string;
  port?: string;
  host?: string;
  seconds?: string;
  follow?: boolean;
}

/** Zeek conn.log files are sniffed; stdin cannot be, so `--format zeek` says so. A directory holds captures. */
async function isFlowLog(file: string, flags: NetmonFlags, directory: boolean): Promise<boolean> {
  if (flags.format !== undefined && flags.format !== 'zeek' && flags.format !== 'pcap') throw new DomainError('netmon.invalid_option', `--format must be pcap or zeek, found "${flags.format}"`);
  if (directory) {
    if (flags.format === 'zeek') throw new DomainError('netmon.invalid_option', `${file} is a directory: its files are read as pcap/pcapng captures, not Zeek logs`);
    return false;
  }
  if (flags.format === 'zeek') return true;
  if (flags.format === 'pcap' || file === '-') return false;
  return (await sniffFlowLogFile(file)) !== undefined;
}

const isDirectory = async (file: string) => file !== '-' && Boolean((await stat(file).catch(() => undefined))?.isDirectory());

/** --follow needs a directory; --seconds needs --follow. Returns the --seconds value. */
function followFlags(file: string, flags: NetmonFlags, directory: boolean): number | undefined {
  if (flags.follow && !directory) throw new DomainError('netmon.invalid_option', `--follow reads a capture directory; ${file} is not one`, { location: { file } });
  if (flags.seconds === undefined) return undefined;
  if (!flags.follow) throw new DomainError('netmon.invalid_option', '--seconds applies only with --follow');
  const seconds = Number(flags.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new DomainError('netmon.invalid_option', `--seconds must be a positive number, found "${flags.seconds}"`);
  return seconds;
}

/**
 * An abort signal for a followed directory: SIGINT (Ctrl-C), SIGTERM or --seconds. The handlers
 * are removed once fired, so a second Ctrl-C ends the process at once.
 */
function stopSignal(io: CliIO, seconds: number | undefined, then: string): { signal: AbortSignal; dispose: () => void } {
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
      await run(ctx.io, follow ? { ...flags, progress: false } : flags, async (onProgress) => {
        const directory = await isDirectory(file);
        const seconds = followFlags(file, flags, directory);
        const detection = await detectionOptions(flags);
        if (flags.baseline !== undefined && flags.learnSeconds !== undefined) ctx.io.stderr.write('note: --learn-seconds is ignored: the resumed baseline keeps its own learning window\n');
        const hold: { engine?: DetectionEngine } = {};
        let report: NetmonReport;
        if (await isFlowLog(file, flags, directory)) {
          // the capture path's engine judges the records: the same detections, baseline and zone pairs
          report = await analyzeFlowLog(file, { onProgress, detection: { ...detection, onFinish: (e) => (hold.engine = e) } });
        } else {
          const stop = follow ? stopSignal(ctx.io, seconds, 'finishing the report') : undefined;
          if (follow) ctx.io.stderr.write(`following ${file}: new capture files are read as they appear; Ctrl-C, SIGTERM${seconds ? ` or ${seconds} s` : ''} ends the report\n`);
          try {
            report = await analyzeCapture(file, {
              onProgress: follow ? fileAnnouncer(ctx.io) : onProgress,
              detection: { ...detection, onFinish: (e) => (hold.engine = e) },
              ...(stop ? { follow: true, signal: stop.signal } : {}),
            });
          } finally {
            stop?.dispose();
          }
        }
        if (flags.saveBaseline !== undefined && hold.engine) await saveBaseline(flags.saveBaseline, hold.engine);
        return { report, print: () => (flags.json ? writeJson(ctx.io, report) : printReport(ctx.io, report)) };
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
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: NetmonFlags) => {
      if (flags.follow) return followIngest(ctx, file, flags);
      await run(ctx.io, flags, async (onProgress) => {
        const directory = await isDirectory(file);
        followFlags(file, flags, directory);
        const flowLog = await isFlowLog(file, flags, directory);
        const detection = await detectionOptions({ ...(flags.learnSeconds !== undefined ? { learnSeconds: flags.learnSeconds } : {}) });
        const services = await ctx.open();
        let result: IngestResult & { captureId: string };
        try {
          result = await services.netmon.ingest(file, { kind: flowLog ? 'flow-log' : 'capture', onProgress, ...(detection.learnSeconds !== undefined ? { learnSeconds: detection.learnSeconds } : {}) }, cliActor());
        } finally {
          await services.close();
        }
        return { report: result.report, print: () => (flags.json ? writeJson(ctx.io, result) : printIngest(ctx.io, result)) };
      });
    });
  registerNetmonCollectCommand(netmon, ctx);
  registerNetmonQueryCommands(netmon, ctx);
  registerNetmonObservationsCommand(netmon, ctx);
}

/**
 * `netmon ingest DIR --follow`: one capture per completed file (followAndIngest), a line per file on
 * stderr, the summary on stdout. Exit 2 when a file could not be ingested, else 1 when something
 * high or critical was seen, else 0.
 */
async function followIngest(ctx: CliContext<{ netmon: NetmonService }>, dir: string, flags: NetmonFlags): Promise<void> {
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
      });
    } finally {
      stop.dispose();
      await services.close();
    }
  } catch (e) {
    if (!isDomainError(e)) throw e;
    io.stderr.write(`error: ${e.message} [${e.code}]\n`);
    process.exitCode = EXIT.error;
    return;
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

const isSerious = (s: string | undefined) => s === 'high' || s === 'critical';

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
function fileAnnouncer(io: CliIO): (p: AnalyzeProgress) => void {
  let last: string | undefined;
  return (p) => {
    if (p.file === undefined || p.file === last) return;
    last = p.file;
    io.stderr.write(`reading ${p.file}\n`);
  };
}

export function registerNetmonCollectCommand(netmon: Command, ctx: CliContext<unknown>): void {
  netmon
    .command('collect')
    .description('receive NetFlow v5/v9 and IPFIX over UDP and print a report (devices, protocols, detections) on Ctrl-C or after --seconds (no database); exit 1 when a high or critical detection was seen')
    .requiredOption('--port <n>', 'UDP port (2055 NetFlow, 4739 IPFIX; 0 = any free port)')
    .option('--host <addr>', 'address to bind (default 127.0.0.1; 0.0.0.0 to listen on the network)')
    .option('--seconds <n>', 'stop after this many seconds')
    .option('--json', 'print the report as JSON')
    .option('--policy <file>', 'policy JSON: zones, conduits, device map, rule settings (docs/netmon-detections.md)')
    .option('--learn-seconds <n>', 'baseline learning window in seconds of flow time (default 86400)')
    .option('--baseline <file>', 'resume a baseline saved by --save-baseline (its learning window applies)')
    .option('--save-baseline <file>', 'write the baseline learnt (or resumed and updated) to this JSON file')
    .action(async (flags: NetmonFlags) => {
      const port = Number(flags.port);
      if (!/^\d+$/.test(flags.port ?? '') || port > 65535) throw new DomainError('netmon.invalid_option', `--port must be 0-65535, found "${flags.port}"`);
      const seconds = flags.seconds === undefined ? undefined : Number(flags.seconds);
      if (seconds !== undefined && (!Number.isFinite(seconds) || seconds <= 0)) throw new DomainError('netmon.invalid_option', `--seconds must be a positive number, found "${flags.seconds}"`);
      const host = flags.host ?? '127.0.0.1';
      // read and validated before binding, so a bad policy or baseline fails at once
      const detection = await detectionOptions(flags);
      if (flags.baseline !== undefined && flags.learnSeconds !== undefined) ctx.io.stderr.write('note: --learn-seconds is ignored: the resumed baseline keeps its own learning window\n');
      const hold: { engine?: DetectionEngine } = {};
      const builder = new FlowLogReportBuilder({ name: `udp:${host}:${port}`, detection: { ...detection, onFinish: (e) => (hold.engine = e) } });
      const collector = await startFlowCollector({
        host,
        port,
        onRecords: (records) => records.forEach((r) => builder.add(r)),
        onError: (e) => {
          builder.error(e);
          ctx.io.stderr.write(`warning: ${e.message} [${e.code}]\n`);
        },
      });
      ctx.io.stderr.write(`collecting flow records on udp ${host}:${collector.port}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.removeListener('SIGINT', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        if (seconds !== undefined) setTimeout(stop, seconds * 1000).unref();
      });
      await collector.close();
      const report = await builder.finish(collector.stats().bytes);
      if (flags.saveBaseline !== undefined && hold.engine) await saveBaseline(flags.saveBaseline, hold.engine);
      if (flags.json) writeJson(ctx.io, report);
      else printReport(ctx.io, report);
      process.exitCode = (report.detections ?? []).some((d) => isSerious(d.severity)) ? EXIT.findings : EXIT.ok;
    });
}

/** `netmon captures` and `netmon map`: what ingests stored. */
function registerNetmonQueryCommands(netmon: Command, ctx: CliContext<{ netmon: NetmonService }>): void {
  netmon
    .command('captures')
    .description('captures and flow logs ingested, newest first')
    .option('--limit <n>', 'rows (1-500, default 20)', '20')
    .option('--json', 'print JSON')
    .action(async (flags: { limit: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const list = await s.netmon.captures(Number(flags.limit));
        if (flags.json) return writeJson(ctx.io, list);
        ctx.io.stdout.write(
          renderTable(list, [
            { header: 'ID', value: (c) => c.id, maxWidth: 32 },
            { header: 'NAME', value: (c) => c.name, maxWidth: 36 },
            { header: 'KIND', value: (c) => c.kind },
            { header: 'PACKETS', value: (c) => String(c.packets) },
            { header: 'FLOWS', value: (c) => String(c.flows) },
            { header: 'DEVICES', value: (c) => String(c.devices) },
            { header: 'DETECTIONS', value: (c) => String(c.detections) },
            { header: 'INGESTED', value: (c) => c.finishedAt.slice(0, 19).replace('T', ' ') },
          ]),
        );
      } finally {
        await s.close();
      }
    });
  netmon
    .command('map')
    .description('the communication map of a device, an address or a zone, from stored conversations')
    .option('--device <id>', 'inventory device id')
    .option('--ip <address>', 'one address')
    .option('--zone <name>', 'a zone of the policy')
    .option('--from <iso>', 'conversations last seen at or after')
    .option('--hops <n>', '0 (default) or 1: also conversations among its peers', '0')
    .option('--json', 'print JSON')
    .action(async (flags: { device?: string; ip?: string; zone?: string; from?: string; hops: string; json?: boolean }) => {
      if (flags.hops !== '0' && flags.hops !== '1') throw new DomainError('netmon.invalid_option', '--hops must be 0 or 1');
      const s = await ctx.open();
      try {
        const map = await s.netmon.map({ ...(flags.device ? { deviceId: flags.device } : {}), ...(flags.ip ? { ip: flags.ip } : {}), ...(flags.zone ? { zone: flags.zone } : {}), ...(flags.from ? { from: flags.from } : {}), hops: flags.hops === '1' ? 1 : 0 });
        if (flags.json) return writeJson(ctx.io, map);
        const label = new Map(map.nodes.map((n) => [n.ip, n.name ? `${n.name} (${n.ip})` : n.ip]));
        ctx.io.stdout.write(
          renderTable(map.edges, [
            { header: 'CLIENT', value: (e) => label.get(e.client) ?? e.client, maxWidth: 36 },
            { header: 'SERVER', value: (e) => label.get(e.server) ?? e.server, maxWidth: 36 },
            { header: 'PROTOCOLS', value: (e) => e.protocols.join(','), maxWidth: 24 },
            { header: 'PORTS', value: (e) => e.ports.join(','), maxWidth: 20 },
            { header: 'FLOWS', value: (e) => String(e.flows) },
            { header: 'BYTES', value: (e) => String(e.bytes) },
            { header: 'LAST SEEN', value: (e) => e.lastSeen.slice(0, 19).replace('T', ' ') },
          ]),
        );
        ctx.io.stdout.write(`${map.nodes.length} nodes, ${map.edges.length} edges${map.truncated ? ` (${map.truncated} more left out)` : ''}\n`);
      } finally {
        await s.close();
      }
    });
}

/** `netmon observations`: the observations ingests kept (the evidence), oldest first, a page at a time. */
function registerNetmonObservationsCommand(netmon: Command, ctx: CliContext<{ netmon: NetmonService }>): void {
  netmon
    .command('observations')
    .description('observations the ingests kept (the first of each kind between two hosts, with group totals), oldest first')
    .option('--capture <id>', 'one capture')
    .option('--ip <address>', 'client or server address')
    .option('--protocol <name>', 'e.g. tls, hl7, dicom, dhcp')
    .option('--kind <kind>', 'e.g. tls.client-hello, hl7.message')
    .option('--limit <n>', 'rows (1-500, default 50)', '50')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print JSON')
    .action(async (flags: { capture?: string; ip?: string; protocol?: string; kind?: string; limit: string; cursor?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const page = await s.netmon.observations({
          ...(flags.capture ? { captureId: flags.capture } : {}),
          ...(flags.ip ? { ip: flags.ip } : {}),
          ...(flags.protocol ? { protocol: flags.protocol } : {}),
          ...(flags.kind ? { kind: flags.kind } : {}),
          ...(flags.cursor ? { cursor: flags.cursor } : {}),
          limit: Number(flags.limit),
        });
        if (flags.json) return writeJson(ctx.io, page);
        const fieldText = (f: Record<string, unknown>) =>
          Object.entries(f)
            .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ');
        ctx.io.stdout.write(
          renderTable(page.items, [
            { header: 'TIME', value: (o) => o.ts.slice(0, 26).replace('T', ' ') },
            { header: 'FRAME', value: (o) => String(o.frame) },
            { header: 'KIND', value: (o) => o.kind, maxWidth: 28 },
            { header: 'CLIENT', value: (o) => (o.flow ? `${o.flow.client.ip}:${o.flow.client.port}` : ''), maxWidth: 46 },
            { header: 'SERVER', value: (o) => (o.flow ? `${o.flow.server.ip}:${o.flow.server.port}` : ''), maxWidth: 46 },
            { header: 'GROUP', value: (o) => (o.groupCount === undefined ? '' : String(o.groupCount)) },
            { header: 'FIELDS', value: (o) => fieldText(o.fields), maxWidth: 80 },
          ]),
        );
        if (page.nextCursor) ctx.io.stdout.write(`more: --cursor ${page.nextCursor}\n`);
      } finally {
        await s.close();
      }
    });
}

type Outcome = { report: NetmonReport; print: () => void };

async function run(io: CliIO, flags: NetmonFlags, body: (onProgress: (p: AnalyzeProgress) => void) => Promise<Outcome>): Promise<void> {
  const bar = flags.progress === false ? undefined : progressBar(io);
  let outcome: Outcome;
  try {
    outcome = await body((p) => bar?.update(p));
  } catch (e) {
    bar?.stop();
    if (!isDomainError(e)) throw e;
    io.stderr.write(`error: ${e.message} [${e.code}]\n`);
    process.exitCode = EXIT.error;
    return;
  }
  // the bar's last line goes out before the report, so the two do not interleave on a terminal
  bar?.stop();
  outcome.print();
  const serious = (s: string) => s === 'high' || s === 'critical';
  const r = outcome.report;
  process.exitCode = r.findings.some((f) => serious(f.severity)) || (r.detections ?? []).some((d) => serious(d.severity)) ? EXIT.findings : EXIT.ok;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new DomainError('netmon.file_not_found', `${what} ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { status: 404, location: { file } });
  }
}

/** Flags -> DetectionOptions; reading and validating the files happens here so errors exit 2 before the capture is read. */
async function detectionOptions(flags: NetmonFlags): Promise<DetectionOptions> {
  const out: DetectionOptions = {};
  if (flags.policy !== undefined) out.policy = parsePolicyText(await readText(flags.policy, 'policy file'), { file: flags.policy });
  if (flags.learnSeconds !== undefined) {
    const n = Number(flags.learnSeconds);
    if (!/^\d+$/.test(flags.learnSeconds) || n > 366 * 86_400) throw new DomainError('netmon.invalid_option', `--learn-seconds must be a whole number of seconds from 0 to ${366 * 86_400}, found "${flags.learnSeconds}"`);
    out.learnSeconds = n;
  }
  if (flags.baseline !== undefined) out.baseline = baselineFromJson(parseJsonText(await readText(flags.baseline, 'baseline file'), 'netmon.baseline_syntax', 'baseline', flags.baseline), flags.baseline);
  return out;
}

async function saveBaseline(file: string, engine: DetectionEngine): Promise<void> {
  try {
    await writeFile(file, JSON.stringify(baselineToJson(engine.baseline)) + '\n');
  } catch (e) {
    throw new DomainError('netmon.baseline_write_failed', `baseline file ${file} cannot be written: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { status: 500, location: { file } });
  }
}

/** Shorter than this, a packet rate is mostly timer noise: it is left out rather than shown as 0. */
const MIN_RATE_MS = 50;

/** The figures of a progress line; `rate` is empty for runs too short to measure. */
export function progressFields(p: AnalyzeProgress): { percentage: number; done: string; packets: number; rate: string; flows: number } {
  // A pipe has no size: progress then tracks bytes read so far.
  const total = Math.max(1, p.totalBytes ?? p.bytes);
  return {
    percentage: Math.floor((Math.min(p.bytes, total) / total) * 100),
    done: (p.bytes / 1048576).toFixed(1),
    packets: p.packets,
    rate: p.elapsedMs >= MIN_RATE_MS ? ` | ${Math.round((p.packets * 1000) / p.elapsedMs)} packets/s` : '',
    flows: p.flows,
  };
}

const progressText = (p: AnalyzeProgress): string => {
  const f = progressFields(p);
  return `${f.percentage}% | ${f.done} MB | ${f.packets} packets${f.rate} | ${f.flows} flows`;
};

/**
 * Progress for a log or pipe (stderr not a terminal): a plain line every `everyMs` and the final
 * line once at the end (cli-progress would print the last line twice, then a blank line).
 */
export function progressLines(write: (line: string) => void, everyMs = 5000): { update: (p: AnalyzeProgress) => void; stop: () => void } {
  let last: AnalyzeProgress | undefined;
  let written: string | undefined;
  let writtenAt: number | undefined;
  const emit = (line: string) => {
    write(`${line}\n`);
    written = line;
  };
  return {
    update: (p) => {
      last = p;
      const now = performance.now();
      writtenAt ??= now;
      if (now - writtenAt < everyMs) return;
      writtenAt = now;
      emit(progressText(p));
    },
    stop: () => {
      if (last === undefined) return;
      const line = progressText(last);
      if (line !== written) emit(line);
      last = undefined;
    },
  };
}

function progressBar(io: CliIO): { update: (p: AnalyzeProgress) => void; stop: () => void } {
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  if (!tty) return progressLines((line) => io.stderr.write(line));
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, hideCursor: true, format: '[{bar}] {percentage}% | {done} MB | {packets} packets{rate} | {flows} flows' },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const update = (p: AnalyzeProgress) => {
    const total = Math.max(1, p.totalBytes ?? p.bytes);
    const { done, packets, rate, flows } = progressFields(p);
    const payload = { done, packets, rate, flows };
    if (!started) {
      bar.start(total, Math.min(p.bytes, total), payload);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(Math.min(p.bytes, total), payload);
    }
  };
  return {
    update,
    stop: () => {
      if (started) bar.stop();
    },
  };
}

const n = (x: number) => x.toLocaleString('en-US');

/** The files of a directory report, by base name with their packet counts; long lists keep both ends. */
function fileList(files: NonNullable<NetmonReport['capture']['files']>): string {
  const item = (f: (typeof files)[number]) => `${basename(f.path)} (${n(f.packets)} packets)`;
  if (files.length <= 12) return files.map(item).join(', ');
  return [...files.slice(0, 6).map(item), `... ${n(files.length - 12)} more ...`, ...files.slice(-6).map(item)].join(', ');
}

function printReport(io: CliIO, r: NetmonReport): void {
  const c = r.capture;
  io.stdout.write(`${c.name}: ${n(c.packets)} packets, ${n(c.bytes)} bytes, ${n(c.flows)} flows, ${n(c.observations)} observations${c.firstSeen ? `, ${c.firstSeen} .. ${c.lastSeen}` : ''}\n`);
  if (c.files) io.stdout.write(`  files read in order (${c.files.length}): ${fileList(c.files)}\n`);
  for (const e of c.captureErrors) io.stdout.write(`  capture damaged: ${e.message} (byte offset ${e.byteOffset}) [${e.code}]\n`);
  const decodeErrors = Object.entries(c.decodeErrors);
  if (decodeErrors.length) io.stdout.write(`  undecodable packets: ${decodeErrors.map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  io.stdout.write(`\ndevices (${r.devices.length}${r.devicesDropped ? `, ${n(r.devicesDropped)} more not profiled` : ''}):\n`);
  io.stdout.write(
    renderTable(r.devices, [
      { header: 'DEVICE', value: (d) => d.name, maxWidth: 32 },
      { header: 'ADDRESS', value: (d) => [...d.ips.slice(0, 2), ...d.macs.slice(0, 1)].join(' '), maxWidth: 44 },
      { header: 'CATEGORY', value: (d) => (d.category ? `${d.category.value} (${d.category.confidence})` : '') },
      { header: 'MANUFACTURER', value: (d) => d.manufacturer?.value ?? '', maxWidth: 28 },
      { header: 'SOFTWARE', value: (d) => d.software[0] ?? d.dicomImplementations[0] ?? '', maxWidth: 24 },
      { header: 'SERVICES', value: (d) => d.services.map((s) => `${s.protocol}/${s.role === 'server' ? 's' : 'c'}:${s.port}`).join(' '), maxWidth: 40 },
      { header: 'EVIDENCE', value: (d) => (d.category ? `${d.category.rule} #${[...new Set(d.category.evidence.map((e) => e.frame))].join(',')}` : ''), maxWidth: 40 },
    ]),
  );
  io.stdout.write('\nprotocols:\n');
  io.stdout.write(
    renderTable(r.protocols, [
      { header: 'PROTOCOL', value: (p) => p.protocol },
      { header: 'FLOWS', value: (p) => p.flows },
      { header: 'OBSERVATIONS', value: (p) => p.observations },
      { header: 'PACKETS', value: (p) => p.packets },
      { header: 'BYTES', value: (p) => p.bytes },
    ]),
  );
  io.stdout.write(`\nfindings (${r.findings.length}):\n`);
  if (r.findings.length === 0) io.stdout.write('none\n');
  else
    io.stdout.write(
      renderTable(r.findings, [
        { header: 'SEVERITY', value: (f) => f.severity },
        { header: 'CODE', value: (f) => f.code },
        { header: 'COUNT', value: (f) => f.count },
        { header: 'FIRST FRAME', value: (f) => f.firstFrame },
        { header: 'ENDPOINTS', value: (f) => f.endpoints.join(' '), maxWidth: 60 },
        { header: 'MESSAGE', value: (f) => f.message, maxWidth: 60 },
      ]),
    );
  printDetections(io, r);
}

function printDetections(io: CliIO, r: NetmonReport): void {
  const ds = r.detections ?? [];
  const dropped = r.detection?.stats.droppedDetections ?? 0;
  io.stdout.write(`\ndetections (${ds.length}${dropped ? `, ${n(dropped)} more not kept` : ''}):\n`);
  if (ds.length === 0) io.stdout.write('none\n');
  else
    io.stdout.write(
      renderTable(ds, [
        { header: 'SEVERITY', value: (d) => d.severity },
        { header: 'RULE', value: (d) => d.rule },
        { header: 'DEVICE', value: (d) => (d.deviceName ? `${d.deviceName} ${d.deviceIp}` : d.deviceIp), maxWidth: 40 },
        { header: 'COUNT', value: (d) => d.count },
        { header: 'FIRST FRAME', value: (d) => d.firstFrame || '' },
        { header: 'TITLE', value: (d) => d.title, maxWidth: 100 },
      ]),
    );
  const pairs = r.zonePairs ?? [];
  if (pairs.length > 0) {
    io.stdout.write(`\nzone traffic (observed vs allowed):\n`);
    io.stdout.write(
      renderTable(pairs, [
        { header: 'FROM', value: (p) => (p.fromSecurityLevel === undefined ? p.from : `${p.from} (SL${p.fromSecurityLevel})`), maxWidth: 30 },
        { header: 'TO', value: (p) => (p.toSecurityLevel === undefined ? p.to : `${p.to} (SL${p.toSecurityLevel})`), maxWidth: 30 },
        { header: 'FLOWS', value: (p) => p.flows },
        { header: 'BYTES', value: (p) => p.bytes },
        { header: 'ALLOWED', value: (p) => p.allowedFlows },
        { header: 'DENIED', value: (p) => p.deniedFlows },
        { header: 'UNJUDGED', value: (p) => p.unjudgedFlows },
        { header: 'CONDUITS', value: (p) => p.conduits.map((c) => `${c.name}:${c.flows}`).join(' '), maxWidth: 40 },
        { header: 'DENIED SERVICES', value: (p) => p.denied.map((d) => `${d.service}:${d.flows}`).join(' '), maxWidth: 50 },
      ]),
    );
  }
  const b = r.detection?.baseline;
  if (b) {
    const state = b.complete ? 'complete: new peers, services, DICOM routes and volume are judged after it' : 'not complete: baseline rules (new peer/service, DICOM destination, volume) have not judged yet';
    io.stdout.write(`\nbaseline: ${n(b.devices)} devices, learning ${b.learnStart ?? '-'} .. ${b.learnEnd ?? '-'} (${n(b.learnSeconds)} s), ${state}`);
    const drops = [['devices evicted', b.evictedDevices], ['peers dropped', b.peersDropped], ['services dropped', b.servicesDropped], ['routes dropped', b.routesDropped]].filter(([, v]) => Number(v) > 0);
    io.stdout.write(drops.length ? ` (${drops.map(([k, v]) => `${k} ${n(Number(v))}`).join(', ')})\n` : '\n');
  }
}

function printIngest(io: CliIO, r: IngestResult): void {
  printReport(io, r.report);
  const d = r.devices;
  io.stdout.write(`\ninventory: ${n(d.reported)} devices reported: ${n(d.created)} created, ${n(d.updated)} updated, ${n(d.unchanged)} unchanged\n`);
  io.stdout.write(`alerts: ${n(r.alerts.created)} raised, ${n(r.alerts.folded)} folded into open alerts\n`);
}
