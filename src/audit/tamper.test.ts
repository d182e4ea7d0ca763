/**
 * Tamper tests: an attacker with write access to the database (who can drop or disable the
 * append-only triggers) edits the log directly; verification must notice and name the first bad
 * index. The log has 40 entries and signed heads at 8, 16, 24, 32 and 40. Every case runs with
 * the hashing in the main thread and in the worker thread (verification batches of 7 entries so
 * that failures land across batch boundaries).
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../storage/index.js';
import { describeEachEngine } from '../storage/testing/engines.js';
import { recordFromEvent } from './encoding.js';
import { leafHash } from './merkle.js';
import type { AuditService } from './service.js';
import { auditServiceFor, sampleEvent } from './testing.js';

async function bypassTriggers(h: DatabaseHandle): Promise<void> {
  for (const table of ['audit_entries', 'audit_tree_heads', 'audit_nodes']) {
    if (h.dialect === 'sqlite') {
      await sql.raw(`DROP TRIGGER ${table}_no_update`).execute(h.db);
      await sql.raw(`DROP TRIGGER ${table}_no_delete`).execute(h.db);
    } else {
      await sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`).execute(h.db);
    }
  }
}

/** Renumbers seq >= from by delta in two steps so the primary key never collides midway. */
async function shift(h: DatabaseHandle, from: number, delta: number): Promise<void> {
  await sql`update audit_entries set seq = -seq - 1000000 where seq >= ${from}`.execute(h.db);
  await sql`update audit_entries set seq = -(seq + 1000000) + ${delta} where seq < 0`.execute(h.db);
}

for (const parallel of [false, true]) describeEachEngine(`audit log tamper detection, ${parallel ? 'worker' : 'inline'} hashing`, ({ open }) => {
  let h: DatabaseHandle;
  let audit: AuditService;
  beforeEach(async () => {
    h = await open();
    audit = auditServiceFor(h, { treeHeadInterval: 8, verifyParallel: parallel });
    for (let i = 0; i < 40; i++) await audit.record(sampleEvent(i));
    expect((await audit.verify({ batchSize: 7 })).ok).toBe(true);
  });
  afterEach(async () => h.close());

  it('the triggers refuse a direct edit until the attacker removes them', async () => {
    const edit = sql`update audit_entries set entry_json = replace(entry_json, '"action":"alert.acknowledge"', '"action":"x"') where seq = 13`;
    await expect(edit.execute(h.db)).rejects.toThrow(/append-only/);
    await bypassTriggers(h);
    await edit.execute(h.db);
    // filters read the entry text itself, so the edit shows up in searches exactly as it reads
    expect((await audit.list({ action: 'x' })).items.map((e) => e.seq)).toEqual([13]);
  });

  it("detects an entry whose content was edited and names its index", async () => {
    await bypassTriggers(h);
    await sql`update audit_entries set entry_json = replace(entry_json, '"name":"ana"', '"name":"mallory"') where seq = 13`.execute(h.db);
    const r = await audit.verify({ batchSize: 7 });
    expect(r).toMatchObject({ ok: false, firstBadIndex: 13, problem: 'content_mismatch', entries: 13 });
    expect(r.reason).toContain('entry 13');
  });

  it('detects a deleted entry as a gap at its index', async () => {
    await bypassTriggers(h);
    await sql`delete from audit_entries where seq = 13`.execute(h.db);
    expect(await audit.verify({ batchSize: 7 })).toMatchObject({ ok: false, firstBadIndex: 13, problem: 'sequence_gap' });
  });

  it('detects a deleted entry even when the later entries were renumbered to close the gap', async () => {
    await bypassTriggers(h);
    await sql`delete from audit_entries where seq = 13`.execute(h.db);
    await shift(h, 14, -1);
    expect(await audit.verify({ batchSize: 7 })).toMatchObject({ ok: false, firstBadIndex: 13, problem: 'entry_deleted' });
  });

  it('detects an inserted entry with a correctly computed hash and names its index', async () => {
    await bypassTriggers(h);
    await shift(h, 13, 1);
    const forged = recordFromEvent(13, '2025-06-01T08:00:13.500Z', { actor: { kind: 'user', id: 'user_mallory', name: 'mallory' }, action: 'device.update', targetType: 'device', targetId: 'pump-7' });
    const forgedHash = leafHash(forged.entryJson).toString('hex');
    await sql`insert into audit_entries (seq, entry_json, leaf_hash) values (13, ${forged.entryJson}, ${forgedHash})`.execute(h.db);
    const r = await audit.verify({ batchSize: 7 });
    expect(r).toMatchObject({ ok: false, firstBadIndex: 13, problem: 'entry_inserted' });
  });

  it('detects an entry appended past the end with a gap', async () => {
    await bypassTriggers(h);
    await sql`insert into audit_entries (seq, entry_json, leaf_hash) values (45, '{}', ${'00'.repeat(32)})`.execute(h.db);
    expect(await audit.verify({ batchSize: 7 })).toMatchObject({ ok: false, firstBadIndex: 40, problem: 'sequence_gap' });
  });

  it('detects two swapped entries at the first of them', async () => {
    await bypassTriggers(h);
    await sql`update audit_entries set seq = -1 where seq = 13`.execute(h.db);
    await sql`update audit_entries set seq = 13 where seq = 20`.execute(h.db);
    await sql`update audit_entries set seq = 20 where seq = -1`.execute(h.db);
    const r = await audit.verify({ batchSize: 7 });
    expect(r).toMatchObject({ ok: false, firstBadIndex: 13, problem: 'entry_moved' });
    expect(r.reason).toContain('written as entry 20');
  });

  it('detects a truncated tail against the last signed tree head', async () => {
    await bypassTriggers(h);
    await sql`delete from audit_entries where seq >= 35`.execute(h.db);
    const r = await audit.verify({ batchSize: 7 });
    expect(r).toMatchObject({ ok: false, firstBadIndex: 35, problem: 'truncated', entries: 35 });
    expect(r.reason).toContain('covers 40');
  });

  it('detects an edit whose stored leaf hash was recomputed too, against the signed root', async () => {
    await bypassTriggers(h);
    const edited = recordFromEvent(13, (await audit.getEntry(13)).time, { ...sampleEvent(13), after: { tampered: true } });
    const forgedHash = leafHash(edited.entryJson).toString('hex');
    await sql`update audit_entries set entry_json = ${edited.entryJson}, leaf_hash = ${forgedHash} where seq = 13`.execute(h.db);
    expect((await audit.getEntry(13)).after).toEqual({ tampered: true });
    const r = await audit.verify({ batchSize: 7 });
    // heads at 8 and 16 bracket the edit: index 8 is the first entry no signed head vouches for
    expect(r).toMatchObject({ ok: false, firstBadIndex: 8, problem: 'root_mismatch' });
    expect(r.reason).toContain('[8, 16)');
  });

  it('detects a tree head whose root was rewritten', async () => {
    await bypassTriggers(h);
    await sql`update audit_tree_heads set root_hash = ${'ab'.repeat(32)} where tree_size = 24`.execute(h.db);
    const r = await audit.verify({ batchSize: 7 });
    expect(r).toMatchObject({ ok: false, problem: 'tree_head_signature' });
    expect(r.treeHeadErrors[0]).toMatch(/size 24 .*signature does not verify/);
  });

  it('detects truncation with every stored head deleted, given a head kept outside the database', async () => {
    const kept = await audit.latestTreeHead();
    await bypassTriggers(h);
    await sql`delete from audit_tree_heads`.execute(h.db);
    await sql`delete from audit_entries where seq >= 30`.execute(h.db);
    expect((await audit.verify({ batchSize: 7 })).ok).toBe(true); // nothing inside the database says otherwise
    expect(await audit.verify({ treeHeads: [kept], batchSize: 7 })).toMatchObject({ ok: false, firstBadIndex: 30, problem: 'truncated' });
  });

  it('refuses to serve a proof over a tampered entry', async () => {
    await bypassTriggers(h);
    await sql`update audit_entries set entry_json = replace(entry_json, 'target-5', 'other') where seq = 5`.execute(h.db);
    await expect(audit.inclusionProof(5)).rejects.toMatchObject({ code: 'audit.log_corrupt' });
  });
});
