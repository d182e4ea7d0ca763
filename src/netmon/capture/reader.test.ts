import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';
import { CaptureParser } from './parser.js';
import { readPackets } from './reader.js';
import { concatBytes, writePcap } from './testing/pcap-writer.js';
import { PcapngWriter } from './testing/pcapng-writer.js';

const frame = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 255);

function samplePcap(): Uint8Array {
  return writePcap(
    Array.from({ length: 6 }, (_, i) => ({ ts: 1_700_000_000_000_000 + i * 1000, data: frame(40 + i * 30) })),
    { nanosecond: true },
  );
}

function samplePcapng(): Uint8Array {
  const w = new PcapngWriter();
  return concatBytes([
    w.shb(),
    w.idb({ linkType: 1 }),
    w.idb({ linkType: 101, tsresol: 9 }),
    w.nrb([{ addr: Uint8Array.of(10, 0, 0, 1), names: ['a'] }]),
    w.epb(0, 1_700_000_000_000_000_000n, frame(60)),
    w.epb(1, 1_700_000_000_000_000_500n, frame(70)),
    w.spb(frame(50)),
  ]);
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Parses arbitrary bytes; only a CaptureError may escape. Returns how many packets came out. */
function parseArbitrary(bytes: Uint8Array, chunk: number): number {
  let n = 0;
  const parser = new CaptureParser(() => n++, { maxPacketBytes: 4096, onNameRecord: () => undefined });
  try {
    for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
    parser.end();
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    expect(e.byteOffset).toBeGreaterThanOrEqual(0);
    expect(e.byteOffset).toBeLessThanOrEqual(bytes.length);
  }
  return n;
}

const mutated = (base: Uint8Array) =>
  fc
    .record({
      flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 12 }),
      cut: fc.nat(),
      chunk: fc.integer({ min: 1, max: 300 }),
    })
    .map(({ flips, cut, chunk }) => {
      const b = base.slice(0, base.length - (cut % 40));
      for (const f of flips) b[f.at % b.length] = f.value;
      return { bytes: b, chunk };
    });

describe('capture reader robustness', () => {
  it('turns random bytes into packets or a CaptureError, never anything else, and terminates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        // Every record or block is at least 12 bytes, so the packet count is bounded by the input.
        expect(parseArbitrary(bytes, chunk)).toBeLessThanOrEqual(bytes.length / 12);
      }),
      { numRuns: 500 },
    );
  });

  it('turns mutated pcap and pcapng captures into packets or a CaptureError', () => {
    for (const base of [samplePcap(), samplePcapng()]) {
      fc.assert(
        fc.property(mutated(base), ({ bytes, chunk }) => {
          expect(parseArbitrary(bytes, chunk)).toBeLessThanOrEqual(bytes.length / 12);
        }),
        { numRuns: 500 },
      );
    }
  });

  it('yields every packet before the fault, then throws the CaptureError', async () => {
    const file = samplePcap();
    const cut = file.subarray(0, file.length - 5);
    const frames: number[] = [];
    let error: unknown;
    try {
      for await (const p of readPackets(chunked(cut, 50))) frames.push(p.frame);
    } catch (e) {
      error = e;
    }
    expect(frames).toEqual([1, 2, 3, 4, 5]);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).code).toBe('capture.truncated');
  });

  it('yields packets as separate objects that stay valid after iteration moves on', async () => {
    const got = [];
    for await (const p of readPackets(chunked(samplePcapng(), 7))) got.push(p);
    expect(got.map((p) => [p.frame, p.linkType, p.caplen])).toEqual([
      [1, 1, 60],
      [2, 101, 70],
      [3, 1, 50],
    ]);
    expect(got[0]?.data).toEqual(frame(60));
    expect(got[1]?.data).toEqual(frame(70));
  });

  it('stops reading when the signal is aborted', async () => {
    const ac = new AbortController();
    const frames: number[] = [];
    for await (const p of readPackets(chunked(samplePcap(), 100), { signal: ac.signal })) {
      frames.push(p.frame);
      ac.abort();
    }
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(6);
  });
});
