import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Conversation } from '../../netmon/conversations/index.js';
import type { CaptureRecord, NetmonStore } from '../../netmon/ports.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createNetmonRepository } from './netmon.js';

const capture = (id: string, finishedAt: string, over: Partial<CaptureRecord> = {}): CaptureRecord => ({
  id,
  name: `${id}.pcap`,
  kind: 'pcap',
  startedAt: finishedAt,
  finishedAt,
  bytes: 5_000_000_000,
  packets: 10,
  flows: 2,
  devices: 1,
  detections: 0,
  summary: { protocols: [{ protocol: 'dicom', flows: 1 }] },
  ingestedBy: 'tester',
  ...over,
});

const conv = (client: string, server: string, port: number, bytes: number, firstSeen: string, lastSeen: string): Conversation => ({
  client,
  server,
  port,
  transport: 'tcp',
  protocol: port === 104 ? 'dicom' : 'tls',
  flows: 1,
  packets: 4,
  bytes,
  firstSeen,
  lastSeen,
  firstFrame: 3,
});

describeEachEngine('netmon repository', (engine) => {
  let h: DatabaseHandle;
  let repo: NetmonStore;
  beforeEach(async () => {
    h = await engine.open();
    repo = createNetmonRepository(h.db, h.dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores a capture with its summary and counters above 32 bits', async () => {
    await repo.insertCapture(capture('cap_1', '2026-01-01T00:00:00.000Z', { firstSeen: '2025-12-31T23:00:00.000Z' }), []);
    expect(await repo.getCapture('cap_1')).toEqual(capture('cap_1', '2026-01-01T00:00:00.000Z', { firstSeen: '2025-12-31T23:00:00.000Z' }));
    expect(await repo.getCapture('nope')).toBeUndefined();
  });

  it('lists captures newest first with a keyset cursor', async () => {
    for (const [id, t] of [['a', '2026-01-01T00:00:00.000Z'], ['b', '2026-01-02T00:00:00.000Z'], ['c', '2026-01-02T00:00:00.000Z']] as const) await repo.insertCapture(capture(id, t), []);
    expect((await repo.listCaptures(2)).map((c) => c.id)).toEqual(['c', 'b']);
    expect((await repo.listCaptures(2, 'b')).map((c) => c.id)).toEqual(['a']);
  });

  it('sums conversations across captures, filters by endpoint and time, largest first', async () => {
    await repo.insertCapture(capture('c1', '2026-01-01T00:00:00.000Z'), [conv('10.0.0.5', '10.0.1.9', 104, 1000, '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z'), conv('10.0.0.7', '10.0.1.9', 443, 50, '2026-01-01T00:00:00.000Z', '2026-01-01T00:10:00.000Z')]);
    await repo.insertCapture(capture('c2', '2026-01-02T00:00:00.000Z'), [conv('10.0.0.5', '10.0.1.9', 104, 3000, '2026-01-02T00:00:00.000Z', '2026-01-02T02:00:00.000Z')]);
    const all = await repo.conversations({}, 10);
    expect(all[0]).toEqual({ ...conv('10.0.0.5', '10.0.1.9', 104, 4000, '2026-01-01T00:00:00.000Z', '2026-01-02T02:00:00.000Z'), flows: 2, packets: 8 });
    expect(all).toHaveLength(2);
    expect((await repo.conversations({ ips: ['10.0.0.7'] }, 10)).map((c) => c.port)).toEqual([443]);
    expect((await repo.conversations({ ips: ['10.0.1.9'], from: '2026-01-01T00:30:00.000Z' }, 10)).map((c) => c.port)).toEqual([104]);
    expect(await repo.conversations({ to: '2025-12-31T00:00:00.000Z' }, 10)).toEqual([]);
    expect(await repo.conversations({ ips: ["'; drop table netmon_captures; --"] }, 10)).toEqual([]);
  });

  it('rolls back a capture whose conversations fail to insert', async () => {
    const bad = { ...conv('a', 'b', 1, 1, 'x', 'y'), bytes: null as unknown as number };
    await expect(repo.insertCapture(capture('c9', '2026-01-01T00:00:00.000Z'), [conv('a', 'b', 2, 1, 'x', 'y'), bad])).rejects.toThrow();
    expect(await repo.getCapture('c9')).toBeUndefined();
    expect(await repo.conversations({}, 10)).toEqual([]);
  });

  it('keeps one baseline per name, replacing it', async () => {
    expect(await repo.getBaseline('default')).toBeUndefined();
    await repo.putBaseline('default', { v: 1, devices: [] }, '2026-01-01T00:00:00.000Z');
    await repo.putBaseline('default', { v: 1, devices: ['x'] }, '2026-01-02T00:00:00.000Z');
    expect(await repo.getBaseline('default')).toEqual({ json: { v: 1, devices: ['x'] }, updatedAt: '2026-01-02T00:00:00.000Z' });
  });
});
