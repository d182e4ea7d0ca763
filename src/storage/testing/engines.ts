/**
 * @module Runs one test suite against both storage engines, so the SQLite and PostgreSQL
 * implementations of every repository contract cannot drift. PostgreSQL comes from
 * CAREGUARD_TEST_PG (default postgres://postgres@127.0.0.1:5432/test); each opened handle lives in its
 * own fresh schema, so test files run in parallel without seeing each other. Where PostgreSQL is
 * unreachable the PostgreSQL half is skipped with a printed reason, except under CI=true, where
 * that is a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openDatabase, type DatabaseHandle, type Dialect } from '../database.js';
import { migrateToLatest } from '../migrate.js';

export const TEST_PG_URL = process.env.CAREGUARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: Promise<string | null> | undefined;

/** null when PostgreSQL answers, else the reason it does not. */
export function postgresUnavailableReason(): Promise<string | null> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (e) {
      return `PostgreSQL at ${TEST_PG_URL} is unreachable: ${(e as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

export interface EngineContext {
  dialect: Dialect;
  /** A new, migrated, empty database. Close it in afterEach/afterAll. */
  open(): Promise<DatabaseHandle>;
}

const opened = new Set<string>();

export async function openTestDatabase(dialect: Dialect): Promise<DatabaseHandle> {
  if (dialect === 'sqlite') {
    const handle = await openDatabase(':memory:');
    await migrateToLatest(handle);
    return handle;
  }
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const handle = await openDatabase(TEST_PG_URL, { pgSchema: schema, pgPoolSize: 4 });
  await migrateToLatest(handle);
  opened.add(schema);
  const close = handle.close;
  return {
    ...handle,
    close: async () => {
      await close();
      await dropSchema(schema);
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    opened.delete(schema);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const reason = await postgresUnavailableReason();
if (reason && process.env.CI === 'true') {
  throw new Error(`CI=true requires PostgreSQL for the storage contract tests: ${reason}`);
}
if (reason) console.warn(`[storage tests] skipping the PostgreSQL half: ${reason}`);

/** describe() the suite once per engine: "<name> [sqlite]" and "<name> [postgres]". */
export function describeEachEngine(name: string, suite: (ctx: EngineContext) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && reason !== null;
    const d = skip ? describe.skip : describe;
    d(`${name} [${dialect}]`, () => suite({ dialect, open: () => openTestDatabase(dialect) }));
  }
}
