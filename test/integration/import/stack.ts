/**
 * @module The real import stack over a real database for integration tests: ImportService on
 * InventoryService on the Kysely device repository, with the tamper-evident audit log; plus a
 * snapshot of every stored device (minus ids and timestamps) to compare databases by.
 */
import type { AuditService } from '../../../src/audit/index.js';
import { auditServiceFor } from '../../../src/audit/testing.js';
import { canonicalJson, fixedClock, type Clock } from '../../../src/core/index.js';
import { ImportService } from '../../../src/inventory/import/index.js';
import { InventoryService, type Device } from '../../../src/inventory/index.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../../src/storage/index.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';

export interface ImportStack {
  inventory: InventoryService;
  imports: ImportService;
  audit: AuditService;
}

export function importStack(handle: DatabaseHandle, clock: Clock = fixedClock('2025-05-01T10:00:00.000Z', 1)): ImportStack {
  const audit = auditServiceFor(handle, { clock });
  const inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock });
  const imports = new ImportService({ inventory, clock, audit });
  return { inventory, imports, audit };
}

export async function allDevices(inventory: InventoryService): Promise<Device[]> {
  const out: Device[] = [];
  let cursor: string | undefined;
  do {
    const page = await inventory.search({ limit: 200, sort: 'name', ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** What a device says, independent of when and under which id it was stored. */
export async function deviceSnapshot(inventory: InventoryService): Promise<string[]> {
  const devices = await allDevices(inventory);
  return devices
    .map((d) => {
      const { id: _id, createdAt: _c, updatedAt: _u, firstSeen: _f, lastSeen: _l, provenance, ...rest } = d;
      const sources = Object.fromEntries(Object.entries(provenance).map(([k, p]) => [k, p?.source]));
      return canonicalJson({ ...rest, sources });
    })
    .sort();
}

/** A migrated SQLite database in a file (WAL, as in production), for tests that reopen or share it. */
export async function openSqliteFile(path: string): Promise<DatabaseHandle> {
  const handle = await openDatabase(path);
  await migrateToLatest(handle);
  return handle;
}
