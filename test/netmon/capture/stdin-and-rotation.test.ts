import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileSource, followCaptureDirectory } from '../../../src/netmon/capture/index.js';
import { readCapture, type ReadCaptureOptions } from '../../../src/netmon/pipeline/read-capture.js';
import { assertPrerequisites, pcapDir, prerequisites, repoRoot } from './support.js';

const needs = { data: true, tools: ['tcpdump', 'editcap'] };
const script = path.join(repoRoot, 'test/netmon/capture/ingest-stdin.script.ts');

/** Options whose consumers fold every reassembled byte into a digest, to compare two runs. */
function digesting(): { opts: ReadCaptureOptions; digest: () => string; frames: number[] } {
  const h = createHash('sha256');
  const frames: number[] = [];
  return {
    opts: { onFlowStart: (key) => ({ onData: (dir, d, meta) => (h.update(`${key.client.port}${dir}`).update(d), frames.push(meta.frame)) }) },
    digest: () => h.digest('hex'),
    frames,
  };
}

describe.skipIf(!prerequisites('stdin and rotated captures', needs))('stdin and rotated captures', () => {
  let dir: string;
  beforeAll(() => assertPrerequisites(needs));
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'careguard-rotation-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads `tcpdump -w -` output from standard input exactly as it reads the file', async () => {
    const file = path.join(pcapDir, 'hl7.pcap');
    const direct = digesting();
    const stats = await readCapture({ bytes: fileSource(file) }, direct.opts);
    const tcpdump = spawn('tcpdump', ['-r', file, '-w', '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: [tcpdump.stdout, 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({ packets: stats.packets, flows: stats.flows.flowsCreated, errors: [], digest: direct.digest() });
  });

  it('reads a ring buffer split by editcap as one capture: same packets, flows and bytes, frames numbered on', async () => {
    const file = path.join(pcapDir, 'dicom-dcmtk-loopback.pcap');
    execFileSync('editcap', ['-c', '10', file, path.join(dir, 'ring.pcap')]);
    expect((await readdir(dir)).length).toBe(7);
    const whole = digesting();
    const expected = await readCapture({ bytes: fileSource(file) }, whole.opts);
    const split = digesting();
    const got = await readCapture({ files: followCaptureDirectory(dir, { follow: false }) }, split.opts);
    expect([got.files, got.packets, got.flows.flowsCreated, got.captureErrors]).toEqual([7, expected.packets, expected.flows.flowsCreated, []]);
    expect(split.frames).toEqual(whole.frames);
    expect(split.digest()).toBe(whole.digest());
  });

  it('follows a directory while the ring buffer files appear one by one, until aborted', async () => {
    const file = path.join(pcapDir, 'dicom-dcmtk-loopback.pcap');
    const staging = path.join(dir, 'staging');
    execFileSync('mkdir', [staging]);
    execFileSync('editcap', ['-c', '10', file, path.join(staging, 'ring.pcap')]);
    const names = (await readdir(staging)).sort();
    const live = path.join(dir, 'live');
    execFileSync('mkdir', [live]);
    const ac = new AbortController();
    let packets = 0;
    const done = readCapture({ files: followCaptureDirectory(live, { signal: ac.signal, pollMs: 10 }) }, { signal: ac.signal, onPacket: () => packets++ });
    for (const n of names) {
      await copyFile(path.join(staging, n), path.join(live, n));
      await new Promise((r) => setTimeout(r, 25));
    }
    const until = Date.now() + 5000;
    while (packets < 68 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    const stats = await done;
    expect([stats.packets, stats.files, stats.flows.flowsCreated]).toEqual([68, 7, 3]);
  });
});
