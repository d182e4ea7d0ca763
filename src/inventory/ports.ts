/**
 * @module What the inventory needs from storage (implemented in src/storage/repositories/devices.ts
 * for SQLite and PostgreSQL, checked by one contract test suite). The service decides; the
 * repository only persists what it is told, in one transaction per unit of work.
 */
import type { IdentityKey } from './identity.js';
import type { Criticality, Device, DeviceFacets, DeviceSortField, LifecycleStatus, Page } from './model.js';

/** A device to insert or replace, with the identity keys to index and to drop. */
export interface DeviceWrite {
  device: Device;
  created: boolean;
  addKeys: IdentityKey[];
  removeKeys: IdentityKey[];
}

/** A device folded into another: its row and its identity keys go. */
export interface DeviceRemoval {
  id: string;
  keys: IdentityKey[];
}

/** A search already validated by the service: categories are ids, manufacturers canonical, text lower-cased words. */
export interface ResolvedDeviceQuery {
  words: string[];
  category: string[];
  manufacturer: string[];
  criticality: Criticality[];
  status: LifecycleStatus[];
  site?: string;
  building?: string;
  unit?: string;
  sort: DeviceSortField;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

/** Operations inside one transaction. */
export interface DeviceUnitOfWork {
  /** the open transaction, handed to the audit recorder so its entry commits with the change */
  readonly executor: unknown;
  /** device ids indexed under each key, by identityKeyString; keys may repeat; one round trip per key kind */
  lookupKeys(keys: readonly IdentityKey[]): Promise<Map<string, string[]>>;
  getMany(ids: readonly string[]): Promise<Map<string, Device>>;
  /** persists writes and removals with multi-row statements; bumps the inventory revision once */
  apply(writes: readonly DeviceWrite[], removals: readonly DeviceRemoval[]): Promise<void>;
}

export interface DeviceRepository {
  /** Runs `work` in one transaction; concurrent units of work on the inventory run one at a time. */
  transaction<T>(work: (uow: DeviceUnitOfWork) => Promise<T>): Promise<T>;
  get(id: string): Promise<Device | undefined>;
  /** devices indexed under any of the keys */
  findByKeys(keys: readonly IdentityKey[]): Promise<Device[]>;
  /** devices whose addresses include any of `ips` (the address in any spelling normalizeIp reads: an index probe per address), ordered by id */
  findByIps(ips: readonly string[]): Promise<Device[]>;
  /**
   * One keyset page. `total` is exact. The cursor is opaque to callers; an unreadable cursor,
   * or one from a different sort, fails with DomainError "device.invalid_cursor".
   */
  search(query: ResolvedDeviceQuery): Promise<Page<Device>>;
  facets(query: ResolvedDeviceQuery, maxValues: number): Promise<DeviceFacets>;
  /** how many devices the inventory holds (exact) */
  count(): Promise<number>;
  /**
   * Readies storage for a load about as large as the inventory (SQLite: drops the search
   * indexes, which are cheaper to build once at the end than to maintain row by row; a no-op on
   * PostgreSQL). Searches stay correct meanwhile, only slower. Each call must be paired with
   * endBulkLoad in a `finally`; overlapping bulk loads end when the last one ends.
   */
  beginBulkLoad(): Promise<void>;
  /** Undoes beginBulkLoad (creates any missing search index) once no other bulk load is running. */
  endBulkLoad(): Promise<void>;
}
