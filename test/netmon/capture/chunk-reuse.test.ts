/**
 * readCapture and everything it feeds (decoder, fragment reassembly, flow tracking, TCP reassembly,
 * the dispatcher and every dissector) must be done with a chunk once it asks for the next: the file
 * sources recycle their read buffers. Checked by feeding captures through one buffer that is
 * overwritten with junk after every chunk, and comparing everything reported with a run on fresh
 * buffers: a view kept past its chunk would read junk and change the output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recycledFileSource, type ByteSource } from '../../../src/netmon/capture/index.js';
import { ethernet, ipv4Fragments, tcpFrame, udp } from '../../../src/netmon/capture/testing/frames.js';
import { PcapWriter, concatBytes } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { syntheticPackets } from '../../../src/netmon/capture/testing/synthetic-capture.js';
import { hl7Mllp } from '../../../src/netmon/capture/testing/synthetic-payloads.js';
import { readCaptureDissected } from '../../../src/netmon/pipeline/dissected.js';
import { assertPrerequisites, pcapDir, prerequisites } from './support.js';

/** The bytes in `size`-byte chunks, each a fresh copy the reader may keep. */
async function* freshChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += size) yield bytes.slice(off, off + size);
}

/** The bytes in `size`-byte chunks, all in one buffer that is filled with junk once the reader asks for more. */
async function* poisonedChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buf = new Uint8Array(size);
  for (let off = 0; off < bytes.length; off += size) {
    const n = Math.min(size, bytes.length - off);
    buf.set(bytes.subarray(off, off + n));
    yield buf.subarray(0, n);
    buf.fill(0xe7);
  }
}

/** Everything a dissected read reports, as JSON lines. */
async function dissectAll(bytes: ByteSource): Promise<string[]> {
  const out: string[] = [];
  const put = (tag: string, x: unknown) => out.push(tag + JSON.stringify(x, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
  const stats = await readCaptureDissected({ bytes, name: 'capture' }, {}, {
    onArp: (a, m) => put('arp', [a, m]),
    onFlowStart: (k, i) => put('start', [k, i]),
    onObservation: (o, id) => put('obs', [o, id]),
    onFlowEnd: (s, p) => put('end', [s, p]),
    onNameRecord: (r) => put('name', r),
  });
  put('stats', { ...stats, elapsedMs: 0 });
  return out;
}

/**
 * An HL7 flow whose first client segment is one byte, too little to recognise the protocol: the
 * dispatcher holds it until the rest arrives thousands of packets (many chunks) later.
 */
function splitHl7Flow(): Map<number, Uint8Array> {
  const [c, s, cp, sp] = ['10.9.0.7', '10.9.0.8', 41000, 2575];
  const msg = hl7Mllp(4242, false);
  const seq = 1000;
  return new Map([
    [100, tcpFrame(c, s, { sport: cp, dport: sp, seq, flags: 0x02 })],
    [101, tcpFrame(s, c, { sport: sp, dport: cp, seq: 5000, ack: seq + 1, flags: 0x12 })],
    [102, tcpFrame(c, s, { sport: cp, dport: sp, seq: seq + 1, ack: 5001, flags: 0x10 })],
    [103, tcpFrame(c, s, { sport: cp, dport: sp, seq: seq + 1, ack: 5001, flags: 0x18, payload: msg.subarray(0, 1) })],
    [3000, tcpFrame(c, s, { sport: cp, dport: sp, seq: seq + 2, ack: 5001, flags: 0x18, payload: msg.subarray(1) })],
  ]);
}

/** Synthetic medical traffic with a third of TCP segments reordered or resent, a held first segment and fragmented datagrams. */
function mixedCapture(): Uint8Array {
  const writer = new PcapWriter();
  const records: Uint8Array[] = [writer.header()];
  const extra = splitHl7Flow();
  let ts = 0;
  let i = 0;
  for (const p of syntheticPackets({ seed: 11, concurrency: 24, anomalyRate: 0.3 })) {
    if (i >= 6000) break;
    ts = p.ts;
    records.push(writer.record({ ts: p.ts, data: p.data }));
    const inserted = extra.get(i++);
    if (inserted) records.push(writer.record({ ts: p.ts, data: inserted }));
  }
  // A DNS query split into IPv4 fragments, held by reassembly across chunk boundaries.
  const dns = concatBytes([Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0), ...'pacs.hospital.example'.split('.').map((l) => concatBytes([Uint8Array.of(l.length), new TextEncoder().encode(l)])), Uint8Array.of(0, 0, 1, 0, 1)]);
  const dgram = udp({ sport: 40000, dport: 53, payload: dns });
  for (const frag of ipv4Fragments({ src: '10.9.0.5', dst: '10.9.0.53', proto: 17, payload: dgram, id: 77 }, 16)) {
    records.push(writer.record({ ts: (ts += 10), data: ethernet({ etherType: 0x0800, payload: frag }) }));
  }
  return concatBytes(records);
}

describe('chunks are not kept past the next read', () => {
  const capture = mixedCapture();

  it.each([977, 4096, 65_536])('synthetic traffic with reordering and fragments, %i-byte chunks: output identical on overwritten buffers', async (size) => {
    const expected = await dissectAll(freshChunks(capture, size));
    expect(expected.filter((l) => l.startsWith('obs')).length).toBeGreaterThan(1000);
    expect(expected.some((l) => l.startsWith('obs') && l.includes('pacs.hospital.example'))).toBe(true);
    expect(expected.some((l) => l.startsWith('obs') && l.includes('MSG4242') && l.includes('10.9.0.7'))).toBe(true);
    expect(await dissectAll(poisonedChunks(capture, size))).toEqual(expected);
  });

  const needs = { data: true };
  describe.runIf(prerequisites('chunk reuse on the shared captures', needs))('the shared public captures', () => {
    beforeAll(() => assertPrerequisites(needs));
    it.each(['dicom-dcmtk-loopback.pcap', 'hl7.pcap', 'mqtt.pcap', 'google_ssl.pcap', 'http.pcapng', 'dhcp-fuzz.pcapng'])('%s: output identical on overwritten 1500-byte chunks', async (name) => {
      const bytes = new Uint8Array(readFileSync(path.join(pcapDir, name)));
      const expected = await dissectAll(freshChunks(bytes, 1500));
      expect(expected.some((l) => l.startsWith('obs'))).toBe(true);
      expect(await dissectAll(poisonedChunks(bytes, 1500))).toEqual(expected);
    });
  });
});

describe('recycledFileSource', () => {
  let dir: string;
  let file: string;
  const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7 + (i >> 8)) & 255);
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cg-recycled-'));
    file = path.join(dir, 'data.bin');
    writeFileSync(file, bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('yields the whole file in order, alternating between two buffers', async () => {
    const copies: Uint8Array[] = [];
    const buffers: ArrayBufferLike[] = [];
    for await (const chunk of recycledFileSource(file, 3000)) {
      copies.push(chunk.slice());
      buffers.push(chunk.buffer);
    }
    expect(copies.map((c) => c.length)).toEqual([3000, 3000, 3000, 1000]);
    expect(concatBytes(copies)).toEqual(bytes);
    expect(buffers[2]).toBe(buffers[0]);
    expect(buffers[3]).toBe(buffers[1]);
    expect(buffers[1]).not.toBe(buffers[0]);
  });

  it('stops early without error when the reader breaks off', async () => {
    let seen = 0;
    for await (const chunk of recycledFileSource(file, 1024)) {
      seen += chunk.length;
      break;
    }
    expect(seen).toBe(1024);
  });

  it('an empty file yields nothing; a missing one fails naming the path', async () => {
    const empty = path.join(dir, 'empty.bin');
    writeFileSync(empty, new Uint8Array(0));
    const chunks: Uint8Array[] = [];
    for await (const c of recycledFileSource(empty)) chunks.push(c);
    expect(chunks).toEqual([]);
    await expect(async () => {
      for await (const _ of recycledFileSource(path.join(dir, 'absent.pcap'))) void _;
    }).rejects.toThrow(/absent\.pcap/);
  });
});
