/**
 * The files of a stored capture, from its record only: the file of `netmon ingest FILE`, one file of
 * a followed run (the record's frame F is the file's frame F - firstFrame + 1), the files of a
 * directory ingested as one capture; no file for uploads, stdin and flow logs; a file that is not
 * as it was ingested (size, modification time, gone) refused with netmon.capture_file_changed.
 */
import { rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource } from '../capture/index.js';
import { udpFrame } from '../capture/testing/frames.js';
import type { CaptureRecord } from '../ports.js';
import { recordedCaptureParts } from './capture-record.js';
import { prepareExtraction } from './extract.js';
import { parseFrameList } from './frame-ranges.js';
import { outputOf, packetsFrom, packetsOf, pcapFile, T0, tempDir, unnumbered } from './testing/support.js';

const dir = tempDir('cg-extract-record-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ ts: T0 + (from + i) * 1000, data: udpFrame('10.0.0.5', '10.0.0.9', 5000 + from + i, 514, Uint8Array.of(from + i)) }));

function identity(file: string) {
  const s = statSync(file);
  return { path: file, bytes: s.size, modifiedAt: new Date(Math.floor(s.mtimeMs)).toISOString() };
}

const record = (over: Partial<CaptureRecord>): CaptureRecord => ({
  id: 'cap_1',
  name: 'x',
  kind: 'capture',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: new Date(Date.now() + 60_000).toISOString(),
  bytes: 0,
  packets: 10,
  flows: 0,
  devices: 0,
  detections: 0,
  summary: {},
  ingestedBy: 'test',
  ...over,
});

async function extractFrames(c: CaptureRecord, frames: string) {
  const extraction = await prepareExtraction(recordedCaptureParts(c), { frames: parseFrameList(frames) }, { name: c.name });
  return { extraction, packets: unnumbered(await packetsOf(await outputOf(extraction))) };
}
const fileFrames = async (file: string, frames: number[]) => unnumbered((await packetsFrom(fileSource(file))).filter((p) => frames.includes(p.frame)));

describe('the files of a capture record', () => {
  it('reads the file a capture was ingested from, frames numbered as in it', async () => {
    const file = pcapFile(dir, 'one.pcap', records(10));
    const { packets } = await extractFrames(record({ source: identity(file) }), '2,9');
    expect(packets).toEqual(await fileFrames(file, [2, 9]));
  });

  it('numbers the frames of one file of a followed run as the file and its alert evidence do, and reports those outside it', async () => {
    const file = pcapFile(dir, 'ring-0042.pcap', records(10, 100));
    const c = record({ source: identity(file), packets: 10, summary: { segment: { session: 's', index: 3, final: false, firstFrame: 101, perFile: true, flowsCarriedIn: 0, flowsOpen: 0 } } });
    const { extraction, packets } = await extractFrames(c, '1-2,10,11');
    expect(packets).toEqual(await fileFrames(file, [1, 2, 10]));
    expect(extraction.summary.framesNotFound).toEqual([{ first: 11, last: 11 }]);
  });

  it('refuses a directory capture whose record lists only some of the files read, and one with a damaged file judged by its size once read', async () => {
    const a = pcapFile(dir, 'list-a.pcap', records(4));
    const b = pcapFile(dir, 'list-b.pcap', records(6, 4));
    const listed = [{ path: b, bytes: statSync(b).size, packets: 6, firstFrame: 5 }];
    expect(() => recordedCaptureParts(record({ summary: { files: listed, filesRead: 2 } }))).toThrow(/lists 1 of the 2 files read/);
    // a file whose read stopped at damage: the bytes read fall short of its size, which is what counts
    const sized = [
      { path: a, bytes: 100, size: statSync(a).size, modifiedAt: new Date(Math.floor(statSync(a).mtimeMs)).toISOString(), packets: 4, firstFrame: 1 },
      { path: b, bytes: statSync(b).size, packets: 6, firstFrame: 5 },
    ];
    const { packets } = await extractFrames(record({ summary: { files: sized, filesRead: 2 } }), '2,6');
    expect(packets).toEqual([...(await fileFrames(a, [2])), ...(await fileFrames(b, [2]))]);
  });

  it('reads the files of a directory ingested as one capture, each from its first frame', async () => {
    const a = pcapFile(dir, 'dir-a.pcap', records(4));
    const b = pcapFile(dir, 'dir-b.pcap', records(6, 4));
    const files = [
      { path: a, bytes: statSync(a).size, packets: 4, firstFrame: 1 },
      { path: b, bytes: statSync(b).size, packets: 6, firstFrame: 5 },
    ];
    const { packets } = await extractFrames(record({ summary: { files } }), '4-5,10');
    expect(packets).toEqual([...(await fileFrames(a, [4])), ...(await fileFrames(b, [1, 6]))]);
  });

  it.each([
    ['an upload (no file recorded)', record({}), /not read from a file/],
    ['a flow log', record({ kind: 'flow-log', source: { path: '/x/conn.log', bytes: 1, modifiedAt: '2026-01-01T00:00:00.000Z' } }), /flow-log/],
    ['a file recorded by a relative path', record({ source: { path: 'cap.pcap', bytes: 1, modifiedAt: '2026-01-01T00:00:00.000Z' } }), /relative path/],
    ['directory files recorded by relative paths', record({ summary: { files: [{ path: 'span/a.pcap', bytes: 1, packets: 1, firstFrame: 1 }] } }), /relative paths/],
  ])('has no file for %s: netmon.capture_no_file', (_what, c, message) => {
    expect(() => recordedCaptureParts(c)).toThrow(expect.objectContaining({ code: 'netmon.capture_no_file', status: 409, message: expect.stringMatching(message) }));
  });

  it('refuses a file whose size or modification time differ from the record with netmon.capture_file_changed', async () => {
    // whole seconds: a time set through utimes comes back exact
    const at = 1_767_000_000;
    const file = pcapFile(dir, 'rewritten.pcap', records(10));
    utimesSync(file, at, at);
    const was = identity(file);
    pcapFile(dir, 'rewritten.pcap', records(12));
    utimesSync(file, at, at);
    await expect(extractFrames(record({ source: was }), '1')).rejects.toThrow(expect.objectContaining({ code: 'netmon.capture_file_changed', status: 410, message: expect.stringContaining('bytes') }));
    pcapFile(dir, 'rewritten.pcap', records(10));
    utimesSync(file, at + 5, at + 5);
    await expect(extractFrames(record({ source: was }), '1')).rejects.toThrow(expect.objectContaining({ code: 'netmon.capture_file_changed', message: expect.stringContaining('modified') }));
    utimesSync(file, at, at);
    expect((await extractFrames(record({ source: was }), '1')).packets).toHaveLength(1);
  });

  it('refuses a file that is gone, and a directory file modified after the ingest finished', async () => {
    const gone = record({ source: { path: path.join(dir, 'deleted.pcap'), bytes: 100, modifiedAt: '2026-01-01T00:00:00.000Z' } });
    await expect(extractFrames(gone, '1')).rejects.toThrow(expect.objectContaining({ code: 'netmon.capture_file_changed', message: expect.stringContaining('ENOENT') }));
    const a = pcapFile(dir, 'late.pcap', records(4));
    const files = [{ path: a, bytes: statSync(a).size, packets: 4, firstFrame: 1 }];
    const finishedAt = new Date(statSync(a).mtimeMs - 60_000).toISOString();
    await expect(extractFrames(record({ finishedAt, summary: { files } }), '1')).rejects.toThrow(expect.objectContaining({ code: 'netmon.capture_file_changed', message: expect.stringContaining('after it was ingested') }));
  });
});
