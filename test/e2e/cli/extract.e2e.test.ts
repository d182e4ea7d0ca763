/**
 * `careguard netmon extract`, spawned from the sources (support/run-source.ts, as the startup test
 * runs them): frames of a file and of a directory read as one capture, a flow to stdout, the summary
 * on stderr, exit 1 when frames asked for are missing, exit 2 with a typed error and no file written
 * when the extraction is refused; `--out -` refused when stdout is a terminal (in-process, with a
 * terminal's CliIO).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { fileSource } from '../../../src/netmon/capture/index.js';
import { tcpFrame, udpFrame } from '../../../src/netmon/capture/testing/frames.js';
import { packetsFrom, packetsOf, pcapFile, T0, tempDir, unnumbered } from '../../../src/netmon/extract/testing/support.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../../..');
const dir = tempDir('careguard-extract-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = Array.from({ length: 20 }, (_, i) => ({
  ts: T0 + i * 1000,
  data: i % 2 === 0 ? tcpFrame(i % 4 === 0 ? '10.0.0.5' : '10.0.0.9', i % 4 === 0 ? '10.0.0.9' : '10.0.0.5', { sport: i % 4 === 0 ? 40000 : 104, dport: i % 4 === 0 ? 104 : 40000, seq: i, flags: 0x18 }) : udpFrame('10.0.0.7', '10.0.0.53', 5353, 53, Uint8Array.of(i)),
}));
const capture = pcapFile(dir, 'span.pcap', records);

function careguard(args: string[]): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'support', 'run-source.ts'), ...args], { cwd: root, timeout: 30_000, env: { ...process.env, CAREGUARD_DATA_DIR: join(dir, 'data') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}
const sourceFrames = async (file: string, frames: number[]) => unnumbered((await packetsFrom(fileSource(file))).filter((p) => frames.includes(p.frame)));

describe('careguard netmon extract', () => {
  it('writes the frames asked for to a file and says what it wrote on stderr', async () => {
    const out = join(dir, 'frames.pcap');
    const r = careguard(['netmon', 'extract', capture, '--frames', '3,7-9', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^wrote 4 packets \\(\\d+ bytes, pcap\\) to ${out}\\n$`));
    expect(unnumbered(await packetsOf(readFileSync(out)))).toEqual(await sourceFrames(capture, [3, 7, 8, 9]));
  });

  it('writes a flow, both directions, to stdout', async () => {
    const r = careguard(['netmon', 'extract', capture, '--flow', 'tcp 10.0.0.5:40000 10.0.0.9:104', '--out', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(unnumbered(await packetsOf(new Uint8Array(r.stdout)))).toEqual(await sourceFrames(capture, [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]));
  });

  it('numbers the frames of a directory on across its files, as netmon report does', async () => {
    const ring = tempDir('careguard-extract-ring-');
    pcapFile(ring, 'cap.pcap1', records.slice(10));
    pcapFile(ring, 'cap.pcap0', records.slice(0, 10));
    const out = join(dir, 'ring.pcap');
    const r = careguard(['netmon', 'extract', ring, '--frames', '10-11', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(unnumbered(await packetsOf(readFileSync(out)))).toEqual(await sourceFrames(capture, [10, 11]));
    rmSync(ring, { recursive: true, force: true });
  });

  it('exits 1 and names the frames not found when some are missing', () => {
    const r = careguard(['netmon', 'extract', capture, '--frames', '19-25', '--out', join(dir, 'partial.pcap')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('wrote 2 packets');
    expect(r.stderr).toContain('frames not found: 21-25');
  });

  it.each([
    [['--frames', '30'], 'netmon.packets_not_found'],
    [['--flow', 'tcp 10.0.0.5'], 'netmon.invalid_flow'],
    [[], 'netmon.invalid_selection'],
    [['--frames', '1', '--from', 'yesterday'], 'netmon.invalid_time'],
  ])('exits 2 with a typed error and writes nothing for %j', (flags, code) => {
    const out = join(dir, `refused-${code}.pcap`);
    const r = careguard(['netmon', 'extract', capture, ...flags, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`[${code}]`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('exits 2 naming a capture file that does not exist', () => {
    const r = careguard(['netmon', 'extract', join(dir, 'nope.pcap'), '--frames', '1', '--out', join(dir, 'x.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.pcap does not exist .*\[netmon\.capture_not_found\]/);
  });

  it('refuses --out - when stdout is a terminal', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    let written = 0;
    stderr.on('data', (b: Buffer) => (err += b.toString()));
    stdout.on('data', (b: Buffer) => (written += b.length));
    const code = await runCli(['node', 'careguard', 'netmon', 'extract', capture, '--frames', '1', '--out', '-'], { stdout, stderr, isTTY: true });
    expect(code).toBe(2);
    expect(err).toContain('[netmon.stdout_is_terminal]');
    expect(written).toBe(0);
  });
});
