import { describe, expect, it } from 'vitest';
import { CaptureParser } from './parser.js';
import { PcapWriter, concatBytes } from './testing/pcap-writer.js';
import type { CapturedPacket } from './types.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255);

function capture(): Uint8Array {
  const w = new PcapWriter();
  return concatBytes([w.header(), ...[60, 1514, 0, 97].map((n, i) => w.record({ ts: 1_700_000_000_000_000 + i, data: bytes(n, i) }))]);
}

describe('captured packet bytes', () => {
  it('tells where each packet lies in the chunk, and data views exactly those bytes', () => {
    const seen: string[] = [];
    const parser: CaptureParser = new CaptureParser((p) => {
      const where = parser.packetBytes.subarray(parser.packetStart, parser.packetEnd);
      expect(Array.from(p.data)).toEqual(Array.from(where));
      expect(p.data.buffer).toBe(parser.packetBytes.buffer);
      seen.push(`${p.frame}:${parser.packetEnd - parser.packetStart}`);
    });
    parser.push(capture());
    parser.end();
    expect(seen).toEqual(['1:60', '2:1514', '3:0', '4:97']);
  });

  it('gives copies made by spreading a packet its bytes, whatever the chunking', () => {
    for (const size of [1, 5, 64, 100_000]) {
      const copies: CapturedPacket[] = [];
      const parser = new CaptureParser((p) => copies.push({ ...p }));
      const file = capture();
      for (let i = 0; i < file.length; i += size) parser.push(file.subarray(i, i + size));
      parser.end();
      expect(copies.map((c) => Array.from(c.data))).toEqual([60, 1514, 0, 97].map((n, i) => Array.from(bytes(n, i))));
    }
  });

  it('keeps data the same object for the current packet, and lets a callback replace it', () => {
    const replacement = Uint8Array.of(1, 2, 3);
    const parser = new CaptureParser((p) => {
      expect(p.data).toBe(p.data);
      p.data = replacement;
      expect(p.data).toBe(replacement);
    });
    parser.push(capture());
    parser.end();
    expect(parser.packetCount).toBe(4);
  });
});
