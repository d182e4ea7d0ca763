/**
 * analyzeCapture over a rotating capture directory: the files read in natural order as one capture
 * (the same report as one file of the same packets), per-file progress, following until aborted,
 * and the errors (no capture files, damage inside a file, a file gone before it was opened).
 */
import { appendFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/core/index.js';
import { analyzeCapture, type AnalyzeOptions, type AnalyzeProgress, type NetmonReport } from '../../../src/netmon/report.js';
import { pcapBytes, syntheticRecords, tempDir, waitFor, writeCapture, ZONES } from './support.js';

const options = (extra: AnalyzeOptions = {}): AnalyzeOptions => ({ name: 'capture', detection: { policy: ZONES }, ...extra });

/** What must not depend on how the packets were split into files. */
const essence = (r: NetmonReport) => ({
  packets: r.capture.packets,
  decoded: r.capture.decoded,
  flows: r.capture.flows,
  observations: r.capture.observations,
  devices: r.devices,
  protocols: r.protocols,
  findings: r.findings,
  detections: r.detections,
  topTalkers: r.topTalkers,
});

let dir: string;
beforeEach(() => {
  dir = tempDir('careguard-report-dir-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('analyzeCapture on a directory', () => {
  const records = syntheticRecords(3000);
  const parts = [records.slice(0, 1000), records.slice(1000, 2000), records.slice(2000)];

  it('reads cap.pcap, cap.pcap2, cap.pcap10 in natural order as one capture: the same report as one file of the same packets', async () => {
    const whole = writeCapture(path.join(tempDir('careguard-whole-'), 'whole.pcap'), records);
    // Written in an order that is neither natural nor lexical, so only natural order reads them right.
    writeCapture(path.join(dir, 'cap.pcap10'), parts[2]!);
    writeCapture(path.join(dir, 'cap.pcap'), parts[0]!);
    writeCapture(path.join(dir, 'cap.pcap2'), parts[1]!);
    writeFileSync(path.join(dir, 'README.txt'), 'not a capture');

    const expected = await analyzeCapture(whole, options());
    const got = await analyzeCapture(dir, options());

    expect(expected.detections?.length).toBeGreaterThan(10);
    expect(expected.devices.length).toBeGreaterThan(10);
    expect(essence(got)).toEqual(essence(expected));
    // Each rotated file carries its own 24-byte pcap header.
    expect(got.capture.bytes).toBe(expected.capture.bytes + 2 * 24);
    expect(got.capture.captureErrors).toEqual([]);
    expect(got.capture.files).toEqual([
      { path: path.join(dir, 'cap.pcap'), bytes: statSync(path.join(dir, 'cap.pcap')).size, size: statSync(path.join(dir, 'cap.pcap')).size, modifiedAt: expect.any(String), packets: 1000, firstFrame: 1 },
      { path: path.join(dir, 'cap.pcap2'), bytes: statSync(path.join(dir, 'cap.pcap2')).size, size: statSync(path.join(dir, 'cap.pcap2')).size, modifiedAt: expect.any(String), packets: 1000, firstFrame: 1001 },
      { path: path.join(dir, 'cap.pcap10'), bytes: statSync(path.join(dir, 'cap.pcap10')).size, size: statSync(path.join(dir, 'cap.pcap10')).size, modifiedAt: expect.any(String), packets: 1000, firstFrame: 2001 },
    ]);
    expect(expected.capture.files).toBeUndefined();
  });

  it('reports progress per file: the file being read, how many have started, bytes against the directory total', async () => {
    const names = ['cap.pcap', 'cap.pcap2', 'cap.pcap10'];
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const total = names.reduce((s, n) => s + statSync(path.join(dir, n)).size, 0);
    const seen: AnalyzeProgress[] = [];
    await analyzeCapture(dir, options({ onProgress: (p) => seen.push(p), progressIntervalMs: 0 }));
    const starts = seen.filter((p, i) => p.file !== seen[i - 1]?.file);
    expect(starts.map((p) => [p.file, p.files])).toEqual(names.map((n, i) => [path.join(dir, n), i + 1]));
    expect(seen.every((p) => p.totalBytes === total)).toBe(true);
    expect(seen[seen.length - 1]!.bytes).toBe(total);
  });

  it('follows the directory: reads a file written after the start, tails the newest, and finishes the report when aborted', async () => {
    writeCapture(path.join(dir, 'ring_00001.pcap'), parts[0]!);
    const ac = new AbortController();
    let packets = 0;
    const done = analyzeCapture(dir, options({ follow: true, signal: ac.signal, pollMs: 10, progressIntervalMs: 0, onProgress: (p) => (packets = p.packets) }));
    let report: NetmonReport;
    try {
      await waitFor(() => packets === 1000, 'the first file');
      writeCapture(path.join(dir, 'ring_00002.pcap'), parts[1]!);
      await waitFor(() => packets === 2000, 'the file written after the start');
      // The newest file grows while it is tailed.
      writeFileSync(path.join(dir, 'ring_00003.pcap'), pcapBytes(parts[2]!.slice(0, 500)));
      await waitFor(() => packets === 2500, 'the start of the newest file');
      appendFileSync(path.join(dir, 'ring_00003.pcap'), Buffer.concat(parts[2]!.slice(500)));
      await waitFor(() => packets === 3000, 'bytes appended to the newest file');
    } finally {
      ac.abort();
      report = await done;
    }
    expect(report.capture.packets).toBe(3000);
    expect(report.capture.files?.map((f) => [path.basename(f.path), f.packets])).toEqual([
      ['ring_00001.pcap', 1000],
      ['ring_00002.pcap', 1000],
      ['ring_00003.pcap', 1000],
    ]);
    expect(report.capture.captureErrors).toEqual([]);
    expect(report.detections?.length).toBeGreaterThan(10);
  });

  it('fails naming the directory and the name rule when it holds no capture files', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    writeFileSync(path.join(dir, '.hidden.pcap'), pcapBytes(parts[0]!));
    const err = await analyzeCapture(dir, options()).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('netmon.capture_not_found');
    expect((err as Error).message).toBe(`no capture files in directory ${dir} (names ending in .pcap, .pcapng or .cap, optionally followed by a rotation number (cap.pcap, cap.pcap1, ring_00001.pcapng))`);
  });

  it('following an empty directory waits for a first file; stopped before one appears, it fails saying none appeared', async () => {
    const ac = new AbortController();
    const done = analyzeCapture(dir, options({ follow: true, signal: ac.signal, pollMs: 10 })).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const err = await done;
    expect(isDomainError(err) && err.code).toBe('netmon.capture_not_found');
    expect((err as Error).message).toMatch(new RegExp(`^no capture files appeared in directory ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
  });

  it('reports damage inside a file with its file and byte offset, and still reads the files after it', async () => {
    writeCapture(path.join(dir, 'cap.pcap'), parts[0]!);
    // cap.pcap2: 200 good records, then a record cut short (a killed writer).
    const good = pcapBytes(parts[1]!.slice(0, 200));
    const cut = parts[1]![200]!;
    writeFileSync(path.join(dir, 'cap.pcap2'), Buffer.concat([good, cut.subarray(0, cut.length - 3)]));
    // cap.pcap3: not a capture at all.
    writeFileSync(path.join(dir, 'cap.pcap3'), 'this is not a capture file, whatever its name says');
    writeCapture(path.join(dir, 'cap.pcap10'), parts[2]!);

    const r = await analyzeCapture(dir, options());
    expect(r.capture.captureErrors).toEqual([
      expect.objectContaining({ code: 'capture.truncated', file: path.join(dir, 'cap.pcap2'), byteOffset: good.length }),
      expect.objectContaining({ code: 'capture.unknown-format', file: path.join(dir, 'cap.pcap3'), byteOffset: 0 }),
    ]);
    expect(r.capture.packets).toBe(1000 + 200 + 1000);
    expect(r.capture.files?.map((f) => [path.basename(f.path), f.packets])).toEqual([
      ['cap.pcap', 1000],
      ['cap.pcap2', 200],
      ['cap.pcap3', 0],
      ['cap.pcap10', 1000],
    ]);
  });

  it('reports a file that is gone before it is opened (a ring buffer deleting its oldest) and reads the rest', async () => {
    const names = ['cap.pcap', 'cap.pcap2', 'cap.pcap10'];
    names.forEach((n, i) => writeCapture(path.join(dir, n), parts[i]!));
    const doomed = path.join(dir, 'cap.pcap2');
    // Deleted when the reader announces it, i.e. after it was listed and before it is opened.
    const onProgress = (p: AnalyzeProgress) => {
      if (p.file === doomed) unlinkSync(doomed);
    };
    const r = await analyzeCapture(dir, options({ onProgress, progressIntervalMs: 60_000 }));
    expect(r.capture.captureErrors).toEqual([{ code: 'capture.unreadable', message: `${doomed} cannot be read: ENOENT`, byteOffset: 0, file: doomed }]);
    expect(r.capture.files?.map((f) => path.basename(f.path))).toEqual(['cap.pcap', 'cap.pcap10']);
    expect(r.capture.packets).toBe(2000);
  });

  it('refuses to follow a file or standard input', async () => {
    const file = writeCapture(path.join(dir, 'one.pcap'), parts[0]!);
    await expect(analyzeCapture(file, options({ follow: true }))).rejects.toMatchObject({ code: 'netmon.invalid_option', message: expect.stringContaining(`${file} is a file`) });
    await expect(analyzeCapture('-', options({ follow: true }))).rejects.toMatchObject({ code: 'netmon.invalid_option' });
  });

  it('still names a path that is neither a file nor a directory', async () => {
    await expect(analyzeCapture(path.join(dir, 'absent'), options())).rejects.toMatchObject({ code: 'netmon.capture_not_found', message: expect.stringContaining('absent does not exist') });
  });
});
