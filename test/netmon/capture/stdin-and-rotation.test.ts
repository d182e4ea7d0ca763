import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileSource, followCaptureDirectory, readPackets, type CaptureFileSource } from '../../../src/netmon/capture/index.js';
import { concatBytes, PcapWriter } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { syntheticPackets } from '../../../src/netmon/capture/testing/synthetic-capture.js';
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

/** Each packet as time/length, in the order read, to compare what a ring kept with its source. */
async function packetKeys(files: AsyncIterable<CaptureFileSource>, onPacket?: () => void): Promise<{ keys: string[]; order: string[] }> {
  const keys: string[] = [];
  const order: string[] = [];
  for await (const f of files) {
    order.push(path.basename(f.path));
    for await (const p of readPackets(f.chunks)) {
      keys.push(`${p.ts}/${p.origLen}`);
      onPacket?.();
    }
  }
  return { keys, order };
}

/** `count` packets of synthetic traffic as one pcap file (about 830 bytes a packet). */
async function syntheticPcap(file: string, count: number, skip = 0): Promise<string[]> {
  const w = new PcapWriter();
  const records: Uint8Array[] = [];
  const keys: string[] = [];
  let i = 0;
  for (const p of syntheticPackets({ seed: 5, concurrency: 16 })) {
    if (i++ < skip) continue;
    if (records.length === count) break;
    records.push(w.record(p));
    keys.push(`${p.ts}/${p.data.length}`);
  }
  await writeFile(file, concatBytes([w.header(), ...records]));
  return keys;
}

const tcpdumpNeeds = { tools: ['tcpdump'] };

describe.skipIf(!prerequisites('tcpdump ring buffers', tcpdumpNeeds))('tcpdump ring buffers (-C -W)', () => {
  let dir: string;
  beforeAll(() => assertPrerequisites(tcpdumpNeeds));
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'careguard-tcpdump-ring-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** `tcpdump -r source -C 1 -W 3 -w ring/cap.pcap`: 1 MB files cap.pcap0..2, the oldest rewritten when full. */
  const ringArgs = (source: string, ring: string) => [
    '-r', source, '-C', '1', '-W', '3', '-w', path.join(ring, 'cap.pcap'),
    // As root tcpdump drops to its own user after opening the first file and could not open the next.
    ...(process.getuid?.() === 0 ? ['-Z', 'root'] : []),
  ];

  it('reads a ring that wrapped oldest first: exactly the packets it kept, in their order, not in name order', async () => {
    const source = path.join(dir, 'source.pcap');
    const all = await syntheticPcap(source, 6100);
    const ring = path.join(dir, 'ring');
    await mkdir(ring);
    execFileSync('tcpdump', ringArgs(source, ring), { stdio: 'ignore' });
    expect((await readdir(ring)).sort()).toEqual(['cap.pcap0', 'cap.pcap1', 'cap.pcap2']);
    const got = await packetKeys(followCaptureDirectory(ring, { follow: false }));
    // About 4.4 MB into three 1 MB files: it wrapped past cap.pcap2 back to cap.pcap0 and cap.pcap1.
    expect(got.order).toEqual(['cap.pcap2', 'cap.pcap0', 'cap.pcap1']);
    expect(got.keys.length).toBeGreaterThan(2000);
    expect(got.keys.length).toBeLessThan(all.length);
    expect(got.keys).toEqual(all.slice(all.length - got.keys.length));
  });

  it('follows a ring that a restarted tcpdump rewrites from cap.pcap0 on while it reads: every packet once, in order', async () => {
    const first = path.join(dir, 'first.pcap');
    const second = path.join(dir, 'second.pcap');
    // About 1.9 MB, then 2.6 MB: the first run writes cap.pcap0 and cap.pcap1, the second rewrites both
    // in place and goes on into cap.pcap2.
    const keys = [...(await syntheticPcap(first, 3000)), ...(await syntheticPcap(second, 3000, 3000))];
    const ring = path.join(dir, 'ring');
    await mkdir(ring);
    const ac = new AbortController();
    let seen = 0;
    const done = packetKeys(followCaptureDirectory(ring, { signal: ac.signal, pollMs: 5 }), () => seen++);
    const waitFor = async (n: number) => {
      const until = Date.now() + 10_000;
      while (seen < n && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    };
    const tcpdump = promisify(execFile);
    try {
      // Asynchronous: the follower reads while tcpdump writes.
      await tcpdump('tcpdump', ringArgs(first, ring));
      await waitFor(3000);
      await tcpdump('tcpdump', ringArgs(second, ring));
      await waitFor(6000);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      ac.abort();
    }
    const got = await done;
    expect(got.order).toEqual(['cap.pcap0', 'cap.pcap1', 'cap.pcap0', 'cap.pcap1', 'cap.pcap2']);
    expect(got.keys.length).toBe(keys.length);
    expect(got.keys).toEqual(keys);
  });
});
