import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { InventoryService, type Device } from '../../inventory/index.js';
import { MemoryAuditRecorder, testActor } from '../../inventory/testing.js';
import { openDatabase, type DatabaseHandle, type Dialect } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { MIGRATIONS } from '../migrations/index.js';
import { TEST_PG_URL, describeEachEngine } from '../testing/engines.js';
import { KyselyDeviceRepository } from './devices.js';
import { encodeDevice } from './devices-doc.js';

const BEFORE_INDEX = '0008-netmon-observations';
const T = '2024-03-01T00:00:00.000Z';

/**
 * A new database with the migrations up to and including `last` applied and recorded, as
 * migrateToLatest would have left it at that version (PostgreSQL: in a fresh schema, dropped on close).
 */
async function openMigratedThrough(dialect: Dialect, last: string): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (dialect === 'sqlite') {
    handle = await openDatabase(':memory:');
  } else {
    const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const opened = await openDatabase(TEST_PG_URL, { pgSchema: schema, pgPoolSize: 2 });
    handle = {
      ...opened,
      close: async () => {
        await opened.close();
        const client = new pg.Client({ connectionString: TEST_PG_URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const db = handle.db as unknown as Kysely<unknown>;
  await sql`create table careguard_migrations (name text primary key, applied_at text not null)`.execute(db);
  const upTo = MIGRATIONS.findIndex(([name]) => name === last);
  if (upTo < 0) throw new Error(`no migration named ${last}`);
  for (const [name, migration] of MIGRATIONS.slice(0, upTo + 1)) {
    await db.transaction().execute(async (trx) => {
      await migration.up(trx, dialect);
      await sql`insert into careguard_migrations (name, applied_at) values (${name}, ${T})`.execute(trx);
    });
  }
  return handle;
}

const device = (id: string, ips: string[]): Device => ({
  id,
  name: `device ${id}`,
  network: { macs: [], ips, hostnames: [], aeTitles: [], hl7Applications: [] },
  firstSeen: T,
  lastSeen: T,
  createdAt: T,
  updatedAt: T,
  provenance: { name: { source: 'import:old.csv', kind: 'import', confidence: 0.8, observedAt: T } },
  sources: ['import:old.csv'],
});

/** Stores `d` as the code before the address index did: a devices row and its document, nothing else. */
async function storeWithoutIndex(handle: DatabaseHandle, d: Device): Promise<void> {
  const blank = { category: '', manufacturer: '', model: '', criticality_rank: 9, status: '', site: '', building: '', unit: '', search_text: '' };
  const row = { ...blank, id: d.id, name: d.name ?? '', first_seen: d.firstSeen, last_seen: d.lastSeen };
  const { seq } = await handle.db.insertInto('devices').values(row).returning('seq').executeTakeFirstOrThrow();
  await handle.db.insertInto('device_docs').values({ seq: Number(seq), doc: encodeDevice(d) }).execute();
}

describeEachEngine('migration 0009: the device address index', ({ dialect }) => {
  let handle: DatabaseHandle | undefined;
  afterEach(async () => handle?.close());

  it('indexes the addresses of devices stored before it, so an upgraded database finds them at once', async () => {
    handle = await openMigratedThrough(dialect, BEFORE_INDEX);
    const stored = [
      device('dev_a', ['10.0.0.1', '2001:db8::1']),
      device('dev_b', ['10.0.0.1']), // shares an address with dev_a
      device('dev_c', []),
      device('dev_d', ['10.0.0.4', '10.0.0.4']), // a repeated address is one row
    ];
    for (const d of stored) await storeWithoutIndex(handle, d);

    expect(await migrateToLatest(handle)).toEqual(MIGRATIONS.slice(MIGRATIONS.findIndex(([n]) => n === BEFORE_INDEX) + 1).map(([n]) => n));
    const rows = await handle.db.selectFrom('device_ips').select(['ip', 'device_id']).execute();
    expect(rows.map((r) => `${r.ip} ${r.device_id}`).sort()).toEqual(['10.0.0.1 dev_a', '10.0.0.1 dev_b', '10.0.0.4 dev_d', '2001:db8::1 dev_a']);

    const repo = new KyselyDeviceRepository(handle);
    expect(await repo.findByIps(['10.0.0.1'])).toEqual([stored[0], stored[1]]);
    expect((await repo.findByIps(['2001:DB8::1', '10.0.0.4'])).map((d) => d.id)).toEqual(['dev_a', 'dev_d']);

    // writes after the upgrade keep the backfilled rows in step
    const service = new InventoryService({ repo, audit: new MemoryAuditRecorder(), clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
    await service.update('dev_a', { network: { ips: ['10.0.0.2'] } }, testActor);
    await service.delete('dev_d', testActor);
    expect((await repo.findByIps(['10.0.0.1', '10.0.0.2', '10.0.0.4', '2001:db8::1'])).map((d) => [d.id, d.network.ips])).toEqual([
      ['dev_a', ['10.0.0.2']],
      ['dev_b', ['10.0.0.1']],
    ]);
  });

  it('creates an empty index for an empty inventory', async () => {
    handle = await openMigratedThrough(dialect, BEFORE_INDEX);
    await migrateToLatest(handle);
    expect(await handle.db.selectFrom('device_ips').selectAll().execute()).toEqual([]);
    expect(await new KyselyDeviceRepository(handle).findByIps(['10.0.0.1'])).toEqual([]);
  });
});
