/**
 * `careguard netmon report|ingest` through commander with captured output: the report needs no
 * database, exit codes follow the findings, ingest writes through the services ctx.open() gives.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, loadOrCreateSigningKey } from '../../../src/audit/index.js';
import { registerNetmonCommand } from '../../../src/cli/commands/netmon.js';
import { progressFields, progressLines } from '../../../src/cli/commands/netmon-output.js';
import type { CliIO } from '../../../src/cli/context.js';
import { systemClock } from '../../../src/core/index.js';
import { InventoryService } from '../../../src/inventory/index.js';
import type { NetmonReport } from '../../../src/netmon/report.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { openTestDatabase } from '../../../src/storage/testing/engines.js';
import { createNetmonRepository } from '../../../src/storage/repositories/netmon.js';
import { NetmonService } from '../../../src/netmon/service.js';
import { inCi, missingSharedCaptures, pcap } from './support.js';

const missing = missingSharedCaptures(['dicom-dcmtk-loopback.pcap', 'hl7.pcap']);
if (missing.length > 0 && !inCi) console.warn(`skipping netmon CLI tests: missing ${missing.join(', ')}`);

const text = (s: PassThrough) => {
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
};

async function cli(args: string[], open: () => Promise<{ inventory: InventoryService; alerts: AlertService; netmon: NetmonService; close(): Promise<void> }>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = text(stdout);
  const err = text(stderr);
  const io: CliIO = { stdout, stderr, isTTY: false };
  const program = new Command('careguard').exitOverride();
  registerNetmonCommand(program, { io, open });
  process.exitCode = undefined;
  await program.parseAsync(['node', 'careguard', ...args]);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, stdout: out(), stderr: err() };
}

const noDatabase = async (): Promise<never> => {
  throw new Error('netmon report must not open the database');
};

afterEach(() => {
  process.exitCode = undefined;
});

describe.skipIf(missing.length > 0 && !inCi)('careguard netmon', () => {
  it('reports devices, protocols and findings as a table without a database, exit 0 without high findings', async () => {
    if (missing.length > 0) throw new Error(`CI requires ${missing.join(', ')}`);
    const r = await cli(['netmon', 'report', pcap('dicom-dcmtk-loopback.pcap')], noDatabase);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/devices \(2\)/);
    expect(r.stdout).toMatch(/MODALITY1/);
    expect(r.stdout).toMatch(/pacs \(0\.8\)\s+.*dicom\.store-scp #\d+/);
    expect(r.stdout).toMatch(/medium\s+dicom\.cleartext-phi/);
    // stderr is no terminal here: one plain progress line (the rate only when the run lasted 50 ms or more)
    expect(r.stderr).toMatch(/^100% \| \d+\.\d MB \| \d+ packets( \| \d+ packets\/s)? \| \d+ flows\n$/);
  });

  it('lists each evidence frame of a device once, in order', async () => {
    const r = await cli(['netmon', 'report', '--no-progress', pcap('hl7.pcap')], noDatabase);
    // the HL7 sender's category rests on two observations of frame 4
    expect(r.stdout).toMatch(/hl7\.adt-sender #4\s*$/m);
    expect(r.stdout).not.toMatch(/#4,4/);
  });

  it('prints the final progress line once when stderr is not a terminal', async () => {
    const r = await cli(['netmon', 'report', '--json', pcap('hl7.pcap')], noDatabase);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.includes('packets'))).toEqual([expect.stringMatching(/^100% \| 0\.0 MB \| 9 packets .*\| 1 flows$/)]);
    expect(r.stderr).toMatch(/^[^\n]+\n$/);
  });

  it('prints JSON and exits 1 when a high-severity finding was seen', async () => {
    const r = await cli(['netmon', 'report', '--json', '--no-progress', pcap('hl7.pcap')], noDatabase);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as NetmonReport;
    expect(report.findings).toEqual([expect.objectContaining({ code: 'hl7.cleartext-phi', severity: 'high', count: 1 })]);
    expect(r.stderr).toBe('');
  });

  it('exits 2 naming the file when the capture does not exist', async () => {
    const r = await cli(['netmon', 'report', '/nonexistent/x.pcap'], noDatabase);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/x\.pcap does not exist.*\[netmon\.capture_not_found\]/);
  });

  it('ingests into the inventory the command context opens, and closes it', async () => {
    const handle = await openTestDatabase('sqlite');
    const audit = new AuditService({ repo: createAuditRepository(handle.db, handle.dialect), signingKey: loadOrCreateSigningKey({ dataDir: mkdtempSync(path.join(tmpdir(), 'netmon-cli-')) }), clock: systemClock });
    const inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock: systemClock });
    const alerts = new AlertService({ repo: createAlertRepository(handle.db, handle.dialect), audit, clock: systemClock });
    let closed = 0;
    try {
      const netmon = new NetmonService({ store: createNetmonRepository(handle.db, handle.dialect), inventory, alerts, clock: systemClock });
      const r = await cli(['netmon', 'ingest', '--no-progress', pcap('hl7.pcap')], async () => ({ inventory, alerts, netmon, close: async () => void closed++ }));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/inventory: 2 devices reported: 2 created, 0 updated, 0 unchanged/);
      expect(r.stdout).toMatch(/alerts: 1 raised/);
      expect(closed).toBe(1);
      expect((await inventory.search({})).total).toBe(2);
      const [capture] = await netmon.captures(5);
      expect(capture).toMatchObject({ kind: 'capture', devices: 2 });
      expect((await netmon.conversations({}, 10)).length).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
  });
});

describe('netmon progress', () => {
  const at = (elapsedMs: number, packets = 1000) => ({ bytes: 2 * 1048576, totalBytes: 4 * 1048576, packets, flows: 12, observations: 0, elapsedMs });

  it('gives the packet rate over the run once it lasted 50 ms', () => {
    expect(progressFields(at(200))).toEqual({ percentage: 50, done: '2.0', packets: 1000, rate: ' | 5000 packets/s', flows: 12 });
    expect(progressFields(at(50, 7)).rate).toBe(' | 140 packets/s');
  });

  it('leaves the rate out, rather than showing 0 packets/s, for a run under 50 ms', () => {
    expect(progressFields(at(12)).rate).toBe('');
    expect(progressFields(at(0)).rate).toBe('');
  });

  it('tracks the bytes read when the total is unknown (a pipe)', () => {
    expect(progressFields({ bytes: 3 * 1048576, packets: 5, flows: 1, observations: 0, elapsedMs: 100 })).toMatchObject({ percentage: 100, done: '3.0' });
  });

  it('writes plain lines at most every interval, then the final line once', async () => {
    const lines: string[] = [];
    const p = progressLines((l) => lines.push(l), 30);
    p.update(at(10, 1));
    p.update(at(20, 2));
    expect(lines).toEqual([]);
    await new Promise((r) => setTimeout(r, 40));
    p.update(at(60, 3));
    expect(lines).toEqual(['50% | 2.0 MB | 3 packets | 50 packets/s | 12 flows\n']);
    p.update({ ...at(80, 4), bytes: 4 * 1048576 });
    p.stop();
    p.stop();
    expect(lines).toEqual(['50% | 2.0 MB | 3 packets | 50 packets/s | 12 flows\n', '100% | 4.0 MB | 4 packets | 50 packets/s | 12 flows\n']);
  });

  it('does not repeat a final line that was just written', async () => {
    const lines: string[] = [];
    const p = progressLines((l) => lines.push(l), 10);
    p.update(at(5, 1));
    await new Promise((r) => setTimeout(r, 20));
    p.update(at(100, 9));
    p.stop();
    expect(lines).toEqual(['50% | 2.0 MB | 9 packets | 90 packets/s | 12 flows\n']);
  });

  it('writes nothing when no progress was reported', () => {
    const lines: string[] = [];
    progressLines((l) => lines.push(l)).stop();
    expect(lines).toEqual([]);
  });
});
