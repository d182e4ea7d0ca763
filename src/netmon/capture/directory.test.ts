import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCaptureDirectory } from './directory.js';
import { readPackets } from './reader.js';
import { PcapWriter } from './testing/pcap-writer.js';

const w = new PcapWriter();
const rec = (id: number) => w.record({ ts: 1_700_000_000_000_000 + id, data: Uint8Array.of(id, id, id) });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'careguard-follow-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads every packet of every file the follower yields; reports (file, first byte) pairs as they come. */
async function collect(sources: ReturnType<typeof followCaptureDirectory>, seen: string[]): Promise<void> {
  for await (const src of sources) {
    for await (const p of readPackets(src.chunks)) seen.push(`${basename(src.path)}:${p.data[0]}`);
  }
}

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('rotating capture directory', () => {
  it('reads capture files in natural name order, skipping other and hidden files, then stops when not following', async () => {
    await writeFile(join(dir, 'cap.pcap10'), Buffer.concat([w.header(), rec(10)]));
    await writeFile(join(dir, 'cap.pcap2'), Buffer.concat([w.header(), rec(2)]));
    await writeFile(join(dir, 'cap.pcap'), Buffer.concat([w.header(), rec(0), rec(1)]));
    await writeFile(join(dir, 'notes.txt'), 'not a capture');
    await writeFile(join(dir, '.cap.pcap3'), Buffer.concat([w.header(), rec(3)]));
    const seen: string[] = [];
    await collect(followCaptureDirectory(dir, { follow: false }), seen);
    expect(seen).toEqual(['cap.pcap:0', 'cap.pcap:1', 'cap.pcap2:2', 'cap.pcap10:10']);
  });

  it('tails the newest file, moves to a newer one when it appears, and ends when aborted', async () => {
    await writeFile(join(dir, 'ring_00001.pcap'), Buffer.concat([w.header(), rec(1)]));
    const ac = new AbortController();
    const seen: string[] = [];
    const done = collect(followCaptureDirectory(dir, { signal: ac.signal, pollMs: 10 }), seen);
    await waitFor(() => seen.length === 1);
    // The writer appends to the current file, splitting a record across two writes.
    const r2 = rec(2);
    await appendFile(join(dir, 'ring_00001.pcap'), r2.subarray(0, 5));
    await new Promise((r) => setTimeout(r, 30));
    await appendFile(join(dir, 'ring_00001.pcap'), r2.subarray(5));
    await waitFor(() => seen.length === 2);
    // Rotation: the last bytes of the old file land just before the new file appears.
    await appendFile(join(dir, 'ring_00001.pcap'), rec(3));
    await writeFile(join(dir, 'ring_00002.pcap'), Buffer.concat([w.header(), rec(4)]));
    await waitFor(() => seen.length === 4);
    ac.abort();
    await done;
    expect(seen).toEqual(['ring_00001.pcap:1', 'ring_00001.pcap:2', 'ring_00001.pcap:3', 'ring_00002.pcap:4']);
  });

  it('waits for the first file to appear', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const done = collect(followCaptureDirectory(dir, { signal: ac.signal, pollMs: 10 }), seen);
    await new Promise((r) => setTimeout(r, 40));
    await writeFile(join(dir, 'late.pcapng.pcap'), Buffer.concat([w.header(), rec(7)]));
    await waitFor(() => seen.length === 1);
    ac.abort();
    await done;
    expect(seen).toEqual(['late.pcapng.pcap:7']);
  });
});
