/**
 * `careguard netmon report <conn.log>` and `netmon collect` run the capture path's detection engine:
 * detections, the detection summary and zone pairs in the report, and --policy, --learn-seconds,
 * --baseline and --save-baseline honoured, on generated Zeek conn.logs and NetFlow v5 datagrams.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerNetmonCommand } from '../../../src/cli/commands/netmon.js';
import type { CliIO } from '../../../src/cli/context.js';
import { encodeNetflowV5 } from '../../../src/netmon/flowlogs/testing/encoder.js';
import { zeekHeader } from '../../../src/netmon/flowlogs/testing/zeek-samples.js';
import type { NetmonReport } from '../../../src/netmon/report.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netmon-flowlog-cli-'));
const T0 = 1_709_287_200; // 2024-03-01T10:00:00Z

/** One conn.log line: a TCP connection that exchanged data both ways (Zeek state SF). */
interface Conn {
  at: number;
  src: string;
  sport?: number;
  dst: string;
  dport: number;
  service?: string;
}

let seq = 0;
function connLog(name: string, conns: readonly Conn[]): string {
  const rows = conns.map((c) =>
    [`${c.at}.000000`, `C${++seq}`, c.src, c.sport ?? 40000 + seq, c.dst, c.dport, 'tcp', c.service ?? '-', '1.000000', 400, 1200, 'SF', 'T', 'T', 0, 'ShADadFf', 6, 720, 5, 1460, '(empty)', '-'].join('\t'),
  );
  const file = path.join(dir, name);
  writeFileSync(file, [...zeekHeader(), ...rows, ''].join('\n'));
  return file;
}

function textOf(s: PassThrough): () => string {
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

const noDatabase = async (): Promise<never> => {
  throw new Error('netmon report must not open the database');
};

/** Runs the netmon commands as commander parses them; `stderr` can be read while the command runs. */
function start(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = textOf(stdout);
  const err = textOf(stderr);
  const io: CliIO = { stdout, stderr, isTTY: false };
  const program = new Command('careguard').exitOverride();
  registerNetmonCommand(program, { io, open: noDatabase });
  process.exitCode = undefined;
  const done = program.parseAsync(['node', 'careguard', ...args]).then(() => {
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return { code, stdout: out(), stderr: err() };
  });
  return { done, stderr: err };
}

const cli = (args: string[]) => start(args).done;

async function reportJson(args: string[]): Promise<{ code: number; report: NetmonReport; stderr: string }> {
  const r = await cli(['netmon', 'report', '--json', '--no-progress', ...args]);
  expect(r.stderr).not.toMatch(/error/);
  return { code: r.code, report: JSON.parse(r.stdout) as NetmonReport, stderr: r.stderr };
}

const rulesOf = (r: NetmonReport) => (r.detections ?? []).map((d) => `${d.rule} ${d.deviceIp}${d.peerIp ? ` ${d.peerIp}` : ''}`);

afterEach(() => {
  process.exitCode = undefined;
});

describe('careguard netmon report <Zeek conn.log>: detections', () => {
  it('raises exposure.internet for a private address talking to a public one, with the detection summary, in --json', async () => {
    const log = connLog('internet.log', [
      { at: T0, src: '10.0.0.5', dst: '8.8.8.8', dport: 443, service: 'ssl' },
      { at: T0 + 1, src: '10.0.0.5', dst: '10.0.0.9', dport: 104, service: 'dicom' },
    ]);
    const { code, report } = await reportJson([log]);
    expect(report.capture.flows).toBe(2);
    expect(report.detections).toEqual([expect.objectContaining({ rule: 'exposure.internet', deviceIp: '10.0.0.5', peerIp: '8.8.8.8', severity: 'low', count: 1 })]);
    expect(report.detections?.[0]?.evidence[0]?.ref).toContain(log);
    expect(report.detection?.rules.map((r) => r.id)).toContain('exposure.internet');
    expect(report.detection?.baseline).toMatchObject({ learnSeconds: 86_400, complete: false, devices: 2 });
    expect(report.detection?.stats).toMatchObject({ detections: 1, occurrences: 1 });
    // no zones in the default policy: no zone pairs, but the field is there as for a capture
    expect(report.zonePairs).toEqual([]);
    expect(code).toBe(0);
  });

  it('prints the detection in the table instead of "detections (0): none"', async () => {
    const log = connLog('internet-table.log', [{ at: T0, src: '10.0.0.5', dst: '8.8.8.8', dport: 443 }]);
    const r = await cli(['netmon', 'report', '--no-progress', log]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/detections \(1\):/);
    expect(r.stdout).toMatch(/low\s+exposure\.internet\s+10\.0\.0\.5/);
    expect(r.stdout).toMatch(/baseline: 1 devices, learning 2024-03-01T10:00:00\.000Z/);
  });

  it('judges the flows against --policy zones: a segmentation violation, zone pairs, device map criticality and exit 1', async () => {
    const policy = path.join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        version: 1,
        zones: [
          { name: 'clinical', cidrs: ['10.40.0.0/16'], securityLevel: 3 },
          { name: 'corporate', cidrs: ['10.0.0.0/8'], securityLevel: 1 },
        ],
        conduits: [{ name: 'adt-feed', from: 'corporate', to: 'clinical', services: [{ protocol: 'hl7', transport: 'tcp', ports: [2575] }] }],
        devices: [{ ip: '10.40.7.21', name: 'Pump-21', criticality: 'life-supporting', category: 'infusion-pump' }],
      }),
    );
    const log = connLog('zones.log', [
      { at: T0, src: '10.0.0.7', dst: '10.40.7.21', dport: 2575, service: 'hl7' },
      { at: T0 + 1, src: '10.0.0.7', dst: '10.40.7.21', dport: 22, service: 'ssh' },
      { at: T0 + 2, src: '10.40.7.21', dst: '8.8.4.4', dport: 443, service: 'ssl' },
    ]);
    const { code, report } = await reportJson(['--policy', policy, log]);
    expect(rulesOf(report)).toEqual(expect.arrayContaining(['segmentation.violation 10.0.0.7 10.40.7.21', 'exposure.internet 10.40.7.21 8.8.4.4']));
    const violation = report.detections?.find((d) => d.rule === 'segmentation.violation');
    expect(violation).toMatchObject({ severity: 'high', zone: 'corporate' });
    expect(violation?.explanation).toMatch(/adt-feed/);
    // life-supporting per the device map: outbound internet is high, not the unknown-criticality low
    expect(report.detections?.find((d) => d.rule === 'exposure.internet')).toMatchObject({ severity: 'high', deviceName: 'Pump-21' });
    expect(report.zonePairs).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'corporate', to: 'clinical', flows: 2, allowedFlows: 1, deniedFlows: 1 })]));
    expect(report.detection?.policy).toMatchObject({ zones: 2, conduits: 1, devices: 1 });
    expect(code).toBe(1);
  });

  it('learns a baseline with --learn-seconds and --save-baseline, and --baseline resumes it to judge a new peer', async () => {
    // four flows to the PACS inside a 60 s window, one after it (which completes the window)
    const learn = connLog('learn.log', [0, 10, 20, 30, 90].map((s) => ({ at: T0 + s, src: '10.0.0.5', dst: '10.0.0.9', dport: 104, service: 'dicom' })));
    const saved = path.join(dir, 'baseline.json');
    const first = await reportJson(['--learn-seconds', '60', '--save-baseline', saved, learn]);
    expect(first.report.detection?.baseline).toMatchObject({ learnSeconds: 60, complete: true, learnStart: '2024-03-01T10:00:00.000Z' });
    expect(rulesOf(first.report)).toEqual([]);
    const json = JSON.parse(readFileSync(saved, 'utf8')) as { format: string; options: { learnSeconds: number }; devices: { ip: string }[] };
    expect(json).toMatchObject({ format: 'careguard.netmon.baseline', options: { learnSeconds: 60 } });
    expect(json.devices.map((d) => d.ip)).toEqual(['10.0.0.5', '10.0.0.9']);

    const later = connLog('later.log', [
      { at: T0 + 300, src: '10.0.0.5', dst: '10.0.0.9', dport: 104, service: 'dicom' },
      { at: T0 + 310, src: '10.0.0.5', dst: '10.0.0.66', dport: 104, service: 'dicom' },
    ]);
    const resumed = await reportJson(['--baseline', saved, later]);
    expect(rulesOf(resumed.report)).toContain('baseline.new-peer 10.0.0.5 10.0.0.66');
    expect(rulesOf(resumed.report)).not.toContain('baseline.new-peer 10.0.0.5 10.0.0.9');
    expect(resumed.report.detection?.baseline).toMatchObject({ learnSeconds: 60, complete: true, learnStart: '2024-03-01T10:00:00.000Z' });

    // the same log without the baseline starts learning afresh: nothing is new yet
    const fresh = await reportJson([later]);
    expect(rulesOf(fresh.report)).not.toContain('baseline.new-peer 10.0.0.5 10.0.0.66');
    expect(fresh.report.detection?.baseline.complete).toBe(false);
  });

  it('notes that --learn-seconds does not apply to a resumed baseline', async () => {
    const learn = connLog('learn-note.log', [{ at: T0, src: '10.0.0.5', dst: '10.0.0.9', dport: 104 }]);
    const saved = path.join(dir, 'baseline-note.json');
    await reportJson(['--save-baseline', saved, learn]);
    const r = await reportJson(['--baseline', saved, '--learn-seconds', '60', learn]);
    expect(r.stderr).toMatch(/--learn-seconds is ignored/);
    expect(r.report.detection?.baseline.learnSeconds).toBe(86_400);
  });

  it('exits 2 naming the policy file when it cannot be read, before reading the log', async () => {
    const log = connLog('bad-policy.log', [{ at: T0, src: '10.0.0.5', dst: '8.8.8.8', dport: 443 }]);
    const r = await cli(['netmon', 'report', '--no-progress', '--policy', path.join(dir, 'missing-policy.json'), log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policy file .*missing-policy\.json cannot be read: ENOENT \[netmon\.file_not_found\]/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming the baseline file when it is not a baseline', async () => {
    const log = connLog('bad-baseline.log', [{ at: T0, src: '10.0.0.5', dst: '8.8.8.8', dport: 443 }]);
    const bad = path.join(dir, 'not-a-baseline.json');
    writeFileSync(bad, '{"format":"something-else"}');
    const r = await cli(['netmon', 'report', '--no-progress', '--baseline', bad, log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not-a-baseline\.json/);
    expect(r.stdout).toBe('');
  });
});

describe('careguard netmon collect: detections', () => {
  it('runs the same detections on the NetFlow records it received', async () => {
    const run = start(['netmon', 'collect', '--port', '0', '--seconds', '1.5', '--json']);
    let port: number | undefined;
    for (let i = 0; i < 200 && port === undefined; i++) {
      port = Number(/collecting flow records on udp 127\.0\.0\.1:(\d+)/.exec(run.stderr())?.[1]) || undefined;
      if (port === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    expect(port).toBeGreaterThan(0);
    const exportSecs = Math.floor(Date.now() / 1000);
    const datagram = encodeNetflowV5({ sysUptimeMs: 600_000, unixSecs: exportSecs, sequence: 1 }, [
      { src: '10.0.0.5', dst: '8.8.8.8', sport: 51000, dport: 443, proto: 6, packets: 10, bytes: 4000, first: 590_000, last: 599_000, tcpFlags: 0x1b },
    ]);
    const sender = createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => sender.send(datagram, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    } finally {
      sender.close();
    }
    const r = await run.done;
    const report = JSON.parse(r.stdout) as NetmonReport;
    expect(report.capture.flows).toBe(1);
    expect(rulesOf(report)).toEqual(['exposure.internet 10.0.0.5 8.8.8.8']);
    expect(report.detection?.baseline.devices).toBe(1);
    expect(r.code).toBe(0);
  });
});
