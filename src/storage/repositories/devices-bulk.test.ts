import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { fixedClock, systemActor } from '../../core/index.js';
import { writeDemoCsv } from '../../inventory/demo/index.js';
import { ImportService, type DeviceReportSink } from '../../inventory/import/index.js';
import { InventoryService, LIFECYCLE_STATUSES, type Device, type DeviceQuery, type DeviceReport } from '../../inventory/index.js';
import { MemoryAuditRecorder, provenance, report, testActor } from '../../inventory/testing.js';
import { loadConfig } from '../../main/config.js';
import { createContainer } from '../../main/container.js';
import type { DatabaseHandle, Dialect } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { KyselyDeviceRepository } from './devices.js';
import { SEARCH_INDEX_NAMES, ensureSearchIndexes, existingSearchIndexes } from './devices-bulk.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-devices-bulk-'));
const csv = join(dir, 'hospital.csv');
const CSV_ROWS = 900;
beforeAll(() => writeDemoCsv(csv, { seed: 5, count: CSV_ROWS }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = fixedClock('2025-05-01T10:00:00.000Z', 1);
const cmms = provenance('import:cmms.csv', '2025-04-01T00:00:00Z', { confidence: 0.9 });

/** The search indexes as the database describes them (name -> definition). */
async function definitions(handle: DatabaseHandle): Promise<Record<string, string>> {
  const rows =
    handle.dialect === 'postgres'
      ? await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where schemaname = current_schema() and tablename = 'devices'`.execute(handle.db)
      : await sql<{ name: string; def: string }>`select name, sql as def from sqlite_master where type = 'index' and tbl_name = 'devices'`.execute(handle.db);
  const wanted = new Set(SEARCH_INDEX_NAMES);
  return Object.fromEntries(rows.rows.filter((r) => wanted.has(r.name)).map((r) => [r.name, r.def]));
}

const dropIndexes = async (handle: DatabaseHandle, names: readonly string[]) => {
  for (const name of names) await handle.db.schema.dropIndex(name).execute();
};

/** 60 devices whose attributes cycle with different periods, so every sort has ties and every filter a mix. */
function fixture(from = 0, n = 60): DeviceReport[] {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return report(
      {
        name: ['Alpha pump', 'Bravo monitor', 'charlie vent', 'Delta'][i % 4],
        category: ['infusion-pump', 'patient-monitor', 'ventilator', 'printer', 'ct-scanner'][i % 5],
        manufacturer: ['GE Healthcare', 'Philips', 'Baxter'][i % 3],
        serialNumber: `BULK-${i}`,
        status: LIFECYCLE_STATUSES[i % 4],
        unit: ['ICU', 'ER', 'Ward 5'][i % 3],
        site: i % 2 ? 'North' : 'South',
      },
      provenance(i % 3 ? 'discovery:arp' : 'import:cmms.csv', `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`, { kind: i % 3 ? 'discovery' : 'import' }),
      { macs: [`02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`] },
    );
  });
}

const QUERIES: DeviceQuery[] = [
  ...(['name', 'category', 'manufacturer', 'criticality', 'status', 'unit', 'lastSeen'] as const).flatMap((sort) => [
    { sort, limit: 7 },
    { sort, order: 'desc' as const, limit: 9 },
  ]),
  { category: ['infusion-pump', 'ventilator'], sort: 'name', limit: 5 },
  { manufacturer: ['Philips'], status: ['in-service', 'planned'], sort: 'unit', limit: 4 },
  { unit: 'ICU', sort: 'criticality', order: 'desc', limit: 6 },
  { text: 'pump', sort: 'lastSeen', limit: 8 },
  { text: 'bulk-1', site: 'North', limit: 3 },
];

/** Every page of every query, plus facets, read through a repository with nothing cached. */
async function everything(handle: DatabaseHandle): Promise<unknown[]> {
  const inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit: new MemoryAuditRecorder(), clock });
  const out: unknown[] = [];
  for (const q of QUERIES) {
    let cursor: string | undefined;
    do {
      const page = await inventory.search({ ...q, ...(cursor ? { cursor } : {}) });
      out.push(page.total, page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    out.push(await inventory.facets(q));
  }
  return out;
}

describeEachEngine('device bulk load', ({ dialect, open }) => {
  let handle: DatabaseHandle;
  let repo: KyselyDeviceRepository;
  let inventory: InventoryService;

  beforeEach(async () => {
    handle = await open();
    repo = new KyselyDeviceRepository(handle);
    inventory = new InventoryService({ repo, audit: new MemoryAuditRecorder(), clock });
  });
  afterEach(async () => handle?.close());

  it(`${dialect === 'sqlite' ? 'drops the search indexes' : 'keeps the search indexes'} during a bulk load and leaves them as the migration made them`, async () => {
    const before = await definitions(handle);
    expect(Object.keys(before).sort()).toEqual([...SEARCH_INDEX_NAMES].sort());
    await repo.beginBulkLoad();
    expect(await definitions(handle)).toEqual(dialect === 'sqlite' ? {} : before);
    await repo.endBulkLoad();
    expect(await definitions(handle)).toEqual(before);
  });

  it('answers every search, count and facet the same during a bulk load (also after writes) as after it', async () => {
    await inventory.applyReports(fixture(), testActor);
    const before = await everything(handle);
    await repo.beginBulkLoad();
    expect(await everything(handle)).toEqual(before);
    await inventory.applyReports(fixture(60, 40), testActor);
    const during = await everything(handle);
    expect(during).not.toEqual(before);
    await repo.endBulkLoad();
    expect(await everything(handle)).toEqual(during);
  });

  it('restores the indexes only when the last of overlapping bulk loads ends', async () => {
    const before = await definitions(handle);
    await repo.beginBulkLoad();
    await repo.beginBulkLoad();
    await repo.endBulkLoad();
    expect(Object.keys(await definitions(handle))).toHaveLength(dialect === 'sqlite' ? 0 : SEARCH_INDEX_NAMES.length);
    await repo.endBulkLoad();
    expect(await definitions(handle)).toEqual(before);
  });

  it('creates the search indexes a process killed during a bulk load left missing, and nothing when none is missing', async () => {
    const before = await definitions(handle);
    const missing = [SEARCH_INDEX_NAMES[0]!, SEARCH_INDEX_NAMES[4]!];
    await dropIndexes(handle, missing);
    expect((await existingSearchIndexes(handle.db, dialect)).size).toBe(SEARCH_INDEX_NAMES.length - 2);
    expect(await ensureSearchIndexes(handle.db, dialect)).toEqual(missing);
    expect(await definitions(handle)).toEqual(before);
    expect(await ensureSearchIndexes(handle.db, dialect)).toEqual([]);
  });

  it('counts the devices', async () => {
    expect(await inventory.count()).toBe(0);
    await inventory.applyReports(fixture(0, 25), testActor);
    expect(await inventory.count()).toBe(25);
  });

  it('stores created devices under fresh seqs, also after the newest device was deleted, so no document lands on another device', async () => {
    const [a, b, c] = await inventory.applyReports([report({ name: 'A', serialNumber: 'SEQ-A' }, cmms), report({ name: 'B', serialNumber: 'SEQ-B' }, cmms), report({ name: 'C', serialNumber: 'SEQ-C' }, cmms)], testActor);
    await inventory.delete(c!.device.id, testActor);
    const [d, e] = await inventory.applyReports([report({ name: 'D', serialNumber: 'SEQ-D' }, cmms), report({ name: 'B2', serialNumber: 'SEQ-B' }, cmms)], testActor);
    expect(d!.created).toBe(true);
    expect(e).toMatchObject({ created: false, changed: ['name'] });
    const [f] = await inventory.applyReports([report({ name: 'F', serialNumber: 'SEQ-F' }, cmms)], testActor);
    for (const [id, name] of [
      [a!.device.id, 'A'],
      [b!.device.id, 'B2'],
      [d!.device.id, 'D'],
      [f!.device.id, 'F'],
    ] as const) {
      expect((await inventory.get(id)).name).toBe(name);
    }
    const rows = await sql<{ id: string; doc: string }>`select d.id, c.doc from devices d join device_docs c on c.seq = d.seq`.execute(handle.db);
    expect(rows.rows).toHaveLength(4);
    for (const r of rows.rows) expect(r.doc).toContain(JSON.stringify(r.id));
    expect(Number((await sql<{ n: number }>`select count(*) as n from device_docs`.execute(handle.db)).rows[0]!.n)).toBe(4);
  });
});

/** InventoryService at the import's port, with a hook before each batch (sees storage as the batch will). */
function sinkWithHook(inventory: InventoryService, beforeBatch: (batch: number) => Promise<void>): DeviceReportSink {
  let batches = 0;
  return {
    applyReports: (reports, actor) => inventory.applyReports(reports, actor),
    applyNormalizedReports: async (reports, actor) => {
      await beforeBatch(++batches);
      return inventory.applyNormalizedReports(reports, actor);
    },
    count: () => inventory.count(),
    beginBulkLoad: () => inventory.beginBulkLoad(),
    endBulkLoad: () => inventory.endBulkLoad(),
  };
}

/** What every stored device says, independent of its id and of times (each import reads the clock anew), in name order. */
async function snapshot(inventory: InventoryService): Promise<unknown[]> {
  const out: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await inventory.search({ limit: 200, sort: 'name', ...(cursor ? { cursor } : {}) });
    for (const d of page.items) {
      const { id: _id, createdAt: _c, updatedAt: _u, firstSeen: _f, lastSeen: _l, provenance: p, ...rest } = d as Device;
      out.push({ ...rest, provenance: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v && `${v.source} ${v.kind} ${v.confidence}`])) });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describeEachEngine('import as a bulk load', ({ dialect, open }) => {
  /** 900 rows in batches of 200: bulk-loads from the second batch on (thresholds scaled down). */
  const BATCH = 200;
  const policy = { minRows: 500, minCreatedShare: 0.5 };
  const actor = systemActor('bulk-test');
  let handle: DatabaseHandle | undefined;
  let inventory: InventoryService;
  let indexesPerBatch: number[];
  let failAt: number;
  let imports: ImportService;

  beforeEach(async () => {
    handle = await open();
    inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit: new MemoryAuditRecorder(), clock });
    indexesPerBatch = [];
    failAt = 0;
    const db = handle;
    const sink = sinkWithHook(inventory, async (batch) => {
      indexesPerBatch.push((await existingSearchIndexes(db.db, dialect)).size);
      if (batch === failAt) throw new Error('storage went away');
    });
    imports = new ImportService({ inventory: sink, clock, bulkLoad: policy });
  });
  afterEach(async () => handle?.close());

  const all = SEARCH_INDEX_NAMES.length;
  const duringBulk = (d: Dialect) => (d === 'sqlite' ? 0 : all);

  it('runs a large import into a small inventory as a bulk load, restores the indexes, and stores what a normal import stores', async () => {
    const before = await definitions(handle!);
    const result = await imports.importFile(csv, { batchSize: BATCH }, actor);
    expect(result).toMatchObject({ rowsRead: CSV_ROWS, created: CSV_ROWS, rejectedCount: 0, batches: 5 });
    expect(indexesPerBatch).toEqual([all, ...Array<number>(4).fill(duringBulk(dialect))]);
    expect(await definitions(handle!)).toEqual(before);
    const bulk = await snapshot(inventory);

    await handle!.close();
    handle = await open();
    const reference = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit: new MemoryAuditRecorder(), clock });
    await new ImportService({ inventory: reference, clock, bulkLoad: { ...policy, minRows: Number.POSITIVE_INFINITY } }).importFile(csv, { batchSize: BATCH }, actor);
    expect(await snapshot(reference)).toEqual(bulk);
  });

  it('re-imports the file as a no-op without a bulk load', async () => {
    await imports.importFile(csv, { batchSize: BATCH }, actor);
    const stored = await snapshot(inventory);
    const revision = async () => Number((await sql<{ revision: number }>`select revision from inventory_revision where id = 1`.execute(handle!.db)).rows[0]!.revision);
    const rev = await revision();
    indexesPerBatch = [];
    const again = await imports.importFile(csv, { batchSize: BATCH }, actor);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: CSV_ROWS });
    expect(indexesPerBatch).toEqual(Array<number>(5).fill(all));
    expect(await revision()).toBe(rev);
    expect(await snapshot(inventory)).toEqual(stored);
  });

  it('restores the indexes when a bulk import fails', async () => {
    const before = await definitions(handle!);
    failAt = 3;
    await expect(imports.importFile(csv, { batchSize: BATCH }, actor)).rejects.toThrow('storage went away');
    expect(indexesPerBatch).toEqual([all, duringBulk(dialect), duringBulk(dialect)]);
    expect(await definitions(handle!)).toEqual(before);
    expect(await inventory.count()).toBe(2 * BATCH);
  });

  it('restores the indexes when a bulk import is aborted', async () => {
    const before = await definitions(handle!);
    const controller = new AbortController();
    const run = imports.importFile(csv, { batchSize: BATCH, signal: controller.signal }, actor, (p) => {
      if (p.imported >= 3 * BATCH) controller.abort();
    });
    await expect(run).rejects.toMatchObject({ code: 'import.aborted' });
    expect(indexesPerBatch.slice(0, 3)).toEqual([all, duringBulk(dialect), duringBulk(dialect)]);
    expect(await definitions(handle!)).toEqual(before);
  });
});

it('startup creates the search indexes an interrupted bulk import left missing', async () => {
  const config = loadConfig({}, { dataDir: join(dir, 'heal'), logLevel: 'silent' });
  const first = await createContainer(config);
  const before = await definitions(first.storage);
  try {
    await dropIndexes(first.storage, SEARCH_INDEX_NAMES); // as a killed bulk load leaves them
    expect(await definitions(first.storage)).toEqual({});
  } finally {
    await first.close();
  }
  const second = await createContainer(config);
  try {
    expect(await definitions(second.storage)).toEqual(before);
  } finally {
    await second.close();
  }
});
