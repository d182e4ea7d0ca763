/**
 * @module The file a capture record was ingested from (path, size, modification time), so following
 * a rotating capture directory never ingests a completed file twice, across restarts. Nullable:
 * uploads, stdin and flow-log windows have no such file. Looked up by path.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const netmonCaptureSourceMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    // One column per statement: SQLite's ALTER TABLE adds one column at a time.
    await db.schema.alterTable('netmon_captures').addColumn('source_path', 'text').execute();
    await db.schema.alterTable('netmon_captures').addColumn('source_bytes', big).execute();
    await db.schema.alterTable('netmon_captures').addColumn('source_modified_at', 'text').execute();
    await db.schema.createIndex('netmon_captures_source').on('netmon_captures').columns(['source_path', 'source_bytes']).execute();
  },
};
