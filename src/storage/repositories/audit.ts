/**
 * @module The audit log's storage port over Kysely, one implementation for SQLite and PostgreSQL.
 * Appends are serialized per database: PostgreSQL takes a transaction-scoped advisory lock (so API
 * servers sharing the database assign seq in commit order); SQLite has a single writer already.
 */
import { CompiledQuery, Kysely, sql, type Selectable } from 'kysely';
import type { AuditEntryFilter, AuditEntryRecord, AuditRepository, AuditStore, PackedEntries, StoredTreeHead, SubtreeNode } from '../../audit/index.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { AUDIT_FIELD_SQL } from '../migrations/0004-audit.js';
import type { AuditEntriesTable, AuditTreeHeadsTable } from '../tables/audit.js';

/** Advisory lock key for audit appends ("CGAUDIT" as an int64); any constant unique to us works. */
export const AUDIT_APPEND_LOCK_KEY = '4847194571547988';

/**
 * Rows per multi-row INSERT, largest first: a batch is cut into these sizes only, so each
 * statement text is prepared once and then served from the statement cache.
 */
const INSERT_ROWS = [512, 64, 8, 1] as const;

type EntryRow = Selectable<AuditEntriesTable>;

const ENTRY_COLUMNS = ['seq', 'entry_json', 'leaf_hash'] as const;

/** `insert into "audit_entries" (...) values (...), ...` for `rows` entries. Appends are the hot path: no query builder. */
function insertEntriesSql(dialect: Dialect, rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${ENTRY_COLUMNS.map((_, c) => (dialect === 'postgres' ? `$${r * 3 + c + 1}` : '?')).join(', ')})`);
  return `insert into "audit_entries" (${ENTRY_COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
}

const toRecord = (r: EntryRow): AuditEntryRecord => ({ seq: Number(r.seq), entryJson: r.entry_json, leafHash: r.leaf_hash });

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
  const insertSql = new Map(INSERT_ROWS.map((n) => [n, insertEntriesSql(dialect, n)]));
  const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
  const raw = async <R>(text: string, params: unknown[]): Promise<R[]> => (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const leafHashesSql = `select seq, leaf_hash from audit_entries where seq >= ${p(1)} and seq < ${p(2)} order by seq`;
  const getNodeSql = `select hash from audit_nodes where level = ${p(1)} and idx = ${p(2)}`;
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
      let at = 0;
      for (const rows of INSERT_ROWS) {
        for (; records.length - at >= rows; at += rows) {
          const params: unknown[] = [];
          for (let i = at; i < at + rows; i++) params.push(records[i]!.seq, records[i]!.entryJson, records[i]!.leafHash);
          await raw(insertSql.get(rows)!, params);
        }
      }
    },
    async leafHashes(start, end) {
      const rows = await raw<{ seq: number | string; leaf_hash: string }>(leafHashesSql, [start, end]);
      return rows.map((r) => ({ seq: Number(r.seq), leafHash: r.leaf_hash }));
    },
    async getNode(level, index) {
      return (await raw<{ hash: string }>(getNodeSql, [level, index]))[0]?.hash;
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
    ...(dialect === 'sqlite' ? { scanPacked: (afterSeq: number, limit: number) => scanPackedSqlite(db, afterSeq, limit) } : {}),
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

/**
 * One aggregate row per batch: SQLite concatenates the leaf inputs (0x00 || text), the byte
 * lengths and the decoded stored hashes itself, which costs a fraction of materializing
 * thousands of row objects and strings. The aggregates consume the subquery's rows in its seq
 * order (an ORDER BY inside group_concat would add a sort); the verifier checks every entry's
 * position against the seq written in its text anyway.
 */
const PACKED_SQLITE = `select count(*) as n, min(seq) as lo, max(seq) as hi,
  min(length(leaf_hash)) as hmin, max(length(leaf_hash)) as hmax,
  group_concat(octet_length(entry_json) + 1) as lengths,
  cast(group_concat(x'00' || entry_json, '') as blob) as leaves,
  unhex(group_concat(leaf_hash, '')) as hashes
  from (select seq, entry_json, leaf_hash from audit_entries where seq > ? order by seq limit ?)`;

interface PackedRow {
  n: number;
  lo: number | null;
  hi: number | null;
  hmin: number | null;
  hmax: number | null;
  lengths: string | null;
  leaves: Uint8Array | null;
  hashes: Uint8Array | null;
}

async function scanPackedSqlite(db: Kysely<DB>, afterSeq: number, limit: number): Promise<PackedEntries | null> {
  const row = (await db.executeQuery<PackedRow>(CompiledQuery.raw(PACKED_SQLITE, [afterSeq, limit]))).rows[0];
  if (!row || row.n === 0) return { first: afterSeq + 1, count: 0, leaves: new Uint8Array(0), lengths: '', hashes: new Uint8Array(0) };
  const { n, lo, hi, hmin, hmax, lengths, leaves, hashes } = row;
  // Anything irregular is left to the row-by-row path, which names the exact problem.
  if (lo === null || hi === null || hi - lo + 1 !== n || hmin !== 64 || hmax !== 64 || lengths === null || leaves === null || hashes === null || hashes.length !== 32 * n) return null;
  return { first: Number(lo), count: n, leaves, lengths, hashes };
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
