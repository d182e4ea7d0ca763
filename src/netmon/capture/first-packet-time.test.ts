import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPacketTime, readFirstPacketTime, type FirstPacket } from './first-packet-time.js';
import { concatBytes, PcapWriter, writePcap } from './testing/pcap-writer.js';
import { PcapngWriter } from './testing/pcapng-writer.js';

const data = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 255);
/** 2023-11-14T22:13:20.123456789Z in ns */
const T = 1_700_000_000_123_456_789n;
const packet = (ts: number, tsNanos = 0): FirstPacket => ({ kind: 'packet', ts, tsNanos });

describe('first packet time of a pcap file', () => {
  for (const littleEndian of [true, false]) {
    const order = littleEndian ? 'little-endian' : 'big-endian';
    it(`reads a microsecond ${order} file's first record`, () => {
      const file = writePcap([{ ts: 1_700_000_000_123_456, data: data(60) }, { ts: 1_700_000_001_000_000, data: data(60) }], { littleEndian });
      expect(firstPacketTime(file)).toEqual(packet(1_700_000_000_123_456));
    });

    it(`reads a nanosecond ${order} file's first record, keeping the nanoseconds`, () => {
      const file = writePcap([{ ts: 1_700_000_000_123_456, nanos: 789, data: data(60) }], { littleEndian, nanosecond: true });
      expect(firstPacketTime(file)).toEqual(packet(1_700_000_000_123_456, 789));
    });
  }

  it('has no packet yet in an empty file, a header alone, a header cut short, or a first record cut short', () => {
    const w = new PcapWriter();
    const whole = concatBytes([w.header(), w.record({ ts: 1_700_000_000_000_000, data: data(100) })]);
    for (const n of [0, 3, 10, 24, 24 + 15, whole.length - 1]) expect(firstPacketTime(whole.subarray(0, n)), `${n} bytes`).toEqual({ kind: 'none' });
    expect(firstPacketTime(whole)).toEqual(packet(1_700_000_000_000_000));
  });

  it('calls bytes that are no capture unparseable, with the reader error code and the file name', () => {
    expect(firstPacketTime(new TextEncoder().encode('hello, not a capture'), 'junk.pcap')).toEqual({
      kind: 'unparseable',
      code: 'capture.unknown-format',
      message: expect.stringMatching(/^junk\.pcap: not a pcap or pcapng capture/),
    });
    const badVersion = new PcapWriter().header();
    badVersion[4] = 9;
    expect(firstPacketTime(badVersion)).toMatchObject({ kind: 'unparseable', code: 'capture.unsupported-version' });
  });
});

describe('first packet time of a pcapng file', () => {
  for (const littleEndian of [true, false]) {
    const order = littleEndian ? 'little-endian' : 'big-endian';
    it(`reads the first EPB of a ${order} section at the default microsecond resolution`, () => {
      const w = new PcapngWriter({ littleEndian });
      const file = concatBytes([w.shb(), w.idb({ linkType: 1 }), w.epb(0, T, data(60)), w.epb(0, T + 5_000_000n, data(60))]);
      expect(firstPacketTime(file)).toEqual(packet(1_700_000_000_123_456));
    });

    it(`honours if_tsresol and if_tsoffset of the packet's own interface in a ${order} section`, () => {
      const w = new PcapngWriter({ littleEndian });
      // Interface 1 counts nanoseconds from an offset of 100 s; the first packet is on it.
      const file = concatBytes([w.shb(), w.idb({ linkType: 1 }), w.idb({ linkType: 101, tsresol: 9, tsoffsetSec: 100 }), w.epb(1, T, data(40)), w.epb(0, T, data(40))]);
      expect(firstPacketTime(file)).toEqual(packet(1_700_000_100_123_456, 789));
    });

    it(`reads a binary (2^-20 s) resolution in a ${order} section`, () => {
      const w = new PcapngWriter({ littleEndian });
      const file = concatBytes([w.shb(), w.idb({ linkType: 1, tsresol: 0x80 | 20 }), w.epb(0, 1_700_000_000_500_000_000n, data(40))]);
      expect(firstPacketTime(file)).toEqual(packet(1_700_000_000_500_000));
    });
  }

  it('passes over simple packet blocks, which carry no time, and blocks that are not packets', () => {
    const w = new PcapngWriter();
    const file = concatBytes([w.shb(), w.idb({ linkType: 1 }), w.nrb([{ addr: Uint8Array.of(10, 0, 0, 1), names: ['pump-1'] }]), w.spb(data(60)), w.block(0x0bad, data(8)), w.epb(0, T, data(60))]);
    expect(firstPacketTime(file)).toEqual(packet(1_700_000_000_123_456));
    expect(firstPacketTime(concatBytes([w.shb(), w.idb({ linkType: 1 }), w.spb(data(60))]))).toEqual({ kind: 'none' });
  });

  it('has no packet yet in a section header alone or an interface block cut short', () => {
    const w = new PcapngWriter();
    const shb = w.shb();
    const idb = w.idb({ linkType: 1 });
    expect(firstPacketTime(shb)).toEqual({ kind: 'none' });
    expect(firstPacketTime(concatBytes([shb, idb.subarray(0, 10)]))).toEqual({ kind: 'none' });
  });

  it('calls a block with an impossible length unparseable, with where it is', () => {
    const w = new PcapngWriter();
    const bad = w.idb({ linkType: 1 });
    new DataView(bad.buffer).setUint32(4, 13, true);
    const file = concatBytes([w.shb(), bad]);
    expect(firstPacketTime(file)).toMatchObject({ kind: 'unparseable', code: 'capture.bad-block-length', message: expect.stringContaining('byte offset 28') });
  });
});

describe('firstPacketTime on arbitrary bytes', () => {
  it('never throws on random or mutated bytes, answering packet, none or unparseable', () => {
    const w = new PcapngWriter();
    const good = concatBytes([w.shb(), w.idb({ linkType: 1, tsresol: 9 }), w.epb(0, T, data(60))]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(good.length - 1), fc.nat(255), (random, at, value) => {
        expect(['packet', 'none', 'unparseable']).toContain(firstPacketTime(random).kind);
        const mutated = good.slice();
        mutated[at] = value;
        expect(['packet', 'none', 'unparseable']).toContain(firstPacketTime(mutated).kind);
      }),
    );
  });
});

describe('readFirstPacketTime', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'careguard-first-packet-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads further than its first 4 KiB when the first packet ends beyond them, and no further than the limit', async () => {
    const path = join(dir, 'jumbo.pcap');
    await writeFile(path, writePcap([{ ts: 1_700_000_000_000_001, data: data(9000) }]));
    expect(await readFirstPacketTime(path)).toEqual(packet(1_700_000_000_000_001));
    expect(await readFirstPacketTime(path, 8 * 1024)).toEqual({ kind: 'none' });
  });

  it('fails with the open error when the file cannot be opened', async () => {
    await expect(readFirstPacketTime(join(dir, 'absent.pcap'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
