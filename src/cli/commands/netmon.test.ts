/**
 * `careguard netmon report` with detections: --policy (zones, conduits, AE titles), --learn-seconds,
 * --save-baseline / --baseline, in table and JSON form, with the exit codes. The capture tests
 * need ../shared/data/pcap (skipped with a reason when absent, a failure under CI=true).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetmonReport } from '../../netmon/report.js';
import type { CliIO } from '../context.js';
import { registerNetmonCommand } from './netmon.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pcap = (name: string) => path.resolve(repoRoot, '../shared/data/pcap', name);
const missing = ['dicom-dcmtk-loopback.pcap', 'hl7.pcap'].filter((c) => !existsSync(pcap(c)));
const inCi = process.env.CI === 'true';
if (missing.length > 0 && !inCi) console.warn(`skipping netmon detection CLI tests: missing ${missing.map(pcap).join(', ')}`);

const dir = mkdtempSync(path.join(tmpdir(), 'netmon-detect-cli-'));
const file = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};

async function cli(args: string[], stdinIsTTY = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const io: CliIO = { stdout, stderr, isTTY: false, stdinIsTTY };
  const program = new Command('careguard').exitOverride();
  registerNetmonCommand(program, { io, open: async () => Promise.reject(new Error('netmon report must not open the database')) });
  process.exitCode = undefined;
  await program.parseAsync(['node', 'careguard', ...args]);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}

afterEach(() => {
  process.exitCode = undefined;
});

const ZONES = { zones: [{ name: 'clinical', cidrs: ['10.0.0.128/25'], securityLevel: 3 }, { name: 'ehr', cidrs: ['10.0.0.0/25'], securityLevel: 2 }], conduits: [{ name: 'adt', from: 'clinical', to: 'ehr', services: [{ protocol: 'hl7', ports: [2575] }] }] };

describe('careguard netmon report --policy: errors', () => {
  it('exits 2 listing every policy problem with its JSON pointer, before reading the capture', async () => {
    const p = file('bad.json', { zones: [{ name: 'a', cidr: ['10.0.0.0/8'] }], conduits: [{ from: 'a', to: 'nowhere' }] });
    const r = await cli(['netmon', 'report', '--no-progress', '--policy', p, '/nonexistent.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: policy ${p} is invalid (3 problems):`);
    expect(r.stderr).toContain('/zones/0/cidr: unknown property "cidr" (did you mean "cidrs"?)');
    expect(r.stderr).toContain('/conduits/0/to: unknown zone "nowhere" (zones: a)');
    expect(r.stderr).toMatch(/\[netmon\.policy_invalid\]\n$/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming line and column of a JSON syntax error, a missing policy file, or a bad --learn-seconds', async () => {
    const p = file('syntax.json', '{\n  "zones": [\n    { "name": "a" }\n  ],,\n}');
    expect((await cli(['netmon', 'report', '--no-progress', '--policy', p, 'x.pcap'])).stderr).toContain(`policy ${p} is not valid JSON at line 4 column 5`);
    expect((await cli(['netmon', 'report', '--no-progress', '--policy', path.join(dir, 'none.json'), 'x.pcap'])).stderr).toMatch(/policy file .*none\.json cannot be read: ENOENT \[netmon\.file_not_found\]/);
    const r = await cli(['netmon', 'report', '--no-progress', '--learn-seconds', '1h', 'x.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--learn-seconds must be a whole number of seconds');
  });

  it('exits 2 at once, saying how to pipe a capture in, when "-" is given and stdin is a terminal', async () => {
    for (const command of ['report', 'ingest']) {
      const r = await cli(['netmon', command, '--no-progress', '-'], true);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: "-" reads a capture from stdin, but stdin is a terminal: pipe one in (tcpdump -i eth1 -U -w - | careguard netmon ${command} -) [netmon.stdin_is_terminal]\n`);
    }
  });

  it('exits 2 on a baseline file that is not a CareGuard baseline', async () => {
    const b = file('notbaseline.json', { format: 'other' });
    const r = await cli(['netmon', 'report', '--no-progress', '--baseline', b, 'x.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/format: expected "careguard.netmon.baseline"');
  });
});

describe.skipIf(missing.length > 0 && !inCi)('careguard netmon report with detections', () => {
  const need = () => {
    if (missing.length > 0) throw new Error(`CI requires ${missing.map(pcap).join(', ')}`);
  };

  it('prints detections, the zone traffic table and the baseline state, exiting 1 for a high detection', async () => {
    need();
    const r = await cli(['netmon', 'report', '--no-progress', '--policy', file('zones.json', ZONES), pcap('hl7.pcap')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/detections \(2\):\nSEVERITY\s+RULE\s+DEVICE\s+COUNT\s+FIRST FRAME\s+TITLE/);
    expect(r.stdout).toMatch(/high\s+phi\.cleartext-leaving-zone\s+10\.0\.0\.155\s+1\s+4\s+HL7 ADT\^A01 with patient data sent in cleartext from zone clinical to ehr/);
    expect(r.stdout).toMatch(/medium\s+segmentation\.violation\s+10\.0\.0\.155\s+1\s+1\s+Zone clinical -> ehr: hl7 tcp\/6661/);
    expect(r.stdout).toMatch(/zone traffic \(observed vs allowed\):\nFROM\s+TO\s+FLOWS\s+BYTES\s+ALLOWED\s+DENIED/);
    expect(r.stdout).toMatch(/clinical \(SL3\)\s+ehr \(SL2\)\s+1\s+1173\s+0\s+1\s+0\s+hl7 tcp\/6661:1/);
    expect(r.stdout).toMatch(/baseline: 2 devices, learning 2018-01-30T01:23:42\.250Z \.\. 2018-01-31T01:23:42\.250Z \(86,400 s\), not complete/);
  });

  it('prints the unknown AE title detection as JSON with the existing report fields intact, exit 1', async () => {
    need();
    const r = await cli(['netmon', 'report', '--json', '--no-progress', '--policy', file('ae.json', { dicom: { aeTitles: ['MODALITY1', 'STORESCP'] } }), pcap('dicom-dcmtk-loopback.pcap')]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as NetmonReport;
    expect(report.devices).toHaveLength(2);
    expect(report.findings.map((f) => f.code)).toContain('dicom.cleartext-phi');
    expect(report.detections).toEqual([expect.objectContaining({ rule: 'dicom.unknown-ae', severity: 'high', facts: expect.objectContaining({ aeTitle: 'WRONG_AE', outcome: 'accepted' }) })]);
    expect(report.detection?.policy).toEqual({ zones: 0, conduits: 0, devices: 0, aeTitles: 2 });
  });

  it('stays exit 0 with "none" detections without a policy on the DICOM capture', async () => {
    need();
    const r = await cli(['netmon', 'report', '--no-progress', pcap('dicom-dcmtk-loopback.pcap')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/detections \(0\):\nnone\n/);
    expect(r.stdout).not.toMatch(/zone traffic/);
  });

  it('saves the baseline learnt with --learn-seconds and resumes it with --baseline', async () => {
    need();
    const out = path.join(dir, 'baseline.json');
    const first = await cli(['netmon', 'report', '--no-progress', '--learn-seconds', '3600', '--save-baseline', out, pcap('hl7.pcap')]);
    expect(first.code).toBe(1);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { format: string; options: { learnSeconds: number }; devices: Array<{ ip: string; peers: Array<{ ip: string }> }> };
    expect(saved.format).toBe('careguard.netmon.baseline');
    expect(saved.options.learnSeconds).toBe(3600);
    expect(saved.devices.map((d) => [d.ip, d.peers.map((p) => p.ip)])).toEqual([
      ['10.0.0.126', ['10.0.0.155']],
      ['10.0.0.155', ['10.0.0.126']],
    ]);
    const again = await cli(['netmon', 'report', '--json', '--no-progress', '--baseline', out, pcap('hl7.pcap')]);
    const report = JSON.parse(again.stdout) as NetmonReport;
    expect(report.detection?.baseline).toMatchObject({ learnSeconds: 3600, learnStart: '2018-01-30T01:23:42.250Z', devices: 2 });
  });
});
