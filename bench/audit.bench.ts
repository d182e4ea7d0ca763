/**
 * @module Audit log benchmark: append rate into SQLite (batched in transactions as a busy server
 * commits, bulk recordMany, and one append per transaction), time to verify the whole log (best of
 * two runs, both printed), and proof generation times at that size. Reference in the same run: the
 * SHA-256 work verification cannot avoid, hashed on one thread (hashingOnlyMsReference).
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditService, generateSigningKey, leafHash, verifyConsistency, verifyInclusion, type AuditEventInput } from '../src/audit/index.js';
import { recordFromEvent } from '../src/audit/encoding.js';
import { migrateToLatest, openDatabase } from '../src/storage/index.js';
import { createAuditRepository } from '../src/storage/repositories/audit.js';

const event = (i: number): AuditEventInput => ({
  actor: { kind: 'user', id: `user_${i % 50}`, name: `analyst${i % 50}`, role: 'security_analyst', ip: '10.20.30.40', requestId: `req-${i}` },
  action: i % 3 === 0 ? 'device.update' : 'alert.acknowledge',
  targetType: i % 3 === 0 ? 'device' : 'alert',
  targetId: `dev_${(i % 20000).toString(36).padStart(8, '0')}`,
  before: { status: 'in-service', firmwareVersion: '4.2.1', unit: 'ICU-3' },
  after: { status: 'maintenance', firmwareVersion: '4.2.2', unit: 'ICU-3' },
});

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
/** process CPU time (all threads), ms: steadier than wall time on a shared machine */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const hex = (s: string) => Buffer.from(s, 'hex');

/**
 * Reference measured in the same run: the SHA-256 work verification cannot avoid, on one thread:
 * one leaf hash over 0x00 || a 400-byte entry and one node hash per entry (a tree of n leaves has
 * n - 1 nodes), through the same one-shot crypto.hash the verifier uses.
 */
function hashingReference(entries: number): number {
  const leaf = Buffer.alloc(401, 0x61);
  leaf[0] = 0;
  const node = Buffer.alloc(65, 0x62);
  node[0] = 1;
  const t = performance.now();
  for (let i = 0; i < entries; i++) {
    leaf[1 + (i % 400)] = i & 0x7f;
    hash('sha256', leaf, 'buffer').copy(node, 1);
    hash('sha256', node, 'buffer');
  }
  return Math.round(performance.now() - t);
}

/**
 * Reference measured in the same run: the storage floor of an append, the same entries (canonical
 * text and leaf hash computed beforehand) inserted into a fresh audit table with its expression
 * indexes by one raw prepared statement, `perTx` per transaction. What a server pays on top is
 * encoding, hashing, seq bookkeeping and the subtree roots and signed heads.
 */
async function appendFloor(file: string, count: number, perTx: number): Promise<number> {
  const handle = await openDatabase(file);
  await migrateToLatest(handle);
  await handle.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  try {
    const time = new Date().toISOString();
    const rows = Array.from({ length: count }, (_, i) => {
      const r = recordFromEvent(i, time, event(i));
      return [i, r.entryJson, leafHash(r.entryJson).toString('hex')];
    });
    const insert = db.prepare('insert into audit_entries (seq, entry_json, leaf_hash) values (?, ?, ?)');
    const t = performance.now();
    for (let b = 0; b < count; b += perTx) db.transaction(() => rows.slice(b, b + perTx).forEach((r) => insert.run(r)))();
    return perSecond(count, performance.now() - t);
  } finally {
    db.close();
  }
}

export async function benchAudit(opts: { entries: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-audit-'));
  const handle = await openDatabase(join(dir, 'bench.db'));
  try {
    await migrateToLatest(handle);
    const audit = new AuditService({ repo: createAuditRepository(handle.db, handle.dialect), signingKey: generateSigningKey() });
    const out: Record<string, number | string> = { entries: opts.entries, loadAverageAtStart: Number(loadavg()[0]!.toFixed(2)) };
    let i = 0;

    // A busy server: many audited changes committed together, each record() its own append.
    const txBatch = 1000;
    const txBatches = 10;
    let t = performance.now();
    for (let b = 0; b < txBatches; b++) {
      await handle.db.transaction().execute(async (trx) => {
        for (let k = 0; k < txBatch; k++) await audit.record(event(i++), trx);
      });
    }
    out.appendsPerSecBatchedTx = perSecond(txBatch * txBatches, performance.now() - t);
    out.appendsPerSecStorageFloorReference = await appendFloor(join(dir, 'floor.db'), txBatch * txBatches, txBatch);

    const singles = 2000;
    t = performance.now();
    for (let k = 0; k < singles; k++) await audit.record(event(i++));
    out.appendsPerSecOnePerTx = perSecond(singles, performance.now() - t);

    // Bulk (imports): recordMany, which is also how the log is filled to the target size.
    const chunk = 5000;
    t = performance.now();
    const bulkStart = i;
    while (i < opts.entries) {
      const n = Math.min(chunk, opts.entries - i);
      await audit.recordMany(Array.from({ length: n }, () => event(i++)));
    }
    if (i > bulkStart) out.appendsPerSecRecordMany = perSecond(i - bulkStart, performance.now() - t);

    out.loadAverageBeforeVerify = Number(loadavg()[0]!.toFixed(2));
    const verifyRuns: number[] = [];
    for (let run = 0; run < 2; run++) {
      t = performance.now();
      const c = cpuMs();
      const report = await audit.verify();
      verifyRuns.push(Math.round(performance.now() - t));
      out.verifyCpuMs = Math.round(cpuMs() - c);
      out.verifyOk = String(report.ok);
      out.verifiedEntries = report.entries;
      out.treeHeadsChecked = report.treeHeadsChecked;
    }
    out.verifyMs = Math.min(...verifyRuns);
    out.verifyMsRuns = verifyRuns.join(' / ');
    out.hashingOnlyMsReference = hashingReference(opts.entries);

    const head = await audit.signTreeHead();
    const samples = 200;
    let proofMs = 0;
    for (let k = 0; k < samples; k++) {
      const seq = Math.floor((k * 7919 * 104729) % head.treeSize);
      const s = performance.now();
      const p = await audit.inclusionProof(seq, head.treeSize);
      proofMs += performance.now() - s;
      if (!verifyInclusion(hex(p.leafHash), seq, head.treeSize, p.auditPath.map(hex), hex(head.rootHash))) throw new Error(`inclusion proof for ${seq} does not verify`);
    }
    out.inclusionProofMsAvg = Number((proofMs / samples).toFixed(3));

    let consMs = 0;
    for (let k = 1; k <= samples; k++) {
      const first = Math.max(1, Math.floor((head.treeSize * k) / (samples + 1)));
      const s = performance.now();
      const c = await audit.consistencyProof(first, head.treeSize);
      consMs += performance.now() - s;
      if (!verifyConsistency(first, head.treeSize, hex(c.firstRootHash), hex(head.rootHash), c.consistencyPath.map(hex))) throw new Error(`consistency proof from ${first} does not verify`);
    }
    out.consistencyProofMsAvg = Number((consMs / samples).toFixed(3));

    t = performance.now();
    await audit.signTreeHead();
    out.signTreeHeadMs = Number((performance.now() - t).toFixed(3));
    out.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    return out;
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/audit.bench.ts [entries]` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const entries = Number(process.argv[2] ?? 1_000_000);
  console.log(JSON.stringify(await benchAudit({ entries }), null, 2));
}
