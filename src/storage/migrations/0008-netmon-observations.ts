/**
 * @module The observation sample of each capture (ObservationSample: the first few of each
 * (kind, client, server, port) group, the group's total on its last kept row), deleted with its
 * capture. Indexed for the reads the API makes: by capture, by either address, by time; each ends
 * in (ts, id), the keyset order of pagination.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const netmonObservationsMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('netmon_observations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('capture_id', 'text', (c) => c.notNull().references('netmon_captures.id').onDelete('cascade'))
      .addColumn('ts', 'text', (c) => c.notNull())
      .addColumn('frame', big, (c) => c.notNull())
      .addColumn('protocol', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('producer', 'text', (c) => c.notNull())
      .addColumn('transport', 'text')
      .addColumn('client_ip', 'text')
      .addColumn('client_port', 'integer')
      .addColumn('server_ip', 'text')
      .addColumn('server_port', 'integer')
      .addColumn('dir', 'text')
      .addColumn('fields_json', 'text', (c) => c.notNull())
      .addColumn('findings_json', 'text')
      .addColumn('group_count', big)
      .execute();
    await db.schema.createIndex('netmon_observations_capture').on('netmon_observations').columns(['capture_id', 'ts', 'id']).execute();
    await db.schema.createIndex('netmon_observations_ts').on('netmon_observations').columns(['ts', 'id']).execute();
    await db.schema.createIndex('netmon_observations_client').on('netmon_observations').columns(['client_ip', 'ts', 'id']).execute();
    await db.schema.createIndex('netmon_observations_server').on('netmon_observations').columns(['server_ip', 'ts', 'id']).execute();
  },
};
