/**
 * @module The audit log's storage port over Kysely, one implementation for SQLite and PostgreSQL.
 * Appends are serialized per database: PostgreSQL takes a transaction-scoped advisory lock (so API
 * servers sharing the database assign seq in commit order); SQLite has a single writer already.
 */
import { CompiledQuery, Kysely, sql, type Selectable } from 'kysely';
import type { AuditEntryFilter, AuditEntryRecord, AuditRepository, AuditStore, StoredTreeHead, SubtreeNode } from '../../audit/index.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { AUDIT_FIELD_SQL } from '../migrations/0004-audit.js';
import type { AuditEntriesTable, AuditTreeHeadsTable } from '../tables/audit.js';

/** Advisory lock key for audit appends ("CGAUDIT" as an int64); any constant unique to us works. */
export const AUDIT_APPEND_LOCK_KEY = '4847194571547988';

// Rows per INSERT: 3 bound values each keeps well under SQLite's and PostgreSQL's parameter caps.
const INSERT_CHUNK = 500;

type EntryRow = Selectable<AuditEntriesTable>;

const ENTRY_COLUMNS = ['seq', 'entry_json', 'leaf_hash'] as const;
// The one-entry insert is every audited change's hot path: skip the query builder for it.
const insertOneSql = (dialect: Dialect) =>
  `insert into "audit_entries" (${ENTRY_COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${ENTRY_COLUMNS.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?')).join(', ')})`;

const toRecord = (r: EntryRow): AuditEntryRecord => ({ seq: Number(r.seq), entryJson: r.entry_json, leafHash: r.leaf_hash });
const toRow = (r: AuditEntryRecord) => ({ seq: r.seq, entry_json: r.entryJson, leaf_hash: r.leafHash });

const toHead = (r: Selectable<AuditTreeHeadsTable>): StoredTreeHead => ({
  id: r.id,
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  timestamp: r.timestamp,
  keyId: r.key_id,
  signature: r.signature,
});

type Filter = Omit<AuditEntryFilter, 'afterSeq' | 'limit' | 'order'>;

function store(db: Kysely<DB>, dialect: Dialect): AuditStore {
  const insertOne = insertOneSql(dialect);
  const field = AUDIT_FIELD_SQL[dialect];
  const f = (name: keyof typeof field) => sql<string | null>`${sql.raw(field[name])}`;
  const filtered = (q: Filter) => {
    let s = db.selectFrom('audit_entries');
    if (q.actorId !== undefined) s = s.where(f('actorId'), '=', q.actorId);
    if (q.action !== undefined) {
      if (q.action.endsWith('*')) {
        const prefix = q.action.slice(0, -1);
        // SQLite compares text bytewise, so a prefix is an index range; PostgreSQL's collation
        // order is not bytewise, so there it is a (correct, slower) substring test.
        s =
          dialect === 'sqlite'
            ? s.where(f('action'), '>=', prefix).where(f('action'), '<', prefix + '\u{10FFFF}')
            : s.where(sql<string>`substr(${f('action')}, 1, ${prefix.length})`, '=', prefix);
      } else s = s.where(f('action'), '=', q.action);
    }
    if (q.targetType !== undefined) s = s.where(f('targetType'), '=', q.targetType);
    if (q.targetId !== undefined) s = s.where(f('targetId'), '=', q.targetId);
    if (q.from !== undefined) s = s.where(f('time'), '>=', q.from);
    if (q.to !== undefined) s = s.where(f('time'), '<', q.to);
    return s;
  };

  return {
    async lockForAppend() {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${sql.raw(AUDIT_APPEND_LOCK_KEY)})`.execute(db);
    },
    async lastSeq() {
      const row = await db.selectFrom('audit_entries').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row ? Number(row.seq) : -1;
    },
    async insertEntries(records) {
      const only = records.length === 1 ? records[0] : undefined;
      if (only) {
        await db.executeQuery(CompiledQuery.raw(insertOne, [only.seq, only.entryJson, only.leafHash]));
        return;
      }
      for (let i = 0; i < records.length; i += INSERT_CHUNK) {
        await db.insertInto('audit_entries').values(records.slice(i, i + INSERT_CHUNK).map(toRow)).execute();
      }
    },
    async leafHashes(start, end) {
      const rows = await db.selectFrom('audit_entries').select(['seq', 'leaf_hash']).where('seq', '>=', start).where('seq', '<', end).orderBy('seq').execute();
      return rows.map((r) => ({ seq: Number(r.seq), leafHash: r.leaf_hash }));
    },
    async getNode(level, index) {
      const row = await db.selectFrom('audit_nodes').select('hash').where('level', '=', level).where('idx', '=', index).executeTakeFirst();
      return row?.hash;
    },
    async insertNodes(nodes: readonly SubtreeNode[]) {
      if (nodes.length === 0) return;
      await db
        .insertInto('audit_nodes')
        .values(nodes.map((n) => ({ level: n.level, idx: n.index, hash: n.hash })))
        .onConflict((oc) => oc.columns(['level', 'idx']).doNothing())
        .execute();
    },
    async insertTreeHead(h) {
      await db
        .insertInto('audit_tree_heads')
        .values({ id: h.id, tree_size: h.treeSize, root_hash: h.rootHash, timestamp: h.timestamp, key_id: h.keyId, signature: h.signature })
        .execute();
    },
    async latestTreeHead() {
      const row = await db.selectFrom('audit_tree_heads').selectAll().orderBy('tree_size', 'desc').orderBy('timestamp', 'desc').limit(1).executeTakeFirst();
      return row ? toHead(row) : undefined;
    },
    async treeHeadsForSize(size) {
      const rows = await db.selectFrom('audit_tree_heads').selectAll().where('tree_size', '=', size).orderBy('timestamp', 'desc').execute();
      return rows.map(toHead);
    },
    async listTreeHeads() {
      const rows = await db.selectFrom('audit_tree_heads').selectAll().orderBy('tree_size').orderBy('timestamp').execute();
      return rows.map(toHead);
    },
    async scanEntries(afterSeq, limit) {
      const rows = await db.selectFrom('audit_entries').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map(toRecord);
    },
    async getEntry(seq) {
      const row = await db.selectFrom('audit_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async queryEntries(f) {
      let q = filtered(f).selectAll();
      if (f.afterSeq !== undefined) q = q.where('seq', f.order === 'asc' ? '>' : '<', f.afterSeq);
      const rows = await q.orderBy('seq', f.order).limit(f.limit).execute();
      return rows.map(toRecord);
    },
    async countEntries(f) {
      const row = await filtered(f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export function createAuditRepository(db: Kysely<DB>, dialect: Dialect): AuditRepository {
  // Services audit row by row inside one transaction: build its store once.
  const bound = new WeakMap<object, AuditStore>();
  return {
    ...store(db, dialect),
    transaction: (fn) => db.transaction().execute((trx) => fn(store(trx, dialect))),
    bind(executor: unknown) {
      if (!(executor instanceof Kysely)) throw new TypeError('audit executor must be a Kysely transaction');
      if (!executor.isTransaction) return undefined;
      let s = bound.get(executor);
      if (!s) bound.set(executor, (s = store(executor as Kysely<DB>, dialect)));
      return s;
    },
  };
}
