/**
 * followAndIngest, the SPAN-port mode, on both storage engines: each completed file of a rotating
 * directory becomes its own capture, the newest waits for a newer file, a second run skips what was
 * ingested, a file that cannot be ingested is reported and passed over, the baseline carries over;
 * files are taken by first packet, not name, and a ring buffer that wraps has its rewritten files
 * ingested again.
 */
import { appendFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/index.js';
import { fileIdentity, followAndIngest, type FollowIngestOptions } from '../../../src/netmon/follow/ingest-directory.js';
import type { NetmonIngestResult } from '../../../src/netmon/service.js';
import type { DatabaseHandle } from '../../../src/storage/database.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';
import { netmonStack, syntheticRecords, tempDir, waitFor, writeCapture, type NetmonStack } from './support.js';

const actor: Actor = { kind: 'user', id: 'usr_test', name: 'tester' };
const records = syntheticRecords(1500);
const parts = [records.slice(0, 500), records.slice(500, 1000), records.slice(1000)];
/** The same kind of traffic a day later: what a ring buffer writes into a file it wraps around to. */
const later = syntheticRecords(1000, 3, 1_704_153_600_000_000);
const laterParts = [later.slice(0, 500), later.slice(500)];

describeEachEngine('followAndIngest', (engine) => {
  let h: DatabaseHandle;
  let stack: NetmonStack;
  let dir: string;
  beforeEach(async () => {
    h = await engine.open();
    stack = netmonStack(h);
    dir = tempDir('careguard-follow-ingest-');
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  /** Runs until stopped; returns the stop function and what was ingested so far. */
  function start(opts: FollowIngestOptions = {}) {
    const ac = new AbortController();
    const ingested: Array<[string, NetmonIngestResult]> = [];
    const skipped: string[] = [];
    const done = followAndIngest(dir, stack.netmon, actor, { signal: ac.signal, pollMs: 10, onIngested: (p, r) => ingested.push([p, r]), onSkipped: (p) => skipped.push(p), ...opts });
    return {
      ingested,
      skipped,
      stop: async () => {
        ac.abort();
        return done;
      },
    };
  }

  it('ingests each complete file as its own capture, the newest only once a newer file appears, and skips them on a second run', async () => {
    const [a, b, c] = ['cap.pcap', 'cap.pcap2', 'cap.pcap10'].map((n) => path.join(dir, n)) as [string, string, string];
    writeCapture(a, parts[0]!);
    writeCapture(b, parts[1]!);
    const run = start();
    try {
      await waitFor(() => run.ingested.length === 1, 'the first complete file');
      // cap.pcap2 is the newest: still being written as far as the follower knows.
      await new Promise((r) => setTimeout(r, 150));
      expect(run.ingested.map(([p]) => p)).toEqual([a]);
      writeCapture(c, parts[2]!);
      await waitFor(() => run.ingested.length === 2, 'cap.pcap2 once cap.pcap10 exists');
    } finally {
      const summary = await run.stop();
      expect(summary).toMatchObject({ ingested: 2, skipped: 0, failed: 0, packets: 1000 });
    }
    expect(run.ingested.map(([p, r]) => [p, r.report.capture.packets])).toEqual([
      [a, 500],
      [b, 500],
    ]);
    const captures = await stack.netmon.captures(10);
    expect(captures.map((x) => [x.name, x.packets, x.source])).toEqual([
      [b, 500, await fileIdentity(b)],
      [a, 500, await fileIdentity(a)],
    ]);
    expect(captures.every((x) => x.detections > 0)).toBe(true);

    const again = start();
    await waitFor(() => again.skipped.length === 2, 'the second run to pass over both files');
    const summary = await again.stop();
    expect(again.skipped).toEqual([a, b]);
    expect(again.ingested).toEqual([]);
    expect(summary).toMatchObject({ ingested: 0, skipped: 2 });
    expect(await stack.netmon.captures(10)).toHaveLength(2);
  });

  it('reports the backlog of complete files after each look and each file: 3, 2, 1, 0 for four files present', async () => {
    const names = ['cap.pcap', 'cap.pcap2', 'cap.pcap3', 'cap.pcap4', 'cap.pcap5'].map((n) => path.join(dir, n));
    names.forEach((p, i) => writeCapture(p, records.slice(i * 200, i * 200 + 200)));
    const backlog: number[] = [];
    const run = start({ onBacklog: (n) => backlog.push(n) });
    await waitFor(() => run.ingested.length === 4, 'the four complete files');
    await run.stop();
    // the first look: four complete files (the fifth is the newest), then one fewer after each
    expect(backlog.slice(0, 5)).toEqual([4, 3, 2, 1, 0]);
    // later looks find nothing new
    expect(backlog.slice(5).every((n) => n === 0)).toBe(true);
  });

  it('resumes the baseline across files: the second capture continues the learning window the first started', async () => {
    writeCapture(path.join(dir, 'ring_1.pcap'), parts[0]!);
    writeCapture(path.join(dir, 'ring_2.pcap'), parts[1]!);
    writeCapture(path.join(dir, 'ring_3.pcap'), parts[2]!);
    const run = start();
    await waitFor(() => run.ingested.length === 2, 'two files');
    await run.stop();
    const [first, second] = run.ingested.map(([, r]) => r.report.detection!.baseline);
    expect(first!.learnStart).toBeDefined();
    expect(second!.learnStart).toBe(first!.learnStart);
    expect(second!.devices).toBeGreaterThanOrEqual(first!.devices);
  });

  it('reports a file that cannot be ingested and goes on with the next', async () => {
    const junk = path.join(dir, 'cap.pcap');
    writeFileSync(junk, 'not a capture at all');
    writeCapture(path.join(dir, 'cap.pcap2'), parts[0]!);
    writeCapture(path.join(dir, 'cap.pcap3'), parts[1]!);
    const failed: Array<[string, string]> = [];
    const run = start({ onFailed: (p, e) => failed.push([p, e.code]) });
    await waitFor(() => run.ingested.length === 1, 'the good file after the junk');
    const summary = await run.stop();
    expect(failed).toEqual([[junk, 'netmon.unreadable_capture']]);
    expect(summary.files.map((f) => [path.basename(f.path), f.outcome])).toEqual([
      ['cap.pcap', 'failed'],
      ['cap.pcap2', 'ingested'],
    ]);
    // Not recorded, so it is tried (and reported) again next time rather than silently forgotten.
    expect((await stack.netmon.captures(10)).map((c) => path.basename(c.name))).toEqual(['cap.pcap2']);
  });

  it('ingests a ring that wraps: a file rewritten in place with newer packets is ingested again once complete, after the files older than it', async () => {
    const [c0, c1, c2] = ['cap.pcap0', 'cap.pcap1', 'cap.pcap2'].map((n) => path.join(dir, n)) as [string, string, string];
    writeCapture(c0, parts[0]!);
    writeCapture(c1, parts[1]!);
    writeCapture(c2, parts[2]!);
    const inode = statSync(c0).ino;
    const run = start();
    try {
      await waitFor(() => run.ingested.length === 2, 'cap.pcap0 and cap.pcap1');
      // The ring wraps: cap.pcap0 truncated and rewritten; cap.pcap2 is now complete, cap.pcap0 the newest.
      writeCapture(c0, laterParts[0]!);
      expect(statSync(c0).ino).toBe(inode);
      await waitFor(() => run.ingested.length === 3, 'cap.pcap2 once the ring wrapped');
      await new Promise((r) => setTimeout(r, 150));
      expect(run.ingested).toHaveLength(3);
      writeCapture(c1, laterParts[1]!);
      await waitFor(() => run.ingested.length === 4, 'the new cap.pcap0 once cap.pcap1 was rewritten');
    } finally {
      await run.stop();
    }
    expect(run.ingested.map(([p, r]) => [path.basename(p), r.report.capture.packets])).toEqual([
      ['cap.pcap0', 500],
      ['cap.pcap1', 500],
      ['cap.pcap2', 500],
      ['cap.pcap0', 500],
    ]);
    // Oldest first, the rewritten cap.pcap0 with its packets of the next day.
    const starts = run.ingested.map(([, r]) => r.report.capture.firstSeen!);
    expect([...starts].sort()).toEqual(starts);
    expect(starts.map((s) => s.slice(0, 10))).toEqual(['2024-01-01', '2024-01-01', '2024-01-01', '2024-01-02']);
    expect(await stack.netmon.captures(10)).toHaveLength(4);

    // A restart knows the complete files from their capture records, the wrapped one included.
    const again = start();
    await waitFor(() => again.skipped.length === 2, 'the second run to pass over cap.pcap2 and the new cap.pcap0');
    await again.stop();
    expect(again.skipped).toEqual([c2, c0]);
    expect(again.ingested).toEqual([]);
  });

  it('ingests files named out of chronological order oldest first, the newest by first packet waiting', async () => {
    writeCapture(path.join(dir, 'z.pcap'), parts[0]!);
    writeCapture(path.join(dir, 'm.pcap'), parts[1]!);
    writeCapture(path.join(dir, 'a.pcap'), parts[2]!);
    const run = start();
    await waitFor(() => run.ingested.length === 2, 'the two older files');
    await new Promise((r) => setTimeout(r, 150));
    await run.stop();
    expect(run.ingested.map(([p]) => path.basename(p))).toEqual(['z.pcap', 'm.pcap']);
  });

  it('ingests a file being appended to once, when a newer file exists, and not again when it grows after that', async () => {
    const growing = path.join(dir, 'ring_1.pcap');
    writeCapture(growing, parts[0]!.slice(0, 100));
    const run = start();
    try {
      for (let i = 100; i < 500; i += 100) {
        await new Promise((r) => setTimeout(r, 40));
        appendFileSync(growing, Buffer.concat(parts[0]!.slice(i, i + 100)));
      }
      expect(run.ingested).toEqual([]);
      writeCapture(path.join(dir, 'ring_2.pcap'), parts[1]!);
      await waitFor(() => run.ingested.length === 1, 'ring_1.pcap once ring_2.pcap exists');
      // A late write to the complete file: the same file, grown, not a new one.
      appendFileSync(growing, Buffer.concat(parts[2]!.slice(0, 10)));
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      await run.stop();
    }
    expect(run.ingested.map(([p, r]) => [path.basename(p), r.report.capture.packets])).toEqual([['ring_1.pcap', 500]]);
  });

  it('fails at once on a directory that does not exist', async () => {
    await expect(followAndIngest(path.join(dir, 'nope'), stack.netmon, actor)).rejects.toMatchObject({ code: 'netmon.capture_not_found', message: expect.stringContaining('nope does not exist or is not a directory') });
  });
});
