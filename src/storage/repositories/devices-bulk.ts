/**
 * @module Bulk loads on SQLite: the seven search indexes of the devices table (DEVICE_INDEXES of
 * migration 0001) are dropped while a large import writes and created again at its end. SQLite
 * maintains each index entry by entry as rows arrive, in random key order; building an index
 * once over the loaded table sorts instead, which costs well under half as much for an import
 * as large as the inventory. Searches stay correct meanwhile (no query names an index; they only
 * get slower). A process killed during a bulk load leaves the indexes missing, so every start
 * runs ensureSearchIndexes (src/main/container.ts), which creates whatever is missing.
 *
 * On PostgreSQL a bulk load changes nothing: DROP INDEX takes an exclusive lock that would keep
 * every reader out for the whole import, and its index maintenance is cheaper to begin with.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { DEVICE_INDEXES, deviceIndexColumns } from '../migrations/0001-inventory.js';
import type { DB } from '../schema.js';

export const SEARCH_INDEX_NAMES: readonly string[] = DEVICE_INDEXES.map(([name]) => name);

/** The search indexes of the devices table that exist now (by name). */
export async function existingSearchIndexes(db: Kysely<DB>, dialect: Dialect): Promise<Set<string>> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'devices'`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'devices'`.execute(db);
  const wanted = new Set(SEARCH_INDEX_NAMES);
  return new Set(rows.rows.map((r) => r.name).filter((n) => wanted.has(n)));
}

/** Drops the search indexes (SQLite only; a no-op on PostgreSQL). */
export async function dropSearchIndexes(db: Kysely<DB>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const name of SEARCH_INDEX_NAMES) await db.schema.dropIndex(name).ifExists().execute();
}

/**
 * Creates the search indexes that are missing, with the migration's definitions, then refreshes
 * SQLite's statistics so the planner knows the new indexes at once; returns the names it created.
 * Reads the catalog first, so when nothing is missing (every normal start) it writes nothing.
 */
export async function ensureSearchIndexes(db: Kysely<DB>, dialect: Dialect): Promise<string[]> {
  const present = await existingSearchIndexes(db, dialect);
  const created: string[] = [];
  for (const [name, cols] of DEVICE_INDEXES) {
    if (present.has(name)) continue;
    await db.schema.createIndex(name).ifNotExists().on('devices').columns(deviceIndexColumns(dialect, cols)).execute();
    created.push(name);
  }
  if (created.length > 0 && dialect === 'sqlite') {
    await sql`pragma analysis_limit = 400`.execute(db);
    await sql`analyze devices`.execute(db);
  }
  return created;
}
