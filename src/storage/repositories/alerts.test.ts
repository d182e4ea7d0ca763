import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Alert } from '../../alerts/index.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createAlertRepository } from './alerts.js';

const alert = (n: number, over: Partial<Alert> = {}): Alert => ({
  id: `alr_${String(n).padStart(4, '0')}`,
  title: `Alert ${n}`,
  description: n % 2 === 0 ? 'Telnet to infusion pump' : 'SMB from imaging 100%_done',
  severity: n % 3 === 0 ? 'high' : 'low',
  status: 'open',
  source: n % 2 === 0 ? 'netmon' : 'vulns',
  category: 'cleartext-protocol',
  dedupKey: `key-${n}`,
  evidence: [{ kind: 'flow', ref: `flow-${n}`, detail: 'tcp/23' }],
  count: 1,
  firstSeen: '2025-01-01T00:00:00.000Z',
  lastSeen: '2025-01-01T00:00:00.000Z',
  createdAt: `2025-01-01T00:00:${String(Math.floor(n / 2)).padStart(2, '0')}.000Z`,
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...(n % 4 === 0 ? { deviceId: 'dev_pump' } : {}),
  ...over,
});

describeEachEngine('alert repository', ({ open }) => {
  let h: DatabaseHandle;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(async () => h.close());

  it('stores an alert and reads it back unchanged', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    const a = alert(1, { acknowledgedAt: '2025-01-02T00:00:00.000Z', acknowledgedBy: { id: 'user_1', name: 'ana' }, acknowledgeNote: 'looking', status: 'acknowledged' });
    expect(await repo.insert(a)).toBe(true);
    expect(await repo.get(a.id)).toEqual(a);
    expect(await repo.get('alr_missing')).toBeUndefined();
  });

  it('allows only one active alert per dedup key, but a new one once the old is resolved', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    expect(await repo.insert(alert(1, { dedupKey: 'same' }))).toBe(true);
    expect(await repo.insert(alert(2, { dedupKey: 'same' }))).toBe(false);
    expect((await repo.findActive('same'))?.id).toBe('alr_0001');
    expect(await repo.update('alr_0001', { status: 'resolved' }, ['open', 'acknowledged'])).toBe(true);
    expect(await repo.findActive('same')).toBeUndefined();
    expect(await repo.insert(alert(3, { dedupKey: 'same' }))).toBe(true);
    expect((await repo.findActive('same'))?.id).toBe('alr_0003');
  });

  it('finds the active alerts of many dedup keys in one call, leaving out resolved ones and keys without one', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    await repo.insert(alert(1, { dedupKey: 'a' }));
    await repo.insert(alert(2, { dedupKey: 'b' }));
    await repo.update('alr_0002', { status: 'resolved' }, ['open']);
    await repo.insert(alert(3, { dedupKey: 'c', status: 'acknowledged' }));
    const found = await repo.findActiveMany(['a', 'b', 'c', 'missing', 'a', "it's \"quoted\""]);
    expect([...found.keys()].sort()).toEqual(['a', 'c']);
    expect(found.get('a')).toEqual(await repo.findActive('a'));
    expect(found.get('c')?.id).toBe('alr_0003');
    expect((await repo.findActiveMany([])).size).toBe(0);
    // inside a transaction, as raiseMany uses it (the row locks PostgreSQL takes there are not observed here)
    expect(await repo.transaction(async (store) => [...(await store.findActiveMany(['c'])).keys()])).toEqual(['c']);
  });

  it('updates only from the expected status', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    await repo.insert(alert(1));
    expect(await repo.update('alr_0001', { status: 'acknowledged', acknowledgedBy: { id: 'u', name: 'U' } }, ['open'])).toBe(true);
    expect(await repo.update('alr_0001', { status: 'acknowledged' }, ['open'])).toBe(false);
    expect((await repo.get('alr_0001'))?.acknowledgedBy).toEqual({ id: 'u', name: 'U' });
    expect(await repo.update('alr_9999', { count: 2 }, ['open'])).toBe(false);
  });

  it('lists newest first with a keyset that survives equal timestamps, and filters', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    for (let n = 0; n < 12; n++) await repo.insert(alert(n));
    const first = await repo.list({}, undefined, 5);
    expect(first.map((a) => a.id)).toEqual(['alr_0011', 'alr_0010', 'alr_0009', 'alr_0008', 'alr_0007']);
    const last = first[first.length - 1]!;
    const next = await repo.list({}, { createdAt: last.createdAt, id: last.id }, 5);
    expect(next.map((a) => a.id)).toEqual(['alr_0006', 'alr_0005', 'alr_0004', 'alr_0003', 'alr_0002']);
    expect((await repo.list({ source: 'netmon', severity: ['high'] }, undefined, 50)).map((a) => a.id)).toEqual(['alr_0006', 'alr_0000']);
    expect(await repo.count({ deviceId: 'dev_pump' })).toBe(3);
    expect(await repo.count({ status: ['open', 'acknowledged'] })).toBe(12);
  });

  it('searches text case-insensitively and treats % and _ literally', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    for (let n = 0; n < 4; n++) await repo.insert(alert(n));
    expect(await repo.count({ q: 'TELNET' })).toBe(2);
    expect(await repo.count({ q: '100%_d' })).toBe(2);
    expect(await repo.count({ q: '100%x' })).toBe(0);
    expect(await repo.count({ q: 'key-3' })).toBe(1);
  });

  it('counts by status and severity', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    for (let n = 0; n < 6; n++) await repo.insert(alert(n));
    await repo.update('alr_0000', { status: 'resolved' }, ['open']);
    const rows = await repo.countBy();
    const get = (status: string, severity: string) => rows.find((r) => r.status === status && r.severity === severity)?.n ?? 0;
    expect(get('open', 'high')).toBe(1);
    expect(get('resolved', 'high')).toBe(1);
    expect(get('open', 'low')).toBe(4);
  });

  it('commits the caller work and its own writes together in a transaction', async () => {
    const repo = createAlertRepository(h.db, h.dialect);
    await expect(
      repo.transaction(async (store) => {
        await store.insert(alert(1));
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await repo.get('alr_0001')).toBeUndefined();
  });
});
