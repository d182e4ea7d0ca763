import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';
import { CaptureParser } from './parser.js';
import { concatBytes } from './testing/pcap-writer.js';
import { PcapngWriter } from './testing/pcapng-writer.js';
import type { CapturedPacket, NameRecord } from './types.js';

const payload = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 255);
const T = 1_700_000_000_123_456_789n; // ns

function parse(file: Uint8Array, chunk = file.length, onNameRecord?: (r: NameRecord) => void): CapturedPacket[] {
  const out: CapturedPacket[] = [];
  const parser = new CaptureParser((p) => out.push({ ...p, data: p.data.slice() }), { onNameRecord });
  for (let i = 0; i < file.length; i += chunk) parser.push(file.subarray(i, i + chunk));
  parser.end();
  return out;
}

function parseError(file: Uint8Array): CaptureError {
  try {
    parse(file);
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
  throw new Error('expected a CaptureError');
}

function twoInterfaces(littleEndian: boolean): Uint8Array {
  const w = new PcapngWriter({ littleEndian });
  return concatBytes([
    w.shb(),
    w.idb({ linkType: 1 }),
    w.idb({ linkType: 101, tsresol: 9 }),
    w.epb(0, T, payload(60, 1)),
    w.epb(1, T + 1n, payload(40, 2), 1400),
    w.epb(0, T + 2_000_000n, payload(61, 3)),
  ]);
}

describe('pcapng reader', () => {
  it('reads a capture with two interfaces of different link types and timestamp resolutions', () => {
    const got = parse(twoInterfaces(true));
    expect(got.map((p) => [p.frame, p.interfaceId, p.linkType, p.ts, p.tsNanos, p.caplen, p.origLen])).toEqual([
      [1, 0, 1, 1_700_000_000_123_456, 0, 60, 60],
      [2, 1, 101, 1_700_000_000_123_456, 790, 40, 1400],
      [3, 0, 1, 1_700_000_000_125_456, 0, 61, 61],
    ]);
    expect(got[1]?.data).toEqual(payload(40, 2));
  });

  it('reads a big-endian section exactly like a little-endian one', () => {
    const strip = (ps: CapturedPacket[]) => ps.map((p) => ({ ...p, byteOffset: 0 }));
    expect(strip(parse(twoInterfaces(false)))).toEqual(strip(parse(twoInterfaces(true))));
  });

  it('yields the same packets whatever the chunk size', () => {
    const file = twoInterfaces(true);
    const whole = parse(file);
    for (const size of [1, 3, 4, 11, 12, 13, 28, 64, 100]) expect(parse(file, size)).toEqual(whole);
  });

  it('reads simple packet blocks on interface 0 with the previous timestamp, cut to the snap length', () => {
    const w = new PcapngWriter();
    const file = concatBytes([w.shb(), w.idb({ linkType: 1, snaplen: 50 }), w.epb(0, T, payload(50, 1)), w.spb(payload(50, 2), 1500)]);
    const got = parse(file);
    expect(got[1]).toMatchObject({ frame: 2, interfaceId: 0, ts: 1_700_000_000_123_456, caplen: 50, origLen: 1500 });
    expect(got[1]?.data).toEqual(payload(50, 2));
  });

  it('reports name resolution records for IPv4 and IPv6 addresses', () => {
    const w = new PcapngWriter();
    const v6 = new Uint8Array(16);
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[2] = 0x0d;
    v6[3] = 0xb8;
    v6[15] = 1;
    const file = concatBytes([w.shb(), w.nrb([{ addr: Uint8Array.of(10, 0, 0, 1), names: ['pacs.example', 'pacs'] }, { addr: v6, names: ['modality.example'] }])]);
    const names: NameRecord[] = [];
    expect(parse(file, file.length, (r) => names.push(r))).toEqual([]);
    expect(names).toEqual([
      { ip: '10.0.0.1', names: ['pacs.example', 'pacs'] },
      { ip: '2001:db8::1', names: ['modality.example'] },
    ]);
  });

  it('skips blocks it does not interpret (statistics, custom)', () => {
    const w = new PcapngWriter();
    const file = concatBytes([w.shb(), w.idb({ linkType: 1 }), w.block(5, new Uint8Array(20)), w.block(0x40000bad, payload(7, 0)), w.epb(0, T, payload(60, 1))]);
    expect(parse(file).map((p) => p.frame)).toEqual([1]);
  });

  it('starts afresh at a new section, which may change byte order and interfaces', () => {
    const le = new PcapngWriter({ littleEndian: true });
    const be = new PcapngWriter({ littleEndian: false });
    const file = concatBytes([le.shb(), le.idb({ linkType: 1 }), le.epb(0, T, payload(60, 1)), be.shb(), be.idb({ linkType: 113, tsresol: 9 }), be.epb(0, T, payload(30, 2))]);
    expect(parse(file).map((p) => [p.frame, p.linkType, p.tsNanos])).toEqual([
      [1, 1, 0],
      [2, 113, 789],
    ]);
  });

  it('honours binary timestamp resolution and the interface timestamp offset', () => {
    const w = new PcapngWriter();
    // 2^-10 s units; offset of 1000 s added to every timestamp.
    const file = concatBytes([w.shb(), w.idb({ linkType: 1, tsresol: 0x80 | 10, tsoffsetSec: 1000 }), w.epb(0, 5_000_000_000n, payload(10, 0))]);
    const [p] = parse(file);
    // 5 s = 5120 units of 1/1024 s -> exactly 5 s, plus 1000 s offset.
    expect(p?.ts).toBe(1_005_000_000);
  });

  it('rejects a block whose trailing length differs from its leading length', () => {
    const file = twoInterfaces(true);
    const bad = file.slice();
    // Corrupt the trailing length of the second IDB.
    const shbLen = 28;
    const idb0 = 20;
    const idb1Start = shbLen + idb0;
    const idb1Len = new DataView(bad.buffer).getUint32(idb1Start + 4, true);
    new DataView(bad.buffer).setUint32(idb1Start + idb1Len - 4, idb1Len + 4, true);
    const e = parseError(bad);
    expect(e.code).toBe('capture.bad-block-length');
    expect(e.byteOffset).toBe(idb1Start);
  });

  it('rejects a block length that is not a multiple of 4 or is below 12', () => {
    const w = new PcapngWriter();
    const idb = w.idb({ linkType: 1 });
    const shb = w.shb();
    for (const len of [13, 8]) {
      const bad = concatBytes([shb, idb]);
      new DataView(bad.buffer).setUint32(shb.length + 4, len, true);
      const e = parseError(bad);
      expect(e.code).toBe('capture.bad-block-length');
      expect(e.byteOffset).toBe(shb.length);
    }
  });

  it('rejects a packet naming an interface the section has not described', () => {
    const w = new PcapngWriter();
    const shb = w.shb();
    const idb = w.idb({ linkType: 1 });
    const file = concatBytes([shb, idb, w.epb(3, T, payload(10, 0))]);
    const e = parseError(file);
    expect(e.code).toBe('capture.unknown-interface');
    expect(e.byteOffset).toBe(shb.length + idb.length);
  });

  it('rejects a packet whose captured length does not fit its block', () => {
    const w = new PcapngWriter();
    const head = concatBytes([w.shb(), w.idb({ linkType: 1 })]);
    const epb = w.epb(0, T, payload(12, 0));
    new DataView(epb.buffer).setUint32(20, 400, true);
    expect(parseError(concatBytes([head, epb])).code).toBe('capture.bad-block');
  });

  it('rejects a section header without a valid byte-order magic', () => {
    const w = new PcapngWriter();
    const shb = w.shb();
    shb[8] = 0;
    const e = parseError(shb);
    expect(e.code).toBe('capture.bad-block');
    expect(e.byteOffset).toBe(8);
  });
});
