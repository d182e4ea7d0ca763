import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AuditEntryRecord } from '../../audit/index.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { AUDIT_FIELD_SQL } from '../migrations/0004-audit.js';
import { createAuditRepository } from './audit.js';

const record = (seq: number): AuditEntryRecord => ({
  seq,
  entryJson: JSON.stringify({
    action: seq % 3 === 0 ? 'device.update' : 'alert.acknowledge',
    actor: { id: seq % 2 === 0 ? 'user_even' : 'user_odd', kind: 'user', name: 'n' },
    seq,
    targetId: `t${seq % 5}`,
    targetType: seq % 3 === 0 ? 'device' : 'alert',
    time: `2025-03-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`,
  }),
  leafHash: seq.toString(16).padStart(64, '0'),
});

describeEachEngine('audit repository', ({ open, dialect }) => {
  let h: DatabaseHandle;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(async () => h.close());

  it('stores entries and reads them back unchanged, with seq as a number', async () => {
    const repo = createAuditRepository(h.db, h.dialect);
    expect(await repo.lastSeq()).toBe(-1);
    const rows = Array.from({ length: 1203 }, (_, i) => record(i));
    await repo.insertEntries(rows);
    expect(await repo.lastSeq()).toBe(1202);
    expect(await repo.getEntry(7)).toEqual(rows[7]);
    expect(await repo.getEntry(5000)).toBeUndefined();
    const scanned = await repo.scanEntries(99, 3);
    expect(scanned.map((r) => r.seq)).toEqual([100, 101, 102]);
    expect((await repo.leafHashes(10, 13)).map((r) => r.seq)).toEqual([10, 11, 12]);
  });

  it('filters by actor, action (exact and prefix), target and time, in either order with a keyset', async () => {
    const repo = createAuditRepository(h.db, h.dialect);
    await repo.insertEntries(Array.from({ length: 30 }, (_, i) => record(i)));
    const byActor = await repo.queryEntries({ actorId: 'user_even', order: 'desc', limit: 100 });
    expect(byActor.map((r) => r.seq)).toEqual([28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);
    expect(await repo.countEntries({ actorId: 'user_even' })).toBe(15);
    const prefix = await repo.queryEntries({ action: 'device.*', order: 'asc', limit: 3, afterSeq: 3 });
    expect(prefix.map((r) => r.seq)).toEqual([6, 9, 12]);
    expect(await repo.countEntries({ action: 'device.update' })).toBe(10);
    expect(await repo.countEntries({ action: 'device' })).toBe(0);
    const target = await repo.queryEntries({ targetType: 'alert', targetId: 't1', order: 'desc', limit: 10, afterSeq: 20 });
    expect(target.map((r) => r.seq)).toEqual([16, 11, 1]);
    expect(await repo.countEntries({ from: '2025-03-01T00:00:10.000Z', to: '2025-03-01T00:00:12.000Z' })).toBe(2);
  });

  it('answers field filters from the expression indexes over the entry text', async () => {
    const field = AUDIT_FIELD_SQL[dialect];
    const cases: Array<[string, string]> = [
      [field.actorId, 'audit_entries_actor'],
      [field.action, 'audit_entries_action'],
      [field.targetType, 'audit_entries_target'],
      [field.time, 'audit_entries_time'],
    ];
    await h.db.transaction().execute(async (trx) => {
      // tiny tables make a sequential scan cheaper; this asks whether the index can serve at all
      if (dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
      for (const [expr, index] of cases) {
        const plan = await sql<Record<string, unknown>>`${sql.raw(dialect === 'sqlite' ? 'explain query plan' : 'explain')} select seq from audit_entries where ${sql.raw(expr)} = 'x' order by seq desc limit 5`.execute(trx);
        expect(JSON.stringify(plan.rows), expr).toContain(index);
      }
    });
  });

  it('packs consecutive entries for bulk hashing (SQLite), or declines what it cannot pack as it is', async () => {
    const repo = createAuditRepository(h.db, h.dialect);
    if (dialect !== 'sqlite') {
      expect(repo.scanPacked).toBeUndefined(); // verification reads PostgreSQL row by row
      return;
    }
    const rows = Array.from({ length: 25 }, (_, i) => ({ ...record(i), entryJson: record(i).entryJson.replace('"n"', '"ñ€"') }));
    await repo.insertEntries(rows);
    const packed = (await repo.scanPacked!(9, 10))!;
    expect(packed).toMatchObject({ first: 10, count: 10 });
    const leaves = rows.slice(10, 20).map((r) => Buffer.concat([Buffer.alloc(1), Buffer.from(r.entryJson)]));
    expect(Buffer.from(packed.leaves)).toEqual(Buffer.concat(leaves));
    expect(packed.lengths).toBe(leaves.map((l) => l.length).join(','));
    expect(Buffer.from(packed.hashes).toString('hex')).toBe(rows.slice(10, 20).map((r) => r.leafHash).join(''));
    expect(await repo.scanPacked!(24, 10)).toMatchObject({ first: 25, count: 0 });

    await sql.raw('DROP TRIGGER audit_entries_no_delete').execute(h.db);
    await sql.raw('DROP TRIGGER audit_entries_no_update').execute(h.db);
    await sql`delete from audit_entries where seq = 15`.execute(h.db);
    expect(await repo.scanPacked!(9, 10)).toBeNull(); // a gap
    expect(await repo.scanPacked!(15, 5)).toMatchObject({ first: 16, count: 5 });
    await sql`update audit_entries set leaf_hash = 'zz' || substr(leaf_hash, 3) where seq = 17`.execute(h.db);
    expect(await repo.scanPacked!(15, 5)).toBeNull(); // not hex
    await sql`update audit_entries set leaf_hash = substr(leaf_hash, 3) where seq = 17`.execute(h.db);
    expect(await repo.scanPacked!(15, 5)).toBeNull(); // not 64 digits
  });

  it('keeps subtree nodes and tree heads, newest head by size then time', async () => {
    const repo = createAuditRepository(h.db, h.dialect);
    await repo.insertNodes([{ level: 8, index: 0, hash: 'aa'.repeat(32) }]);
    await repo.insertNodes([{ level: 8, index: 0, hash: 'bb'.repeat(32) }]);
    expect(await repo.getNode(8, 0)).toBe('aa'.repeat(32));
    expect(await repo.getNode(8, 1)).toBeUndefined();
    const head = (id: string, treeSize: number, timestamp: string) => ({ id, treeSize, timestamp, rootHash: 'cc'.repeat(32), keyId: 'k', signature: 's' });
    await repo.insertTreeHead(head('sth_a', 10, '2025-01-01T00:00:00.000Z'));
    await repo.insertTreeHead(head('sth_b', 20, '2025-01-01T00:00:00.000Z'));
    await repo.insertTreeHead(head('sth_c', 20, '2025-01-02T00:00:00.000Z'));
    expect((await repo.latestTreeHead())?.id).toBe('sth_c');
    expect((await repo.listTreeHeads()).map((x) => x.id)).toEqual(['sth_a', 'sth_b', 'sth_c']);
    expect((await repo.treeHeadsForSize(20)).map((x) => x.treeSize)).toEqual([20, 20]);
  });

  it('refuses UPDATE and DELETE on audit tables through triggers', async () => {
    const repo = createAuditRepository(h.db, h.dialect);
    await repo.insertEntries([record(0)]);
    await repo.insertNodes([{ level: 8, index: 0, hash: 'aa'.repeat(32) }]);
    await expect(sql`update audit_entries set leaf_hash = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_entries`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_nodes`.execute(h.db)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(sql`truncate audit_entries`.execute(h.db)).rejects.toThrow(/append-only/);
    expect(await repo.getEntry(0)).toEqual(record(0));
  });

  it('binds to a caller transaction and rolls back with it', async () => {
    const repo = createAuditRepository(h.db, h.dialect);
    expect(repo.bind(h.db)).toBeUndefined();
    expect(() => repo.bind({})).toThrow(/Kysely transaction/);
    await expect(
      h.db.transaction().execute(async (trx) => {
        const bound = repo.bind(trx)!;
        await bound.lockForAppend();
        await bound.insertEntries([record(0)]);
        expect(await bound.lastSeq()).toBe(0);
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await repo.lastSeq()).toBe(-1);
  });
});
