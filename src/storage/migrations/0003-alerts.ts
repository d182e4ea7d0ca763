/**
 * @module Schema for alerts. A partial unique index allows one active (open or acknowledged)
 * alert per dedup key, so concurrent raisers fold into the same row instead of racing to create
 * two; resolved alerts fall outside the index and a recurrence opens a new alert.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const alertsMigration: DialectMigration = {
  async up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('evidence_json', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by_id', 'text')
      .addColumn('acknowledged_by_name', 'text')
      .addColumn('acknowledge_note', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by_id', 'text')
      .addColumn('resolved_by_name', 'text')
      .addColumn('resolution_note', 'text')
      .execute();
    await db.schema
      .createIndex('alerts_active_dedup')
      .on('alerts')
      .column('dedup_key')
      .unique()
      .where(sql.ref('status'), '<>', 'resolved')
      .execute();
    await db.schema.createIndex('alerts_created').on('alerts').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('alerts_status_created').on('alerts').columns(['status', 'created_at', 'id']).execute();
    await db.schema.createIndex('alerts_device').on('alerts').columns(['device_id', 'created_at']).execute();
    await db.schema.createIndex('alerts_source').on('alerts').columns(['source', 'created_at']).execute();
  },
};
