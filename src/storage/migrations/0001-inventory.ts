/**
 * @module Schema for the device inventory. Each secondary index leads with a filter column and
 * ends with the keyset order of the sort it serves (column, name, seq), so a filtered, sorted
 * page reads 51 index entries instead of sorting the matches. Text columns use the "C" collation
 * on PostgreSQL so both engines order by code point, as SQLite's BINARY does.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

/** Sort/filter indexes: name -> columns before the tie-breaker seq. */
export const DEVICE_INDEXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['devices_by_name', ['name']],
  ['devices_by_category', ['category', 'name']],
  ['devices_by_manufacturer', ['manufacturer', 'name']],
  ['devices_by_criticality', ['criticality_rank', 'name']],
  ['devices_by_status', ['status', 'name']],
  ['devices_by_unit', ['unit', 'name']],
  ['devices_by_last_seen', ['last_seen']],
];

/** The columns of a DEVICE_INDEXES entry as created: SQLite appends the rowid (seq) to every index entry; PostgreSQL needs it spelled out. */
export const deviceIndexColumns = (dialect: Dialect, cols: readonly string[]): string[] => (dialect === 'postgres' ? [...cols, 'seq'] : [...cols]);

export const inventoryMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const text = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.modifyFront(sql`collate "C"`) : c).notNull().defaultTo('');
    let devices = db.schema
      .createTable('devices')
      .addColumn('seq', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
      .addColumn('id', 'text', (c) => (dialect === 'postgres' ? c.modifyFront(sql`collate "C"`) : c).notNull().unique());
    for (const col of ['name', 'category', 'manufacturer', 'model']) devices = devices.addColumn(col, 'text', text);
    devices = devices.addColumn('criticality_rank', 'integer', (c) => c.notNull().defaultTo(9));
    for (const col of ['status', 'site', 'building', 'unit', 'first_seen', 'last_seen', 'search_text']) devices = devices.addColumn(col, 'text', text);
    await devices.execute();

    for (const [name, cols] of DEVICE_INDEXES) {
      await db.schema.createIndex(name).on('devices').columns(deviceIndexColumns(dialect, cols)).execute();
    }

    await db.schema
      .createTable('device_docs')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('doc', 'text', (c) => c.notNull())
      .execute();

    let identifiers = db.schema
      .createTable('device_identifiers')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_identifiers_pk', ['kind', 'value', 'device_id']);
    if (dialect === 'sqlite') identifiers = identifiers.modifyEnd(sql`without rowid`);
    await identifiers.execute();

    await db.schema
      .createTable('inventory_revision')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .execute();
    await sql`insert into inventory_revision (id, revision) values (1, 0)`.execute(db);
  },
};
