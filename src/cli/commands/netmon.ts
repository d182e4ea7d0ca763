/**
 * @module `careguard netmon report <file>` (analyse a capture: devices, protocols, findings; no
 * database) and `careguard netmon ingest <file|->` (the same, then devices into the inventory and
 * findings as alerts), with a progress bar on stderr. Exit 0 clean, 1 when a high or critical wire
 * finding was seen, 2 on error.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { AlertService } from '../../alerts/index.js';
import { isDomainError } from '../../core/index.js';
import type { InventoryService } from '../../inventory/index.js';
import { analyzeCapture, ingestCapture, type AnalyzeProgress, type IngestResult, type NetmonReport } from '../../netmon/index.js';
import { EXIT, type CliContext, type CliIO } from '../context.js';
import { renderTable, writeJson } from '../render.js';
import { cliActor } from './users.js';

interface NetmonFlags {
  json?: boolean;
  progress?: boolean;
}

export function registerNetmonCommand(program: Command, ctx: CliContext<{ inventory: InventoryService; alerts: AlertService }>): void {
  const netmon = program.command('netmon').description('passive network monitoring: analyse captures, discover devices, raise wire findings');
  netmon
    .command('report <file>')
    .description('analyse a pcap/pcapng capture ("-" reads stdin): devices, protocols, findings (no database)')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: NetmonFlags) => {
      await run(ctx.io, flags, async (onProgress) => {
        const report = await analyzeCapture(file, { onProgress });
        return { report, print: () => (flags.json ? writeJson(ctx.io, report) : printReport(ctx.io, report)) };
      });
    });
  netmon
    .command('ingest <file>')
    .description('analyse a capture ("-" reads stdin: tcpdump -w - | careguard netmon ingest -), add discovered devices to the inventory and raise alerts')
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: NetmonFlags) => {
      await run(ctx.io, flags, async (onProgress) => {
        const services = await ctx.open();
        let result: IngestResult;
        try {
          result = await ingestCapture(file, services, cliActor(), onProgress);
        } finally {
          await services.close();
        }
        return { report: result.report, print: () => (flags.json ? writeJson(ctx.io, result) : printIngest(ctx.io, result)) };
      });
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
  process.exitCode = outcome.report.findings.some((f) => f.severity === 'high' || f.severity === 'critical') ? EXIT.findings : EXIT.ok;
}

function progressBar(io: CliIO): { update: (p: AnalyzeProgress) => void; stop: () => void } {
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, noTTYOutput: !tty, notTTYSchedule: 5000, hideCursor: tty, format: '[{bar}] {percentage}% | {done} MB | {packets} packets | {rate} packets/s | {flows} flows' },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  // A pipe has no size: the bar then tracks bytes read so far.
  const update = (p: AnalyzeProgress) => {
    const total = Math.max(1, p.totalBytes ?? p.bytes);
    const payload = { done: (p.bytes / 1048576).toFixed(1), packets: p.packets, rate: p.elapsedMs > 50 ? Math.round((p.packets * 1000) / p.elapsedMs) : 0, flows: p.flows };
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

function printReport(io: CliIO, r: NetmonReport): void {
  const c = r.capture;
  io.stdout.write(`${c.name}: ${n(c.packets)} packets, ${n(c.bytes)} bytes, ${n(c.flows)} flows, ${n(c.observations)} observations${c.firstSeen ? `, ${c.firstSeen} .. ${c.lastSeen}` : ''}\n`);
  for (const e of c.captureErrors) io.stdout.write(`  capture damaged: ${e.message}\n`);
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
      { header: 'EVIDENCE', value: (d) => (d.category ? `${d.category.rule} #${d.category.evidence.map((e) => e.frame).join(',')}` : ''), maxWidth: 40 },
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
}

function printIngest(io: CliIO, r: IngestResult): void {
  printReport(io, r.report);
  const d = r.devices;
  io.stdout.write(`\ninventory: ${n(d.reported)} devices reported: ${n(d.created)} created, ${n(d.updated)} updated, ${n(d.unchanged)} unchanged\n`);
  io.stdout.write(`alerts: ${n(r.alerts.created)} raised, ${n(r.alerts.folded)} folded into open alerts\n`);
}
