import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';
import { CaptureParser } from './parser.js';
import { concatBytes, PcapWriter, writePcap, type PcapRecordInput } from './testing/pcap-writer.js';
import type { CapturedPacket } from './types.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255);

const records: PcapRecordInput[] = [
  { ts: 1_700_000_000_123_456, nanos: 789, data: bytes(60, 1) },
  { ts: 1_700_000_001_000_001, nanos: 5, data: bytes(1514, 2), origLen: 1514 },
  { ts: 1_700_000_002_999_999, nanos: 999, data: bytes(96, 3), origLen: 1500 },
  { ts: 1_700_000_003_000_000, data: new Uint8Array(0) },
];

function parseAll(file: Uint8Array, chunkSize = file.length, opts = {}): CapturedPacket[] {
  const out: CapturedPacket[] = [];
  const parser = new CaptureParser((p) => out.push({ ...p, data: p.data.slice() }), opts);
  for (let i = 0; i < file.length; i += chunkSize) parser.push(file.subarray(i, i + chunkSize));
  parser.end();
  return out;
}

function catchCapture(fn: () => unknown): CaptureError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
  throw new Error('expected a CaptureError');
}

describe('classic pcap reader', () => {
  it('reads a little-endian microsecond capture with timestamps, lengths and link type', () => {
    const got = parseAll(writePcap(records, { linkType: 113 }));
    expect(got.map((p) => [p.frame, p.ts, p.tsNanos, p.caplen, p.origLen, p.linkType])).toEqual([
      [1, 1_700_000_000_123_456, 0, 60, 60, 113],
      [2, 1_700_000_001_000_001, 0, 1514, 1514, 113],
      [3, 1_700_000_002_999_999, 0, 96, 1500, 113],
      [4, 1_700_000_003_000_000, 0, 0, 0, 113],
    ]);
    expect(got[1]?.data).toEqual(records[1]?.data);
  });

  it('reads a big-endian nanosecond capture and keeps the nanoseconds', () => {
    const got = parseAll(writePcap(records, { littleEndian: false, nanosecond: true }));
    expect(got.map((p) => [p.ts, p.tsNanos])).toEqual([
      [1_700_000_000_123_456, 789],
      [1_700_000_001_000_001, 5],
      [1_700_000_002_999_999, 999],
      [1_700_000_003_000_000, 0],
    ]);
    expect(got[2]?.data).toEqual(records[2]?.data);
  });

  it('yields the same packets whatever the chunk size, including records split across chunks', () => {
    const file = writePcap(records, { nanosecond: true });
    const whole = parseAll(file);
    for (const size of [1, 2, 3, 5, 16, 17, 23, 24, 25, 100, 1513, 1600]) {
      expect(parseAll(file, size)).toEqual(whole);
    }
  });

  it('hands out records that lie inside one chunk as views of that chunk, without copying', () => {
    const file = writePcap(records);
    const views: Uint8Array[] = [];
    const parser = new CaptureParser((p) => views.push(p.data));
    parser.push(file);
    parser.end();
    expect(views.every((v) => v.buffer === file.buffer)).toBe(true);
  });

  it('keeps packets from earlier chunks intact after later chunks arrive', () => {
    const file = writePcap(records);
    const views: Uint8Array[] = [];
    const parser = new CaptureParser((p) => views.push(p.data));
    for (let i = 0; i < file.length; i += 37) parser.push(file.slice(i, i + 37));
    parser.end();
    expect(views.map((v) => Array.from(v))).toEqual(records.map((r) => Array.from(r.data)));
  });

  it('masks the FCS bits out of the link-type word', () => {
    const file = writePcap(records.slice(0, 1), { linkType: 1 | (1 << 26) | (4 << 28) });
    expect(parseAll(file)[0]?.linkType).toBe(1);
  });

  it('rejects a record larger than the limit, naming its byte offset', () => {
    const file = writePcap(records);
    const e = catchCapture(() => parseAll(file, file.length, { maxPacketBytes: 1000 }));
    expect(e.code).toBe('capture.record-too-large');
    expect(e.byteOffset).toBe(24 + 16 + 60);
    expect(e.message).toContain('byte offset 100');
  });

  it('reports a capture cut inside a record as truncated at that record', () => {
    const file = writePcap(records);
    const cut = file.subarray(0, 24 + 16 + 60 + 16 + 10);
    const seen: number[] = [];
    const parser = new CaptureParser((p) => seen.push(p.frame), { file: 'cut.pcap' });
    parser.push(cut);
    const e = catchCapture(() => parser.end());
    expect(seen).toEqual([1]);
    expect(e.code).toBe('capture.truncated');
    expect(e.byteOffset).toBe(100);
    expect(e.message).toMatch(/^cut\.pcap: .*byte offset 100/);
    expect(e.location).toEqual({ file: 'cut.pcap', byteOffset: 100 });
  });

  it('rejects a pcap whose major version is not 2', () => {
    const header = new PcapWriter().header();
    header[4] = 3;
    const e = catchCapture(() => parseAll(header));
    expect(e.code).toBe('capture.unsupported-version');
    expect(e.byteOffset).toBe(4);
  });

  it('rejects an empty stream and a stream shorter than the global header', () => {
    expect(catchCapture(() => parseAll(new Uint8Array(0))).code).toBe('capture.empty');
    expect(catchCapture(() => parseAll(new PcapWriter().header().subarray(0, 3))).code).toBe('capture.truncated');
    expect(catchCapture(() => parseAll(new PcapWriter().header().subarray(0, 10))).code).toBe('capture.truncated');
  });

  it('rejects bytes that are neither pcap nor pcapng, saying what they look like', () => {
    const e = catchCapture(() => parseAll(concatBytes([Uint8Array.of(0x1f, 0x8b, 8, 0), new Uint8Array(40)])));
    expect(e.code).toBe('capture.unknown-format');
    expect(e.message).toContain('gzip');
  });
});
