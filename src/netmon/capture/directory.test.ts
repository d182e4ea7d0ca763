import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_NAME, followCaptureDirectory, listCaptureFiles } from './directory.js';
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

describe('listCaptureFiles', () => {
  it('lists capture names in natural order, after a given name when asked', async () => {
    for (const n of ['cap.pcap10', 'cap.pcap', 'cap.pcap2', 'notes.txt', '.cap.pcap3']) await writeFile(join(dir, n), '');
    expect(await listCaptureFiles(dir)).toEqual(['cap.pcap', 'cap.pcap2', 'cap.pcap10']);
    expect(await listCaptureFiles(dir, DEFAULT_CAPTURE_NAME, 'cap.pcap2')).toEqual(['cap.pcap10']);
    expect(await listCaptureFiles(dir, /\.txt$/)).toEqual(['notes.txt']);
  });
});

describe('recycleBuffers', () => {
  /** Every chunk's bytes (copied) and the buffer each was a view of. */
  async function chunks(recycle: boolean) {
    const copies: Uint8Array[] = [];
    const buffers: ArrayBufferLike[] = [];
    for await (const src of followCaptureDirectory(dir, { follow: false, chunkBytes: 64, ...(recycle ? { recycleBuffers: true } : {}) })) {
      for await (const c of src.chunks) {
        copies.push(c.slice());
        buffers.push(c.buffer);
      }
    }
    return { bytes: Buffer.concat(copies), buffers };
  }

  it('reads every chunk of a file into one buffer when asked, a fresh buffer per chunk by default, the same bytes either way', async () => {
    const file = Buffer.concat([w.header(), ...Array.from({ length: 20 }, (_, i) => rec(i))]);
    await writeFile(join(dir, 'cap.pcap'), file);
    const fresh = await chunks(false);
    const recycled = await chunks(true);
    expect(fresh.bytes).toEqual(file);
    expect(recycled.bytes).toEqual(file);
    expect(fresh.buffers.length).toBe(Math.ceil(file.length / 64));
    expect(new Set(fresh.buffers).size).toBe(fresh.buffers.length);
    expect(new Set(recycled.buffers).size).toBe(1);
  });
});
