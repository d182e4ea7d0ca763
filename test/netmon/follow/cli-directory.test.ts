/**
 * `careguard netmon report|ingest DIR [--follow]` through commander with captured output: a
 * rotating capture directory read as one capture, followed until SIGINT/SIGTERM or --seconds, and
 * the SPAN-port ingest (one capture per completed file, nothing ingested twice across runs).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerNetmonCommand } from '../../../src/cli/commands/netmon.js';
import type { CliIO } from '../../../src/cli/context.js';
import type { FollowIngestSummary } from '../../../src/netmon/follow/ingest-directory.js';
import type { NetmonReport } from '../../../src/netmon/report.js';
import type { DatabaseHandle } from '../../../src/storage/database.js';
import { openTestDatabase } from '../../../src/storage/testing/engines.js';
import { netmonStack, syntheticRecords, tempDir, waitFor, writeCapture, type NetmonStack } from './support.js';

type Open = Parameters<typeof registerNetmonCommand>[1]['open'];

/** Starts a command; its output can be read while it runs. */
function start(args: string[], open: Open) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIO = { stdout, stderr, isTTY: false };
  const program = new Command('careguard').exitOverride();
  registerNetmonCommand(program, { io, open });
  process.exitCode = undefined;
  const stdoutText = () => Buffer.concat(out).toString('utf8');
  const stderrText = () => Buffer.concat(err).toString('utf8');
  const done = program.parseAsync(['node', 'careguard', ...args]).then(() => {
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { code, stdout: stdoutText(), stderr: stderrText() };
  });
  return { done, stdout: stdoutText, stderr: stderrText };
}

const cli = (args: string[], open: Open) => start(args, open).done;
const noDatabase: Open = async () => Promise.reject(new Error('this command must not open the database'));
const count = (text: string, re: RegExp) => text.match(new RegExp(re.source, `${re.flags}g`))?.length ?? 0;

const records = syntheticRecords(3000);
const parts = [records.slice(0, 1000), records.slice(1000, 2000), records.slice(2000)];
const names = ['cap.pcap', 'cap.pcap2', 'cap.pcap10'];

let dir: string;
let policy: string;
beforeEach(() => {
  dir = tempDir('careguard-cli-dir-');
  policy = path.join(tempDir('careguard-cli-policy-'), 'zones.json');
  writeFileSync(policy, JSON.stringify({ zones: [{ name: 'clinical', cidrs: ['10.0.0.0/8'] }, { name: 'servers', cidrs: ['172.16.0.0/12'] }], conduits: [{ name: 'imaging', from: 'clinical', to: 'servers', services: [{ protocol: 'dicom' }] }] }));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

describe('careguard netmon report DIR', () => {
  it('reports every file of the directory as one capture, as the same packets in one file, listing the files in natural order', async () => {
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const whole = writeCapture(path.join(tempDir('careguard-cli-whole-'), 'whole.pcap'), records);
    const one = await cli(['netmon', 'report', '--json', '--no-progress', '--policy', policy, whole], noDatabase);
    const all = await cli(['netmon', 'report', '--json', '--no-progress', '--policy', policy, dir], noDatabase);
    expect([all.code, all.stderr]).toEqual([1, '']);
    const [a, b] = [JSON.parse(one.stdout) as NetmonReport, JSON.parse(all.stdout) as NetmonReport];
    expect(a.detections?.length).toBeGreaterThan(10);
    expect([b.capture.packets, b.capture.flows, b.capture.observations, b.protocols, b.devices.map((d) => d.key), b.detections?.map((d) => [d.rule, d.deviceIp, d.count])]).toEqual([
      a.capture.packets,
      a.capture.flows,
      a.capture.observations,
      a.protocols,
      a.devices.map((d) => d.key),
      a.detections?.map((d) => [d.rule, d.deviceIp, d.count]),
    ]);
    expect(b.capture.name).toBe(dir);
    expect(b.capture.files?.map((f) => path.basename(f.path))).toEqual(names);

    const table = await cli(['netmon', 'report', '--no-progress', dir], noDatabase);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`${dir}: 3,000 packets`);
    expect(table.stdout).toContain('files read in order (3): cap.pcap (1,000 packets), cap.pcap2 (1,000 packets), cap.pcap10 (1,000 packets)');
  });

  it('--follow reads a file written after the start, and prints the report on SIGINT', async () => {
    writeCapture(path.join(dir, 'ring_00001.pcap'), parts[0]!);
    const run = start(['netmon', 'report', '--json', '--follow', '--policy', policy, dir], noDatabase);
    await waitFor(() => run.stderr().includes('reading '), 'the first file');
    // Written under a hidden name and renamed, as a whole: the reader sees all of it at once.
    renameSync(writeCapture(path.join(dir, '.ring_00002.pcap'), parts[1]!), path.join(dir, 'ring_00002.pcap'));
    await waitFor(() => run.stderr().includes(`reading ${path.join(dir, 'ring_00002.pcap')}`), 'the file written after the start');
    // Time to read and process it (one read of well under a chunk) before the stop.
    await new Promise((r) => setTimeout(r, 500));
    process.emit('SIGINT');
    const r = await run.done;
    expect(r.stderr).toContain(`following ${dir}`);
    expect(r.stderr).toMatch(/interrupted.*: finishing the report/);
    const report = JSON.parse(r.stdout) as NetmonReport;
    expect(report.capture.files?.map((f) => [path.basename(f.path), f.packets])).toEqual([
      ['ring_00001.pcap', 1000],
      ['ring_00002.pcap', 1000],
    ]);
    expect(r.code).toBe(1);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('--follow --seconds stops by itself; SIGTERM stops too', async () => {
    writeCapture(path.join(dir, 'cap.pcap'), parts[0]!);
    const timed = await cli(['netmon', 'report', '--json', '--follow', '--seconds', '1', dir], noDatabase);
    expect(timed.stderr).toContain('1 s elapsed: finishing the report');
    expect((JSON.parse(timed.stdout) as NetmonReport).capture.packets).toBe(1000);
    const run = start(['netmon', 'report', '--json', '--follow', dir], noDatabase);
    await waitFor(() => run.stderr().includes('reading '), 'the file');
    process.emit('SIGTERM');
    const r = await run.done;
    expect(r.stderr).toContain('terminated: finishing the report');
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 2 naming the directory and the name rule when it has no capture files', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    const r = await cli(['netmon', 'report', '--no-progress', dir], noDatabase);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: no capture files in directory ${dir} (names ending in .pcap, .pcapng or .cap, optionally followed by a rotation number (cap.pcap, cap.pcap1, ring_00001.pcapng)) [netmon.capture_not_found]\n`);
  });

  it('prints damage with its file and byte offset and still reports the other files', async () => {
    writeCapture(path.join(dir, 'cap.pcap'), parts[0]!);
    writeFileSync(path.join(dir, 'cap.pcap2'), 'garbage, not a capture');
    writeCapture(path.join(dir, 'cap.pcap3'), parts[1]!);
    const r = await cli(['netmon', 'report', '--no-progress', dir], noDatabase);
    expect(r.stdout).toContain(`capture damaged: ${path.join(dir, 'cap.pcap2')}: not a pcap or pcapng capture`);
    expect(r.stdout).toMatch(/\(byte offset 0\) \[capture\.unknown-format\]/);
    expect(r.stdout).toContain('files read in order (3): cap.pcap (1,000 packets), cap.pcap2 (0 packets), cap.pcap3 (1,000 packets)');
  });

  it('exits 2 on --follow for a file, --seconds without --follow, or --format zeek for a directory', async () => {
    const file = writeCapture(path.join(dir, 'one.pcap'), parts[0]!);
    const follow = await cli(['netmon', 'report', '--follow', file], noDatabase);
    expect([follow.code, follow.stderr]).toEqual([2, `error: --follow reads a capture directory; ${file} is not one [netmon.invalid_option]\n`]);
    const seconds = await cli(['netmon', 'report', '--seconds', '5', dir], noDatabase);
    expect([seconds.code, seconds.stderr]).toEqual([2, 'error: --seconds applies only with --follow [netmon.invalid_option]\n']);
    const zeek = await cli(['netmon', 'report', '--format', 'zeek', dir], noDatabase);
    expect(zeek.code).toBe(2);
    expect(zeek.stderr).toContain('is a directory: its files are read as pcap/pcapng captures');
    const ingest = await cli(['netmon', 'ingest', '--follow', file], noDatabase);
    expect([ingest.code, ingest.stderr]).toEqual([2, `error: --follow reads a capture directory; ${file} is not one [netmon.invalid_option]\n`]);
  });
});

describe('careguard netmon ingest DIR', () => {
  let handle: DatabaseHandle;
  let stack: NetmonStack;
  let opened = 0;
  let closed = 0;
  const open: Open = async () => {
    opened++;
    return { ...stack, close: async () => void closed++ };
  };
  beforeEach(async () => {
    handle = await openTestDatabase('sqlite');
    stack = netmonStack(handle);
    opened = closed = 0;
  });
  afterEach(async () => {
    await handle.close();
  });

  it('without --follow ingests every file present as one capture named after the directory', async () => {
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const r = await cli(['netmon', 'ingest', '--no-progress', dir], open);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('files read in order (3)');
    const captures = await stack.netmon.captures(10);
    expect(captures.map((c) => [c.name, c.packets, c.source])).toEqual([[dir, 3000, undefined]]);
    expect((captures[0]!.summary.files as Array<{ path: string }>).map((f) => path.basename(f.path))).toEqual(names);
    expect([opened, closed]).toEqual([1, 1]);
  });

  it('records a directory given relative to the working directory by its absolute path, so its files can be found again (evidence packets)', async () => {
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const relative = path.relative(process.cwd(), dir);
    expect(path.isAbsolute(relative)).toBe(false);
    await cli(['netmon', 'ingest', '--no-progress', relative], open);
    const [capture] = await stack.netmon.captures(10);
    expect(capture?.name).toBe(dir);
    expect((capture!.summary.files as Array<{ path: string }>).map((f) => f.path)).toEqual(names.map((n) => path.join(dir, n)));
  });

  it('--follow ingests each completed file as its own capture, one line each, until SIGINT; a second run ingests nothing again', async () => {
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const run = start(['netmon', 'ingest', '--follow', dir], open);
    await waitFor(() => count(run.stderr(), /^ingested /m) === 2, 'two ingested files', 20_000);
    process.emit('SIGINT');
    const first = await run.done;
    expect(first.stderr).toMatch(new RegExp(`^ingested ${path.join(dir, 'cap.pcap')}: 1,000 packets, \\d+ devices \\(\\d+ new\\), \\d+ alerts raised \\(\\d+ folded\\), \\d+ detections \\[cap_\\w+\\]$`, 'm'));
    expect(first.stderr).toContain(`ingested ${path.join(dir, 'cap.pcap2')}: 1,000 packets`);
    expect(first.stderr).not.toContain('cap.pcap10');
    expect(first.stderr).toMatch(/interrupted.*: stopping after the file in progress/);
    expect(first.stdout).toMatch(/: 2 files ingested, 0 already ingested, 0 failed; 2,000 packets, \d+ devices reported \(\d+ created\), \d+ alerts raised, \d+ folded, \d+ detections\n$/);
    expect(first.code).toBe(1);
    expect((await stack.netmon.captures(10)).map((c) => path.basename(c.name))).toEqual(['cap.pcap2', 'cap.pcap']);

    const second = await cli(['netmon', 'ingest', '--follow', '--seconds', '0.3', '--json', dir], open);
    expect(count(second.stderr, /^skipped .*: already ingested as cap_\w+ at /m)).toBe(2);
    expect(second.stderr).not.toMatch(/^ingested /m);
    const summary = JSON.parse(second.stdout) as FollowIngestSummary;
    expect([summary.ingested, summary.skipped, summary.failed]).toEqual([0, 2, 0]);
    expect(second.code).toBe(0);
    expect(await stack.netmon.captures(10)).toHaveLength(2);
    expect([opened, closed]).toEqual([2, 2]);
  });

  it('a file ingested on its own records its identity: a later --follow run skips it and ingests the rest', async () => {
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const own = await cli(['netmon', 'ingest', '--no-progress', path.join(dir, 'cap.pcap')], open);
    expect(own.code).toBe(1);
    const [recorded] = await stack.netmon.captures(10);
    expect(recorded?.source).toEqual(expect.objectContaining({ path: path.join(dir, 'cap.pcap'), bytes: expect.any(Number) }));

    const follow = await cli(['netmon', 'ingest', '--follow', '--seconds', '1', dir], open);
    expect(follow.stderr).toMatch(new RegExp(`^skipped ${path.join(dir, 'cap.pcap')}: already ingested as ${recorded!.id} at `, 'm'));
    expect(follow.stderr).toContain(`ingested ${path.join(dir, 'cap.pcap2')}: 1,000 packets`);
    // the newest file is still being written as far as --follow knows
    expect(follow.stderr).not.toContain('cap.pcap10');
    expect((await stack.netmon.captures(10)).map((c) => path.basename(c.name))).toEqual(['cap.pcap2', 'cap.pcap']);
  });

  it('--follow warns once when complete files pile up and says when the backlog is cleared', async () => {
    const many = ['cap.pcap', 'cap.pcap2', 'cap.pcap3', 'cap.pcap4', 'cap.pcap5'];
    many.forEach((name, i) => writeCapture(path.join(dir, name), records.slice(i * 200, i * 200 + 200)));
    const run = start(['netmon', 'ingest', '--follow', dir], open);
    await waitFor(() => count(run.stderr(), /^ingested /m) === 4, 'four ingested files', 20_000);
    await waitFor(() => run.stderr().includes('backlog cleared'), 'the backlog to clear', 5_000);
    process.emit('SIGINT');
    const r = await run.done;
    expect(count(r.stderr, /^warning: 4 complete files wait to be ingested: ingest falls behind the capture/m)).toBe(1);
    const lines = r.stderr.split('\n');
    const warned = lines.findIndex((l) => l.startsWith('warning: 4 complete files'));
    const cleared = lines.findIndex((l) => l.startsWith('backlog cleared'));
    // warned before the first file, cleared after the last
    expect(warned).toBeLessThan(lines.findIndex((l) => l.startsWith('ingested ')));
    expect(cleared).toBeGreaterThan(lines.findLastIndex((l) => l.startsWith('ingested ')));
  });

  it('--follow exits 2 after reporting a file it could not ingest, having ingested the others', async () => {
    writeFileSync(path.join(dir, 'cap.pcap'), 'not a capture');
    writeCapture(path.join(dir, 'cap.pcap2'), parts[0]!);
    writeCapture(path.join(dir, 'cap.pcap3'), parts[1]!);
    const run = start(['netmon', 'ingest', '--follow', dir], open);
    await waitFor(() => count(run.stderr(), /^ingested /m) === 1, 'the good file', 20_000);
    process.emit('SIGTERM');
    const r = await run.done;
    expect(r.stderr).toMatch(new RegExp(`^warning: ${path.join(dir, 'cap.pcap')} not ingested: .*not a pcap or pcapng capture.* \\[netmon\\.unreadable_capture\\]$`, 'm'));
    expect(r.code).toBe(2);
    expect((await stack.netmon.captures(10)).map((c) => path.basename(c.name))).toEqual(['cap.pcap2']);
  });
});
