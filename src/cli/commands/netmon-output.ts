/** @module What the `netmon` commands print: the progress bar or progress lines, reports and ingest results. */
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { AnalyzeProgress, IngestResult, NetmonReport } from '../../netmon/index.js';
import type { CliIO } from '../context.js';
import { renderTable } from '../render.js';

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

export function progressBar(io: CliIO): { update: (p: AnalyzeProgress) => void; stop: () => void } {
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

export const n = (x: number): string => x.toLocaleString('en-US');

/** The files of a directory report, by base name with their packet counts; long lists keep both ends. */
function fileList(files: NonNullable<NetmonReport['capture']['files']>): string {
  const item = (f: (typeof files)[number]) => `${basename(f.path)} (${n(f.packets)} packets)`;
  if (files.length <= 12) return files.map(item).join(', ');
  return [...files.slice(0, 6).map(item), `... ${n(files.length - 12)} more ...`, ...files.slice(-6).map(item)].join(', ');
}

export function printReport(io: CliIO, r: NetmonReport): void {
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

export function printIngest(io: CliIO, r: IngestResult): void {
  printReport(io, r.report);
  const d = r.devices;
  io.stdout.write(`\ninventory: ${n(d.reported)} devices reported: ${n(d.created)} created, ${n(d.updated)} updated, ${n(d.unchanged)} unchanged\n`);
  io.stdout.write(`alerts: ${n(r.alerts.created)} raised, ${n(r.alerts.folded)} folded into open alerts\n`);
  if (r.identityConflicts.length === 0) return;
  io.stdout.write(`identity conflicts (not merged on; alert identity.conflict): ${n(r.identityConflicts.length)}\n`);
  for (const c of r.identityConflicts.slice(0, 20)) {
    const who = `${c.claimant.name} (${[...c.claimant.macs, ...c.claimant.ips].join(', ') || c.claimant.key})`;
    const owner = c.basis === 'record' ? `held by ${c.owners.map((o) => `${o.name ?? o.id} [${o.macs.join(', ')}]`).join('; ')}` : `also claimed by ${c.rivals.map((x) => x.name).join(', ')}`;
    io.stdout.write(`  ${who} declares ${c.claim.kind} ${c.claim.value}${c.claim.frame === undefined ? '' : ` (frame ${c.claim.frame})`}, ${owner}\n`);
  }
  if (r.identityConflicts.length > 20) io.stdout.write(`  … ${n(r.identityConflicts.length - 20)} more (--json lists all)\n`);
}
