import { appendFile, mkdir, mkdtemp, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_NAME, FirstPacketCache, followCaptureDirectory, listCaptureFiles, scanCaptureFiles } from './directory.js';
import { readPackets } from './reader.js';
import { PcapWriter } from './testing/pcap-writer.js';
import { PcapngWriter } from './testing/pcapng-writer.js';

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

  it('reads a capture file reached through a link (the file stored elsewhere), and skips dangling links and links to directories', async () => {
    const store = await mkdtemp(join(tmpdir(), 'careguard-follow-store-'));
    try {
      await writeFile(join(store, 'day1.pcap'), Buffer.concat([w.header(), rec(1)]));
      await symlink(join(store, 'day1.pcap'), join(dir, 'cap.pcap1'));
      await writeFile(join(dir, 'cap.pcap2'), Buffer.concat([w.header(), rec(2)]));
      await symlink(join(store, 'gone.pcap'), join(dir, 'cap.pcap3'));
      await mkdir(join(store, 'sub.pcap'));
      await symlink(join(store, 'sub.pcap'), join(dir, 'cap.pcap4'));
      const seen: string[] = [];
      await collect(followCaptureDirectory(dir, { follow: false }), seen);
      expect(seen).toEqual(['cap.pcap1:1', 'cap.pcap2:2']);
    } finally {
      await rm(store, { recursive: true, force: true });
    }
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

describe('ring buffers that reuse names', () => {
  /** A ring file's bytes: records with the given ids (and times), as `tcpdump -C -W` writes them. */
  const ring = (...ids: number[]) => Buffer.concat([w.header(), ...ids.map(rec)]);

  it('reads cap.pcap0 again once the ring wraps and rewrites it in place, after the files older than it, and so on around the ring', async () => {
    await writeFile(join(dir, 'cap.pcap0'), ring(1, 2));
    await writeFile(join(dir, 'cap.pcap1'), ring(3, 4));
    await writeFile(join(dir, 'cap.pcap2'), ring(5));
    const inode = (await stat(join(dir, 'cap.pcap0'))).ino;
    const ac = new AbortController();
    const seen: string[] = [];
    const done = collect(followCaptureDirectory(dir, { signal: ac.signal, pollMs: 10 }), seen);
    await waitFor(() => seen.length === 5);
    // The writer finishes cap.pcap2 and wraps: cap.pcap0 truncated and rewritten with newer packets.
    await appendFile(join(dir, 'cap.pcap2'), rec(6));
    await writeFile(join(dir, 'cap.pcap0'), ring(7, 8));
    expect((await stat(join(dir, 'cap.pcap0'))).ino).toBe(inode);
    await waitFor(() => seen.length === 8);
    // And on: cap.pcap1 rewritten next, so cap.pcap0 is complete.
    await appendFile(join(dir, 'cap.pcap0'), rec(9));
    await writeFile(join(dir, 'cap.pcap1'), ring(10));
    await waitFor(() => seen.length === 10);
    await new Promise((r) => setTimeout(r, 60));
    ac.abort();
    await done;
    expect(seen).toEqual(['cap.pcap0:1', 'cap.pcap0:2', 'cap.pcap1:3', 'cap.pcap1:4', 'cap.pcap2:5', 'cap.pcap2:6', 'cap.pcap0:7', 'cap.pcap0:8', 'cap.pcap0:9', 'cap.pcap1:10']);
  });

  it('starts over on the file being tailed when a restarted writer rewrites it in place, reading none of the new bytes as the old file\'s', async () => {
    await writeFile(join(dir, 'cap.pcap0'), ring(1, 2));
    const ac = new AbortController();
    const seen: string[] = [];
    const done = collect(followCaptureDirectory(dir, { signal: ac.signal, pollMs: 100 }), seen);
    await waitFor(() => seen.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    // While the follower waits at the end of cap.pcap0: truncated and rewritten past where it stopped.
    await writeFile(join(dir, 'cap.pcap0'), ring(7, 8, 9, 10));
    await waitFor(() => seen.length >= 6);
    await new Promise((r) => setTimeout(r, 150));
    ac.abort();
    await done;
    expect(seen).toEqual(['cap.pcap0:1', 'cap.pcap0:2', 'cap.pcap0:7', 'cap.pcap0:8', 'cap.pcap0:9', 'cap.pcap0:10']);
  });

  it('stops reading a file the ring rewrites in place while the reader is still in the middle of it, and reads the new version once, from its start', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    await writeFile(join(dir, 'cap.pcap0'), ring(...ids));
    const seen: string[] = [];
    // A slow reader: small chunks, and the writer wraps round to cap.pcap0 after its first packet.
    for await (const src of followCaptureDirectory(dir, { follow: false, chunkBytes: 40 })) {
      let rewrote = false;
      try {
        for await (const p of readPackets(src.chunks)) {
          seen.push(`${basename(src.path)}:${p.data[0]}`);
          if (!rewrote && p.data[0] === 1) {
            rewrote = true;
            await writeFile(join(dir, 'cap.pcap0'), ring(...ids.map((i) => i + 100)));
          }
        }
      } catch (e) {
        // the old version ends where the rewrite overtook the reader, possibly inside a record
        seen.push(`${basename(src.path)}:${(e as { code?: string }).code}`);
      }
    }
    const newVersion = seen.filter((s) => Number(s.split(':')[1]) > 100);
    // every packet of the new version once, in order, and none of its bytes read as the old file's
    expect(newVersion).toEqual(ids.map((i) => `cap.pcap0:${i + 100}`));
    expect(seen.slice(seen.length - ids.length)).toEqual(newVersion);
    expect(seen[0]).toBe('cap.pcap0:1');
    expect(seen.slice(1, seen.length - ids.length).every((s) => /^cap\.pcap0:(\d|1\d|20|capture\.truncated)$/.test(s))).toBe(true);
  });

  it('reads a wrapped ring found on disk oldest first, not in name order', async () => {
    await writeFile(join(dir, 'cap.pcap0'), ring(7, 8));
    await writeFile(join(dir, 'cap.pcap1'), ring(9));
    await writeFile(join(dir, 'cap.pcap2'), ring(5, 6));
    const seen: string[] = [];
    await collect(followCaptureDirectory(dir, { follow: false }), seen);
    expect(seen).toEqual(['cap.pcap2:5', 'cap.pcap2:6', 'cap.pcap0:7', 'cap.pcap0:8', 'cap.pcap1:9']);
  });

  it('reads files copied under names out of chronological order by their first packets', async () => {
    await writeFile(join(dir, 'monday.pcap'), ring(20, 21));
    await writeFile(join(dir, 'tuesday.pcap'), ring(10));
    await writeFile(join(dir, 'wednesday.pcapng'), (() => {
      const png = new PcapngWriter();
      return Buffer.concat([png.shb(), png.idb({ linkType: 1, tsresol: 9 }), png.epb(0, BigInt(1_700_000_000_000_015) * 1000n, Uint8Array.of(15, 15, 15))]);
    })());
    const seen: string[] = [];
    await collect(followCaptureDirectory(dir, { follow: false }), seen);
    expect(seen).toEqual(['tuesday.pcap:10', 'wednesday.pcapng:15', 'monday.pcap:20', 'monday.pcap:21']);
  });

  it('reads a file that is still being appended to once, through many polls, and does not take a late write to an older file for a new version', async () => {
    await writeFile(join(dir, 'ring_1.pcap'), ring(1));
    const ac = new AbortController();
    const seen: string[] = [];
    const done = collect(followCaptureDirectory(dir, { signal: ac.signal, pollMs: 5 }), seen);
    for (let id = 2; id <= 6; id++) {
      await new Promise((r) => setTimeout(r, 25));
      await appendFile(join(dir, 'ring_1.pcap'), rec(id));
    }
    await waitFor(() => seen.length === 6);
    await writeFile(join(dir, 'ring_2.pcap'), ring(7));
    await waitFor(() => seen.length === 7);
    // A write to the older file after the writer moved on: it only grew, so it is not read again.
    await appendFile(join(dir, 'ring_1.pcap'), rec(100));
    await new Promise((r) => setTimeout(r, 60));
    ac.abort();
    await done;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((id) => `ring_1.pcap:${id}`).concat('ring_2.pcap:7'));
  });

  it('is not held up by a header-only file left by an earlier run: it is read in its time, and the live files after it', async () => {
    await writeFile(join(dir, 'zzz-old.pcap'), w.header());
    await utimes(join(dir, 'zzz-old.pcap'), new Date('2023-11-14T22:13:20Z'), new Date('2023-11-14T22:13:20Z'));
    await writeFile(join(dir, 'ring_1.pcap'), ring(1));
    const ac = new AbortController();
    const seen: string[] = [];
    const done = collect(followCaptureDirectory(dir, { signal: ac.signal, pollMs: 10 }), seen);
    await waitFor(() => seen.length === 1);
    await appendFile(join(dir, 'ring_1.pcap'), rec(2));
    await waitFor(() => seen.length === 2);
    await writeFile(join(dir, 'ring_2.pcap'), ring(3));
    await waitFor(() => seen.length === 3);
    ac.abort();
    await done;
    expect(seen).toEqual(['ring_1.pcap:1', 'ring_1.pcap:2', 'ring_2.pcap:3']);
  });

  it('hands on a file that is no capture in its name place for the reader to report, and goes on with the rest', async () => {
    await writeFile(join(dir, 'cap.pcap1'), ring(1));
    await writeFile(join(dir, 'cap.pcap2'), 'garbage, not a capture');
    await writeFile(join(dir, 'cap.pcap3'), ring(3));
    const seen: string[] = [];
    const errors: string[] = [];
    for await (const src of followCaptureDirectory(dir, { follow: false })) {
      try {
        for await (const p of readPackets(src.chunks, { file: basename(src.path) })) seen.push(`${basename(src.path)}:${p.data[0]}`);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    expect(seen).toEqual(['cap.pcap1:1', 'cap.pcap3:3']);
    expect(errors).toEqual([expect.stringMatching(/^cap\.pcap2: not a pcap or pcapng capture/)]);
  });
});

describe('listCaptureFiles', () => {
  it('lists capture names, not other or hidden files; files without packets in natural order', async () => {
    for (const n of ['cap.pcap10', 'cap.pcap', 'cap.pcap2', 'notes.txt', '.cap.pcap3']) await writeFile(join(dir, n), '');
    expect(await listCaptureFiles(dir)).toEqual(['cap.pcap', 'cap.pcap2', 'cap.pcap10']);
    expect(await listCaptureFiles(dir, /\.txt$/)).toEqual(['notes.txt']);
  });

  it('lists files by the time of their first packet, pcap (µs, ns, either byte order) and pcapng (if_tsresol) alike', async () => {
    const ns = new PcapWriter({ nanosecond: true, littleEndian: false });
    const png = new PcapngWriter({ littleEndian: false });
    // Named against their order in time: only the first packets can order them.
    await writeFile(join(dir, 'a.pcap'), Buffer.concat([w.header(), rec(30)]));
    await writeFile(join(dir, 'b.pcap'), Buffer.concat([ns.header(), ns.record({ ts: 1_700_000_000_000_020, nanos: 500, data: Uint8Array.of(1) })]));
    await writeFile(join(dir, 'c.pcapng'), Buffer.concat([png.shb(), png.idb({ linkType: 1, tsresol: 9 }), png.epb(0, 1_700_000_000_000_020_400n, Uint8Array.of(1))]));
    await writeFile(join(dir, 'd.pcap'), Buffer.concat([w.header(), rec(5)]));
    expect(await listCaptureFiles(dir)).toEqual(['d.pcap', 'c.pcapng', 'b.pcap', 'a.pcap']);
  });

  it('lists garbage, a cut header and a damaged header without failing: no capture keeps its name place, a cut header comes last', async () => {
    await writeFile(join(dir, 'cap.pcap1'), Buffer.concat([w.header(), rec(9)]));
    await writeFile(join(dir, 'cap.pcap2'), 'garbage, not a capture');
    await writeFile(join(dir, 'cap.pcap3'), w.header().subarray(0, 10));
    const badVersion = w.header();
    badVersion[4] = 7;
    await writeFile(join(dir, 'cap.pcap4'), Buffer.concat([badVersion, rec(1)]));
    await writeFile(join(dir, 'cap.pcap5'), Buffer.concat([w.header(), rec(2)]));
    const files = await scanCaptureFiles(dir);
    expect(files.map((f) => [f.name, f.first.kind])).toEqual([
      ['cap.pcap5', 'packet'],
      ['cap.pcap2', 'unparseable'],
      ['cap.pcap1', 'packet'],
      ['cap.pcap4', 'unparseable'],
      ['cap.pcap3', 'none'],
    ]);
  });

  it('re-reads the start of a file only when it changed, and keeps only files still present', async () => {
    const cache = new FirstPacketCache();
    const when = new Date('2025-01-01T00:00:00Z');
    await writeFile(join(dir, 'a.pcap'), Buffer.concat([w.header(), rec(1)]));
    await utimes(join(dir, 'a.pcap'), when, when);
    await writeFile(join(dir, 'b.pcap'), Buffer.concat([w.header(), rec(2)]));
    expect((await scanCaptureFiles(dir, DEFAULT_CAPTURE_NAME, cache)).map((f) => f.name)).toEqual(['a.pcap', 'b.pcap']);
    // Rewritten in place with a later first packet, size and modification time kept: the cache answers.
    await writeFile(join(dir, 'a.pcap'), Buffer.concat([w.header(), rec(3)]));
    await utimes(join(dir, 'a.pcap'), when, when);
    expect((await scanCaptureFiles(dir, DEFAULT_CAPTURE_NAME, cache)).map((f) => f.name)).toEqual(['a.pcap', 'b.pcap']);
    // Once it is seen to change, its start is read again.
    await utimes(join(dir, 'a.pcap'), when, new Date(when.getTime() + 1000));
    expect((await scanCaptureFiles(dir, DEFAULT_CAPTURE_NAME, cache)).map((f) => f.name)).toEqual(['b.pcap', 'a.pcap']);
    await rm(join(dir, 'b.pcap'));
    await scanCaptureFiles(dir, DEFAULT_CAPTURE_NAME, cache);
    expect(cache.size).toBe(1);
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
