/**
 * @module Device lookup by address (DeviceRepository.findByIps: netmon ingest asks it for every
 * discovered endpoint without a merge key): A addresses (default 1,000), half of them stored,
 * against N demo devices, on SQLite (a file, WAL) and, given a PostgreSQL URL
 * (CAREGUARD_BENCH_PG), on PostgreSQL in a schema of its own. Reference in the same run, on the
 * same data and addresses: findByIps as it ran before the address index of migration 0009 (a
 * JSON scan of every document, matched documents decoded), which must find the same devices.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { fixedClock, systemActor } from '../src/core/index.js';
import { seedDemoHospital } from '../src/inventory/demo/index.js';
import { InventoryService, type Device } from '../src/inventory/index.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/storage/index.js';
import { KyselyDeviceRepository } from '../src/storage/repositories/devices.js';
import { decodeDevice } from '../src/storage/repositories/devices-doc.js';
import { IP_LOOKUP_CHUNK } from '../src/storage/repositories/devices-ips.js';

const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** findByIps as it ran before migration 0009: a scan of every document (network.ips is element [3][1]), matched documents decoded. */
const DOCUMENT_SCAN = {
  sqlite:
    "select d.id, c.doc from devices d join device_docs c on c.seq = d.seq where exists (select 1 from json_each(c.doc, '$[3][1]') a where a.value in (select value from json_each(?)))",
  postgres: 'select d.id, c.doc from devices d join device_docs c on c.seq = d.seq where (c.doc::jsonb -> 3 -> 1) ?| $1::text[]',
} as const;

async function documentScan(h: DatabaseHandle, ips: readonly string[]): Promise<string[]> {
  const found = new Map<string, Device>();
  for (let i = 0; i < ips.length; i += IP_LOOKUP_CHUNK) {
    const part = ips.slice(i, i + IP_LOOKUP_CHUNK);
    const res = await h.db.executeQuery<{ id: string; doc: string }>(CompiledQuery.raw(DOCUMENT_SCAN[h.dialect], [h.dialect === 'postgres' ? part : JSON.stringify(part)]));
    for (const r of res.rows) if (!found.has(r.id)) found.set(r.id, decodeDevice(r.doc));
  }
  return [...found.keys()].sort();
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm: statement caches, pages
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function measure(h: DatabaseHandle, label: string, opts: { devices: number; addresses: number; runs: number }): Promise<Record<string, number | string>> {
  await migrateToLatest(h);
  const repo = new KyselyDeviceRepository(h);
  const inventory = new InventoryService({ repo, audit: { record: async () => undefined }, clock: fixedClock('2026-01-01T00:00:00Z', 1) });
  const t0 = performance.now();
  await seedDemoHospital(inventory, { seed: 3, count: opts.devices, observedAt: '2026-01-01T00:00:00Z' }, systemActor('bench'));
  const seedMs = performance.now() - t0;

  // Half the addresses are stored (spread over the index), half are not (198.18.0.0/15, set aside for benchmarks).
  const stored = (await h.db.selectFrom('device_ips').select('ip').distinct().orderBy('ip').execute()).map((r) => r.ip);
  const half = Math.min(Math.floor(opts.addresses / 2), stored.length);
  const ips = Array.from({ length: half }, (_, i) => stored[Math.floor((i * stored.length) / half)]!);
  for (let i = 0; ips.length < opts.addresses; i++) ips.push(`198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);

  const viaIndex = (await repo.findByIps(ips)).map((d) => d.id);
  const viaScan = await documentScan(h, ips);
  if (JSON.stringify(viaIndex) !== JSON.stringify(viaScan)) throw new Error(`${label}: the index found ${viaIndex.length} devices, the document scan ${viaScan.length}`);

  const indexMs = await timeRuns(opts.runs, () => repo.findByIps(ips));
  const scanMs = await timeRuns(Math.max(3, Math.floor(opts.runs / 4)), () => documentScan(h, ips));
  return {
    [`${label}: seed ${opts.devices} devices (s)`]: round(seedMs / 1000),
    [`${label}: devices found`]: viaIndex.length,
    [`${label}: findByIps, ${ips.length} addresses (ms)`]: round(indexMs),
    [`${label}: document scan, same addresses (ms)`]: round(scanMs),
    [`${label}: scan / index`]: round(scanMs / indexMs),
  };
}

export async function benchFindByIps(opts: { devices: number; addresses?: number; runs?: number; pgUrl?: string }): Promise<Record<string, number | string>> {
  const o = { devices: opts.devices, addresses: opts.addresses ?? 1000, runs: opts.runs ?? 15 };
  const out: Record<string, number | string> = { 'load at start': Number(loadavg()[0]!.toFixed(2)) };
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-ips-'));
  try {
    const h = await openDatabase(join(dir, 'bench.db'));
    try {
      Object.assign(out, await measure(h, 'sqlite', o));
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (opts.pgUrl) {
    const schema = `bench_ips_${randomBytes(4).toString('hex')}`;
    const h = await openDatabase(opts.pgUrl, { pgSchema: schema });
    try {
      Object.assign(out, await measure(h, 'postgres', o));
    } finally {
      await h.close();
      const client = new pg.Client({ connectionString: opts.pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
    }
  }
  return out;
}
