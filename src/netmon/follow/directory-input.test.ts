import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { udpFrame } from '../capture/testing/frames.js';
import { writePcap } from '../capture/testing/pcap-writer.js';
import { readCapture } from '../pipeline/read-capture.js';
import { CaptureDirectoryInput } from './directory-input.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-dirinput-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** file i holds i + 1 packets, all later than those of file i - 1 */
async function writeRing(files: number): Promise<void> {
  for (let i = 0; i < files; i++) {
    const records = Array.from({ length: i + 1 }, (_, k) => ({ ts: 1_700_000_000_000_000 + i * 1_000_000 + k, data: udpFrame('10.0.0.1', '10.0.0.2', 40000 + k, 514, new Uint8Array([i, k])) }));
    await writeFile(join(dir, `cap.pcap${i}`), writePcap(records));
  }
}

describe('CaptureDirectoryInput', () => {
  it('lists every file read with its packets and first frame', async () => {
    await writeRing(3);
    const input = await CaptureDirectoryInput.open(dir);
    const stats = await readCapture({ files: input.files() }, { onFile: (path, first) => input.onFile(path, first) });
    expect(stats.packets).toBe(6);
    expect(input.filesRead(stats.packets).map((f) => [f.path.slice(dir.length + 1), f.packets, f.firstFrame])).toEqual([
      ['cap.pcap0', 1, 1],
      ['cap.pcap1', 2, 2],
      ['cap.pcap2', 3, 4],
    ]);
    expect(input.filesDropped).toBe(0);
  });

  it('keeps only the most recent files of a long read, counting those it no longer lists', async () => {
    await writeRing(5);
    const input = await CaptureDirectoryInput.open(dir, { maxFilesKept: 2 });
    const stats = await readCapture({ files: input.files() }, { onFile: (path, first) => input.onFile(path, first) });
    expect(stats.packets).toBe(15);
    // the two listed still have their own packet counts and read-wide frame numbers
    expect(input.filesRead(stats.packets).map((f) => [f.path.slice(dir.length + 1), f.packets, f.firstFrame])).toEqual([
      ['cap.pcap3', 4, 7],
      ['cap.pcap4', 5, 11],
    ]);
    expect(input.filesDropped).toBe(3);
  });
});
