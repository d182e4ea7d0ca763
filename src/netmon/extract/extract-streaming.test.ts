/**
 * Extraction as a stream: reading stops after the last frame wanted, memory stays bounded however
 * large the capture (a 512 MB capture generated as it is read, never held), and the limits refuse a
 * selection before anything is written, naming the limit.
 */
import { describe, expect, it } from 'vitest';
import { udpFrame } from '../capture/testing/frames.js';
import { PcapWriter } from '../capture/testing/pcap-writer.js';
import { prepareExtraction } from './extract.js';
import { parseFlowSelector } from './flow-selector.js';
import { parseFrameList } from './frame-ranges.js';
import type { CapturePart } from './model.js';
import { outputOf, packetsOf, T0 } from './testing/support.js';

const RECORD = 1024;
const PER_CHUNK = 4096;
const writer = new PcapWriter();
/** one packet in every FLOW_EVERY belongs to the flow the tests select */
const FLOW_EVERY = 1000;

/** 4 MiB of whole 1 KiB records: record i is of the flow when i % FLOW_EVERY === 0 */
function templateChunk(): Uint8Array {
  const out = new Uint8Array(RECORD * PER_CHUNK);
  for (let i = 0; i < PER_CHUNK; i++) {
    const flow = i % FLOW_EVERY === 0;
    const frame = udpFrame(flow ? '10.0.0.5' : '10.0.1.5', '10.0.0.9', 5000, 514, new Uint8Array(1024 - 16 - 42).fill(i & 0xff));
    writer.recordInto({ ts: T0 + i, data: frame }, out, i * RECORD);
  }
  return out;
}

interface Counted extends CapturePart {
  chunksRead: number;
  peakArrayBuffers: number;
}

/** A capture of `chunks` 4 MiB chunks made as it is read, each chunk a fresh buffer the reader may keep or let go. */
function generatedCapture(chunks: number, chunkBytes?: number): Counted {
  const template = templateChunk();
  const part: Counted = {
    name: 'generated.pcap',
    chunksRead: 0,
    peakArrayBuffers: 0,
    open: async function* () {
      yield writer.header();
      for (let c = 0; c < chunks; c++) {
        part.chunksRead++;
        part.peakArrayBuffers = Math.max(part.peakArrayBuffers, process.memoryUsage().arrayBuffers);
        if (chunkBytes === undefined) yield template.slice();
        else for (let at = 0; at < template.length; at += chunkBytes) yield template.slice(at, at + chunkBytes);
      }
    },
  };
  return part;
}

describe('extraction as a stream', () => {
  it('stops reading once past the last frame wanted, in both reads', async () => {
    const part = generatedCapture(64, 64 * 1024);
    const extraction = await prepareExtraction([part], { frames: parseFrameList('1-3,70') }, { name: part.name });
    // frame 70 is in the second 64 KiB chunk
    expect(part.chunksRead).toBeLessThanOrEqual(2);
    const out = await outputOf(extraction);
    expect(part.chunksRead).toBeLessThanOrEqual(4);
    expect((await packetsOf(out)).length).toBe(4);
  });

  it('reads a 512 MB capture for a flow in bounded memory', async () => {
    global.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    const part = generatedCapture(128);
    const extraction = await prepareExtraction([part], { flow: parseFlowSelector('udp 10.0.0.5:5000 10.0.0.9:514') }, { name: part.name });
    const perChunk = Math.ceil(PER_CHUNK / FLOW_EVERY);
    expect(extraction.summary.packets).toBe(128 * perChunk);
    let written = 0;
    for await (const c of extraction.chunks()) written += c.length;
    expect(written).toBe(extraction.summary.bytes);
    expect(part.chunksRead).toBe(256);
    // what was read (512 MB, twice) is let go chunk by chunk: far less than one read is ever held
    expect(part.peakArrayBuffers - before).toBeLessThan(160 * 1024 * 1024);
  }, 60_000);

  it('refuses a selection of more packets than the limit, naming it, before writing anything', async () => {
    const part = generatedCapture(1, 64 * 1024);
    const refusal = prepareExtraction([part], { frames: parseFrameList('1-10') }, { name: part.name, limits: { maxPackets: 5, maxBytes: 1 << 30 } });
    await expect(refusal).rejects.toThrow(expect.objectContaining({ code: 'netmon.extract_too_large', status: 422, details: { limit: 'packets', max: 5 }, message: expect.stringContaining('more than 5 packets') }));
  });

  it('refuses a selection larger than the byte limit, naming it', async () => {
    const part = generatedCapture(1, 64 * 1024);
    const refusal = prepareExtraction([part], { frames: parseFrameList('1-100') }, { name: part.name, limits: { maxPackets: 1000, maxBytes: 50 * RECORD } });
    await expect(refusal).rejects.toThrow(expect.objectContaining({ code: 'netmon.extract_too_large', details: { limit: 'bytes', max: 50 * RECORD }, message: expect.stringContaining('more than 51,200 bytes') }));
  });

  it('writes a selection exactly at the limits', async () => {
    const part = generatedCapture(1, 64 * 1024);
    const extraction = await prepareExtraction([part], { frames: parseFrameList('1-5') }, { name: part.name, limits: { maxPackets: 5, maxBytes: 24 + 5 * RECORD } });
    expect(extraction.summary).toMatchObject({ packets: 5, bytes: 24 + 5 * RECORD });
  });
});
