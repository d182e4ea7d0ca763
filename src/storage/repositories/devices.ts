/**
 * @module DeviceRepository on Kysely, one implementation for SQLite and PostgreSQL (checked by
 * devices.test.ts on both). Searches read the inventory revision first; exact totals, text
 * matches, facets and recently served pages are cached per revision (devices-cache.ts), so
 * paging through one search costs one index range read per page and repeating a page costs
 * none. Writes serialize: SQLite has one writer by design, and on PostgreSQL a
 * transaction-scoped advisory lock keeps two imports from creating the same device twice.
 * A large import runs as a bulk load (devices-bulk.ts: on SQLite without the search indexes).
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Device, DeviceFacets, DeviceRepository, DeviceUnitOfWork, IdentityKey, Page, ResolvedDeviceQuery } from '../../inventory/index.js';
import type { DatabaseHandle, Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { dropSearchIndexes, ensureSearchIndexes } from './devices-bulk.js';
import { RevisionCache } from './devices-cache.js';
import { countMatches, facetCounts, matchText, pageDevices, type TextMatch } from './devices-search.js';
import { loadDevicesByIps } from './devices-ips.js';
import { applyWrites, loadDevices, lookupKeys } from './devices-write.js';

const REVISION_QUERY = CompiledQuery.raw('select revision from inventory_revision where id = 1', []);
const COUNT_QUERY = CompiledQuery.raw('select count(*) as n from devices', []);

/** Advisory lock id for inventory writes on PostgreSQL ("CGINV" in ASCII). */
const INVENTORY_LOCK = 0x4347494e56;
/** Refresh SQLite's planner statistics once this many devices were written since the last refresh (doubling after each). */
const ANALYZE_AFTER_ROWS = 2000;

export class KyselyDeviceRepository implements DeviceRepository {
  private readonly db: Kysely<DB>;
  private readonly dialect: Dialect;
  private readonly cache = new RevisionCache();
  /** whole pages, for the searches a dashboard repeats (same filters, same cursor) */
  private readonly pages = new RevisionCache(200);
  private writtenSinceAnalyze = 0;
  private analyzeThreshold = ANALYZE_AFTER_ROWS;
  /** bulk loads begun and not yet ended (imports may overlap); the indexes return when it is 0 */
  private bulkLoads = 0;

  constructor(handle: Pick<DatabaseHandle, 'db' | 'dialect'>) {
    this.db = handle.db;
    this.dialect = handle.dialect;
  }

  async transaction<T>(work: (uow: DeviceUnitOfWork) => Promise<T>): Promise<T> {
    let written = 0;
    const result = await this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${INVENTORY_LOCK})`.execute(trx);
      // The addresses of the devices this unit of work read, as stored now (copied: callers may
      // change what getMany returns). applyWrites diffs the address index against them instead
      // of reading those documents a second time; writes and removals update them.
      const storedIps = new Map<string, readonly string[]>();
      const uow: DeviceUnitOfWork = {
        executor: trx,
        lookupKeys: (keys) => lookupKeys(trx, this.dialect, keys),
        getMany: async (ids) => {
          const found = await loadDevices(trx, this.dialect, ids);
          for (const [id, d] of found) storedIps.set(id, [...d.network.ips]);
          return found;
        },
        apply: async (writes, removals) => {
          written += writes.length + removals.length;
          await applyWrites(trx, this.dialect, writes, removals, storedIps);
          for (const r of removals) storedIps.set(r.id, []);
          for (const w of writes) storedIps.set(w.device.id, [...w.device.network.ips]);
        },
      };
      return work(uow);
    });
    if (this.dialect === 'sqlite') await this.refreshStatistics(written);
    return result;
  }

  /**
   * Without statistics SQLite may walk the wrong index for a filtered, sorted page. An import
   * grows the table in batches, so statistics are refreshed at 2k, 4k, 8k... written devices:
   * a handful of sampled ANALYZE runs per import instead of one per batch.
   */
  private async refreshStatistics(written: number): Promise<void> {
    this.writtenSinceAnalyze += written;
    if (this.writtenSinceAnalyze < this.analyzeThreshold) return;
    await sql`pragma analysis_limit = 400`.execute(this.db);
    await sql`analyze devices`.execute(this.db);
    this.analyzeThreshold = Math.max(ANALYZE_AFTER_ROWS, this.writtenSinceAnalyze * 2);
    this.writtenSinceAnalyze = 0;
  }

  async count(): Promise<number> {
    const row = (await this.db.executeQuery<{ n: number | string }>(COUNT_QUERY)).rows[0];
    return Number(row?.n ?? 0);
  }

  async beginBulkLoad(): Promise<void> {
    this.bulkLoads++;
    if (this.bulkLoads === 1) await dropSearchIndexes(this.db, this.dialect);
  }

  async endBulkLoad(): Promise<void> {
    if (this.bulkLoads === 0) return;
    this.bulkLoads--;
    if (this.bulkLoads === 0) await ensureSearchIndexes(this.db, this.dialect);
  }

  async get(id: string): Promise<Device | undefined> {
    return (await loadDevices(this.db, this.dialect, [id])).get(id);
  }

  async findByIps(ips: readonly string[]): Promise<Device[]> {
    if (ips.length === 0) return [];
    const found = await loadDevicesByIps(this.db, this.dialect, ips);
    return [...found.keys()].sort().map((id) => found.get(id)!);
  }

  async findByKeys(keys: readonly IdentityKey[]): Promise<Device[]> {
    const index = await lookupKeys(this.db, this.dialect, keys);
    const ids = [...new Set([...index.values()].flat())].sort();
    const found = await loadDevices(this.db, this.dialect, ids);
    return ids.map((id) => found.get(id)).filter((d): d is Device => d !== undefined);
  }

  /** The page may come from the cache: callers must treat it as read-only. */
  async search(q: ResolvedDeviceQuery): Promise<Page<Device>> {
    await this.syncRevision();
    return this.pages.getOrCompute(`page:${JSON.stringify(q)}`, () => this.computePage(q));
  }

  private async computePage(q: ResolvedDeviceQuery): Promise<Page<Device>> {
    const text = await this.textMatch(q.words);
    const total = await this.cache.getOrCompute(`count:${filterKey(q)}`, () => countMatches(this.db, this.dialect, q, text));
    // Nothing matches: skip the page query, which could otherwise walk a whole sort index.
    if (total === 0) return { items: [], total };
    const page = await pageDevices(this.db, this.dialect, q, text);
    return page.nextCursor ? { items: page.devices, nextCursor: page.nextCursor, total } : { items: page.devices, total };
  }

  async facets(q: ResolvedDeviceQuery, maxValues: number): Promise<DeviceFacets> {
    await this.syncRevision();
    const text = await this.textMatch(q.words);
    return this.cache.getOrCompute(`facets:${maxValues}:${filterKey(q)}`, () => facetCounts(this.db, this.dialect, q, text, maxValues));
  }

  /** Every search reads the revision first: a fixed statement, not a query tree built per request. */
  private async syncRevision(): Promise<void> {
    const row = (await this.db.executeQuery<{ revision: number | string }>(REVISION_QUERY)).rows[0];
    const revision = Number(row?.revision ?? 0);
    this.cache.sync(revision);
    this.pages.sync(revision);
  }

  private textMatch(words: readonly string[]): Promise<TextMatch> {
    if (words.length === 0) return Promise.resolve({ mode: 'none' });
    return this.cache.getOrCompute(`text:${JSON.stringify(words)}`, () => matchText(this.db, this.dialect, words));
  }
}

/** The part of a query that decides which rows match (not their order or paging). */
function filterKey(q: ResolvedDeviceQuery): string {
  return JSON.stringify([q.words, q.category, q.manufacturer, q.criticality, q.status, q.site ?? null, q.building ?? null, q.unit ?? null]);
}
