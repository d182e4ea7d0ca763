/**
 * The file a capture record came from (migration 0007): stored and read back on both engines, and
 * found again only by the same path, size and modification time.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CaptureFileIdentity, CaptureRecord, NetmonStore } from '../../netmon/ports.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createNetmonRepository } from './netmon.js';

const capture = (id: string, finishedAt: string, source?: CaptureFileIdentity): CaptureRecord => ({
  id,
  name: source?.path ?? `${id}.pcap`,
  kind: 'capture',
  startedAt: finishedAt,
  finishedAt,
  bytes: 100,
  packets: 10,
  flows: 2,
  devices: 1,
  detections: 0,
  summary: {},
  ingestedBy: 'tester',
  ...(source ? { source } : {}),
});

// Above 32 bits: a rotated file of a busy SPAN port can pass 4 GiB.
const FILE: CaptureFileIdentity = { path: '/var/spool/careguard/cap.pcap2', bytes: 5_000_000_123, modifiedAt: '2026-03-01T10:00:00.123Z' };

describeEachEngine('netmon capture source', (engine) => {
  let h: DatabaseHandle;
  let repo: NetmonStore;
  beforeEach(async () => {
    h = await engine.open();
    repo = createNetmonRepository(h.db, h.dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores the source file of a capture and reads it back; captures without one have none', async () => {
    await repo.insertCapture(capture('c1', '2026-03-01T10:05:00.000Z', FILE), []);
    await repo.insertCapture(capture('c2', '2026-03-01T10:06:00.000Z'), []);
    expect((await repo.getCapture('c1'))?.source).toEqual(FILE);
    expect(await repo.getCapture('c2')).toEqual(capture('c2', '2026-03-01T10:06:00.000Z'));
    expect((await repo.listCaptures(5)).map((c) => [c.id, c.source?.path])).toEqual([
      ['c2', undefined],
      ['c1', FILE.path],
    ]);
  });

  it('finds a capture by exactly the same path, size and modification time, the newest when there are several', async () => {
    expect(await repo.findCaptureBySource(FILE)).toBeUndefined();
    await repo.insertCapture(capture('c1', '2026-03-01T10:05:00.000Z', FILE), []);
    await repo.insertCapture(capture('c3', '2026-03-02T10:05:00.000Z', FILE), []);
    expect((await repo.findCaptureBySource(FILE))?.id).toBe('c3');
    // A file rewritten in place (a ring buffer reusing names) differs in size or time: not the same file.
    expect(await repo.findCaptureBySource({ ...FILE, bytes: FILE.bytes + 1 })).toBeUndefined();
    expect(await repo.findCaptureBySource({ ...FILE, modifiedAt: '2026-03-01T10:00:00.124Z' })).toBeUndefined();
    expect(await repo.findCaptureBySource({ ...FILE, path: '/var/spool/careguard/cap.pcap3' })).toBeUndefined();
  });
});
