/**
 * @module Applies pending migrations at start (server, worker, CLI). Each migration runs in its own
 * transaction and is recorded in `careguard_migrations`; concurrent starts serialize on a
 * PostgreSQL advisory lock (SQLite has one writer already). Written here rather than using
 * Kysely's Migrator, whose table-exists check introspects every schema of the database and so
 * misfires when several CareGuard schemas share one PostgreSQL database.
 */
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

/** "CGMIG" in ASCII: the advisory lock id that serializes migrations across processes. */
const MIGRATION_LOCK = 0x43474d4947;

export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const db = handle.db as unknown as Kysely<MigrationTables>;
  await sql`create table if not exists careguard_migrations (name text primary key, applied_at text not null)`.execute(db);
  const applied: string[] = [];
  if (handle.dialect === 'postgres') {
    // A session-level lock needs one connection for lock, work and unlock.
    await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        applied.push(...(await applyPending(conn, handle)));
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      }
    });
  } else {
    applied.push(...(await applyPending(db, handle)));
  }
  return applied;
}

interface MigrationTables {
  careguard_migrations: { name: string; applied_at: string };
}

async function applyPending(db: Kysely<MigrationTables>, handle: DatabaseHandle): Promise<string[]> {
  const done = new Set((await db.selectFrom('careguard_migrations').select('name').execute()).map((r) => r.name));
  const known = new Set(MIGRATIONS.map(([name]) => name));
  const unknown = [...done].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(`the database has migrations this version of CareGuard does not know (${unknown.join(', ')}): it was written by a newer version`);
  }
  const applied: string[] = [];
  for (const [name, migration] of MIGRATIONS) {
    if (done.has(name)) continue;
    await db.transaction().execute(async (trx) => {
      await migration.up(trx as unknown as Kysely<unknown>, handle.dialect);
      await trx.insertInto('careguard_migrations').values({ name, applied_at: new Date().toISOString() }).execute();
    });
    applied.push(name);
  }
  return applied;
}
