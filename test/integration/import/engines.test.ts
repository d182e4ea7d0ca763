import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.js';
import { writeDemoCsv } from '../../../src/inventory/demo/index.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';
import { allDevices, deviceSnapshot, importStack, type ImportStack } from './stack.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-import-engines-'));
const csv = join(dir, 'hospital.csv');
const json = join(dir, 'devices.ndjson');
const actor = systemActor('engine-test');

beforeAll(async () => {
  await writeDemoCsv(csv, { seed: 3, count: 600 });
  writeFileSync(
    json,
    [
      '{"serialNumber": "NDJ-0001", "category": "Ventilator", "manufacturer": "Draeger", "network": {"macs": ["00:30:e6:00:00:01"]}}',
      '{"serialNumber": "NDJ-0002", "category": "Toaster"}',
      '{"serialNumber": "NDJ-0003", "status": "Awaiting Repair"}',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEachEngine('import into the inventory', ({ open }) => {
  let handle: DatabaseHandle | undefined;
  let stack: ImportStack;
  beforeEach(async () => {
    handle = await open();
    stack = importStack(handle);
  });
  afterEach(async () => handle?.close());

  it('imports a CSV, and importing it again changes nothing', async () => {
    const first = await stack.imports.importFile(csv, { batchSize: 250 }, actor);
    expect(first).toMatchObject({ rowsRead: 600, created: 600, rejectedCount: 0, batches: 3 });
    const before = await allDevices(stack.inventory);
    const again = await stack.imports.importFile(csv, { batchSize: 250 }, actor);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 600 });
    expect(await allDevices(stack.inventory)).toEqual(before);
  });

  it('resumes a partial import to the same end state', async () => {
    const controller = new AbortController();
    await stack.imports
      .importFile(csv, { batchSize: 200, signal: controller.signal }, actor, (p) => {
        if (p.imported >= 200) controller.abort();
      })
      .catch((e: { code?: string }) => expect(e.code).toBe('import.aborted'));
    expect((await allDevices(stack.inventory)).length).toBe(200);
    await stack.imports.importFile(csv, {}, actor);
    const resumed = await deviceSnapshot(stack.inventory);
    // one test database open at a time: Kysely's migrator mistakes another schema's migration tables for its own
    await handle?.close();
    handle = await open();
    const ref = importStack(handle);
    await ref.imports.importFile(csv, {}, actor);
    expect(resumed).toEqual(await deviceSnapshot(ref.inventory));
  });

  it('imports NDJSON, rejecting bad records by line and field', async () => {
    const report = await stack.imports.importFile(json, {}, actor);
    expect(report).toMatchObject({ format: 'ndjson', rowsRead: 3, imported: 1, rejectedCount: 2 });
    expect(report.rejected.map((r) => [r.row, r.column, r.reason.split(';')[0]])).toEqual([
      [2, 'category', 'unknown category'],
      [3, 'status', 'unknown value'],
    ]);
    const vent = await stack.inventory.lookup('NDJ-0001');
    expect(vent).toMatchObject({ category: 'ventilator', manufacturer: 'Drägerwerk' });
  });
});
