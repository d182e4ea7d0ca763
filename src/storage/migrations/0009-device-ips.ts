/**
 * @module The address index of the device inventory: one (ip, device_id) row per distinct address
 * in each device's document, keyed by address first, so finding the devices at a set of addresses
 * is one index probe per address instead of a scan of every document (docs/adr/0002-storage.md:
 * what we filter on is a side table, not a JSON path). Filled here from the documents already
 * stored, so an upgraded database answers lookups at once; applyWrites keeps it in step after.
 * The documents are read as they are stored at this version: element 1 of element 3 of the
 * positional array (format 2, see repositories/devices-doc.ts).
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

/** (address, device id) of every stored document, once each, in key order (sorted inserts fill the b-tree leaf by leaf). */
const BACKFILL: Record<Dialect, string> = {
  sqlite: `insert into device_ips (ip, device_id)
    select distinct a.value, d.id from devices d join device_docs c on c.seq = d.seq, json_each(c.doc, '$[3][1]') a
    order by 1, 2`,
  postgres: `insert into device_ips (ip, device_id)
    select distinct a.ip, d.id from devices d join device_docs c on c.seq = d.seq cross join lateral json_array_elements_text(c.doc::json -> 3 -> 1) as a(ip)
    order by 1, 2`,
};

export const deviceIpsMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    // "C" collation on PostgreSQL, as devices.id: joins compare like with like, both engines order by code point.
    const text = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.modifyFront(sql`collate "C"`) : c).notNull();
    let table = db.schema.createTable('device_ips').addColumn('ip', 'text', text).addColumn('device_id', 'text', text).addPrimaryKeyConstraint('device_ips_pk', ['ip', 'device_id']);
    if (dialect === 'sqlite') table = table.modifyEnd(sql`without rowid`);
    await table.execute();
    await sql.raw(BACKFILL[dialect]).execute(db);
  },
};
