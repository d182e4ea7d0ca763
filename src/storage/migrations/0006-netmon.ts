/**
 * @module Schema for passive network monitoring: ingested captures, their conversations (indexed
 * by either endpoint for the communication map) and the learned baselines. Byte counters are
 * bigint on PostgreSQL: a month of SPAN traffic overflows 32 bits.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const netmonMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('netmon_captures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addColumn('first_seen', 'text')
      .addColumn('last_seen', 'text')
      .addColumn('bytes', big, (c) => c.notNull())
      .addColumn('packets', big, (c) => c.notNull())
      .addColumn('flows', big, (c) => c.notNull())
      .addColumn('devices', 'integer', (c) => c.notNull())
      .addColumn('detections', 'integer', (c) => c.notNull())
      .addColumn('summary_json', 'text', (c) => c.notNull())
      .addColumn('ingested_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('netmon_captures_finished').on('netmon_captures').columns(['finished_at', 'id']).execute();
    await db.schema
      .createTable('netmon_conversations')
      .addColumn('capture_id', 'text', (c) => c.notNull().references('netmon_captures.id').onDelete('cascade'))
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('server', 'text', (c) => c.notNull())
      .addColumn('port', 'integer', (c) => c.notNull())
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('protocol', 'text', (c) => c.notNull())
      .addColumn('flows', big, (c) => c.notNull())
      .addColumn('packets', big, (c) => c.notNull())
      .addColumn('bytes', big, (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('first_frame', big, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('netmon_conversations_client').on('netmon_conversations').columns(['client', 'last_seen']).execute();
    await db.schema.createIndex('netmon_conversations_server').on('netmon_conversations').columns(['server', 'last_seen']).execute();
    await db.schema.createIndex('netmon_conversations_capture').on('netmon_conversations').column('capture_id').execute();
    await db.schema
      .createTable('netmon_baselines')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
