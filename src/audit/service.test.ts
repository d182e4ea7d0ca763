import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../storage/index.js';
import { describeEachEngine } from '../storage/testing/engines.js';
import { canonicalText, leafObject } from './encoding.js';
import { leafHash, rootOfLeafHashes, verifyConsistency, verifyInclusion } from './merkle.js';
import { checkTreeHeadSignature, trustedKeyMap } from './signing.js';
import { auditServiceFor, sampleEvent, testActor } from './testing.js';

const hex = (s: string) => Buffer.from(s, 'hex');

describeEachEngine('audit service', ({ open }) => {
  let h: DatabaseHandle;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(async () => h.close());

  it('appends entries with gapless seq from 0 and serves them as recorded', async () => {
    const audit = auditServiceFor(h);
    for (let i = 0; i < 5; i++) await audit.record(sampleEvent(i));
    const e = await audit.getEntry(1);
    expect(e).toMatchObject({ seq: 1, actor: testActor, action: 'alert.acknowledge', targetType: 'alert', targetId: 'target-1', before: { n: 1, status: 'open' } });
    expect(e.time).toBe('2025-06-01T08:00:01.000Z');
    // the served entry is enough to recompute its leaf hash
    expect(leafHash(canonicalText(leafObject(e))!).toString('hex')).toBe(e.leafHash);
    expect(await audit.treeSize()).toBe(5);
    await expect(audit.getEntry(5)).rejects.toMatchObject({ code: 'audit.entry.not_found', status: 404 });
  });

  it("commits an entry with the caller's transaction and drops it when that rolls back", async () => {
    const audit = auditServiceFor(h);
    await h.db.transaction().execute(async (trx) => {
      await audit.record(sampleEvent(0), trx);
    });
    await expect(
      h.db.transaction().execute(async (trx) => {
        await audit.record(sampleEvent(1), trx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await audit.record(sampleEvent(2), h.db);
    expect(await audit.treeSize()).toBe(2);
    expect((await audit.getEntry(1)).targetId).toBe('target-2');
    expect((await audit.verify()).ok).toBe(true);
  });

  it('builds the same tree from appends inside long transactions as from one append per transaction', async () => {
    // 700 entries: level-8 and level-9 subtrees complete inside a transaction, heads every 100
    const inTx = auditServiceFor(h, { treeHeadInterval: 100 });
    for (let start = 0; start < 700; start += 350) {
      await h.db.transaction().execute(async (trx) => {
        for (let i = start; i < start + 350; i++) await inTx.record(sampleEvent(i), trx);
      });
    }
    const report = await inTx.verify({ batchSize: 64 });
    expect(report).toMatchObject({ ok: true, entries: 700, treeHeadsChecked: 7 });
    const leaves = [];
    for (let i = 0; i < 700; i++) leaves.push(hex((await inTx.getEntry(i)).leafHash));
    expect(report.rootHash).toBe(rootOfLeafHashes(leaves).toString('hex'));
    // every persisted subtree root is the reference one
    const nodes = await sql<{ level: number; idx: number | string; hash: string }>`select level, idx, hash from audit_nodes`.execute(h.db);
    expect(nodes.rows.length).toBe(3); // 256-leaf blocks 0 and 1, and the 512-leaf subtree 0
    for (const n of nodes.rows) {
      const width = 2 ** n.level;
      expect(n.hash).toBe(rootOfLeafHashes(leaves, Number(n.idx) * width, (Number(n.idx) + 1) * width).toString('hex'));
    }
  });

  it('queues appends issued concurrently inside one caller transaction', async () => {
    const audit = auditServiceFor(h, { treeHeadInterval: 4 });
    await h.db.transaction().execute(async (trx) => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => audit.record(sampleEvent(i), trx)));
    });
    expect(await audit.treeSize()).toBe(10);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 10, treeHeadsChecked: 2 });
  });

  it('serializes concurrent appends so seq stays gapless and the log verifies', async () => {
    const audit = auditServiceFor(h, { treeHeadInterval: 16 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => audit.record(sampleEvent(i))));
    await Promise.all([audit.recordMany([sampleEvent(100), sampleEvent(101)]), audit.recordMany([sampleEvent(102)])]);
    expect(await audit.treeSize()).toBe(63);
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: true, entries: 63, treeHeadsChecked: 3 });
  });

  it('signs a tree head every interval and on demand, with a signature that checks out', async () => {
    const audit = auditServiceFor(h, { treeHeadInterval: 4 });
    await audit.recordMany(Array.from({ length: 9 }, (_, i) => sampleEvent(i)));
    const auto = await audit.latestTreeHead();
    expect(auto.treeSize).toBe(9);
    await audit.record(sampleEvent(9));
    const fresh = await audit.signTreeHead();
    expect(fresh.treeSize).toBe(10);
    const trusted = trustedKeyMap([audit.publicKey().publicKeyPem]);
    expect(checkTreeHeadSignature(fresh, trusted)).toBe('ok');
    expect(fresh.keyId).toBe(audit.publicKey().keyId);
  });

  it('builds the same tree as the reference MTH across persisted subtrees, with proofs that verify', async () => {
    const audit = auditServiceFor(h, { treeHeadInterval: 1000 });
    await audit.recordMany(Array.from({ length: 700 }, (_, i) => sampleEvent(i)));
    await audit.recordMany(Array.from({ length: 330 }, (_, i) => sampleEvent(700 + i)));
    const leaves: Buffer[] = [];
    for (const e of (await audit.list({ order: 'asc', limit: 1000 })).items) leaves.push(hex(e.leafHash));
    for (const e of (await audit.list({ order: 'asc', limit: 1000, cursor: '999' })).items) leaves.push(hex(e.leafHash));
    expect(leaves).toHaveLength(1030);
    const head = await audit.latestTreeHead();
    expect(head.treeSize).toBe(1030);
    expect(head.rootHash).toBe(rootOfLeafHashes(leaves).toString('hex'));

    for (const seq of [0, 1, 255, 256, 511, 700, 1023, 1024, 1029]) {
      const p = await audit.inclusionProof(seq);
      expect(p.treeSize).toBe(1030);
      expect(p.treeHead?.rootHash).toBe(p.rootHash);
      expect(verifyInclusion(hex(p.leafHash), seq, p.treeSize, p.auditPath.map(hex), hex(head.rootHash)), `seq ${seq}`).toBe(true);
    }
    for (const size of [1, 256, 300, 512, 777, 1029]) {
      const p = await audit.inclusionProof(size - 1, size);
      expect(verifyInclusion(hex(p.leafHash), size - 1, size, p.auditPath.map(hex), rootOfLeafHashes(leaves.slice(0, size))), `size ${size}`).toBe(true);
      const c = await audit.consistencyProof(size);
      expect(c.secondSize).toBe(1030);
      expect(c.firstRootHash).toBe(rootOfLeafHashes(leaves.slice(0, size)).toString('hex'));
      expect(verifyConsistency(size, 1030, hex(c.firstRootHash), hex(head.rootHash), c.consistencyPath.map(hex)), `from ${size}`).toBe(true);
    }
    const between = await audit.consistencyProof(300, 900);
    expect(verifyConsistency(300, 900, rootOfLeafHashes(leaves.slice(0, 300)), rootOfLeafHashes(leaves.slice(0, 900)), between.consistencyPath.map(hex))).toBe(true);
  });

  it('signs a head on demand when a proof is asked for an entry no head covers yet', async () => {
    const audit = auditServiceFor(h, { treeHeadInterval: 1000 });
    await audit.recordMany([sampleEvent(0), sampleEvent(1), sampleEvent(2)]);
    const p = await audit.inclusionProof(2);
    expect(p.treeSize).toBe(3);
    expect(p.treeHead?.treeSize).toBe(3);
  });

  it('rejects proofs outside the log with errors that name the bad value', async () => {
    const audit = auditServiceFor(h);
    await audit.recordMany([sampleEvent(0), sampleEvent(1)]);
    await expect(audit.inclusionProof(2)).rejects.toMatchObject({ code: 'audit.entry.not_found' });
    await expect(audit.inclusionProof(1, 1)).rejects.toMatchObject({ code: 'audit.invalid_tree_size', location: { pointer: '/treeSize' } });
    await expect(audit.inclusionProof(0, 3)).rejects.toThrow(/at most 2/);
    await expect(audit.consistencyProof(3)).rejects.toMatchObject({ location: { pointer: '/first' } });
    await expect(audit.consistencyProof(1, 5)).rejects.toMatchObject({ location: { pointer: '/second' } });
  });

  it('lists newest first with filters, a keyset cursor and an exact total', async () => {
    const audit = auditServiceFor(h);
    await audit.recordMany(Array.from({ length: 25 }, (_, i) => sampleEvent(i)));
    const first = await audit.list({ action: 'device.*', limit: 4 });
    expect(first.items.map((e) => e.seq)).toEqual([24, 21, 18, 15]);
    expect(first.total).toBe(9);
    const second = await audit.list({ action: 'device.*', limit: 4, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.seq)).toEqual([12, 9, 6, 3]);
    const last = await audit.list({ action: 'device.*', limit: 4, cursor: second.nextCursor! });
    expect(last.items.map((e) => e.seq)).toEqual([0]);
    expect(last.nextCursor).toBeUndefined();
    expect((await audit.list({ actorId: 'netmon', targetType: 'device' })).total).toBe(3);
    await expect(audit.list({ cursor: 'abc' })).rejects.toMatchObject({ code: 'audit.invalid_cursor', location: { pointer: '/cursor' } });
  });

  it('verifies a clean log and signs a head over exactly what it verified', async () => {
    const audit = auditServiceFor(h, { treeHeadInterval: 10 });
    for (let i = 0; i < 25; i++) await audit.record(sampleEvent(i));
    const report = await audit.verify({ signTreeHead: true, batchSize: 7 });
    expect(report).toMatchObject({ ok: true, entries: 25, treeHeadsChecked: 2, treeHeadErrors: [] });
    expect(report.signedTreeHead).toMatchObject({ treeSize: 25, rootHash: report.rootHash });
    expect((await audit.verify()).treeHeadsChecked).toBe(3);
  });

  it('verifies an empty log', async () => {
    const audit = auditServiceFor(h);
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: true, entries: 0, rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    const count = await sql<{ n: number }>`select count(*) as n from audit_entries`.execute(h.db);
    expect(Number(count.rows[0]!.n)).toBe(0);
  });
});
