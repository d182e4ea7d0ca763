/**
 * @module What the audit log needs from storage. A store is bound to one executor (the database,
 * or an open transaction); the repository hands out stores for its own transactions and for a
 * caller's transaction, so an entry commits atomically with the change it describes.
 */
import type { AuditEntryRecord, AuditQuery, StoredTreeHead } from './model.js';

export interface SubtreeNode {
  level: number;
  index: number;
  /** hex */
  hash: string;
}

export interface AuditEntryFilter extends Omit<AuditQuery, 'limit' | 'cursor' | 'order'> {
  order: 'asc' | 'desc';
  /** keyset: entries strictly after this seq in the given order */
  afterSeq?: number;
  limit: number;
}

/**
 * Consecutive entries packed for hashing in bulk (verification): the bytes each leaf hash is
 * computed over, back to back, and the stored hashes, so a batch crosses to the hashing thread
 * as a few buffers instead of thousands of strings.
 */
export interface PackedEntries {
  /** seq of the first entry; the batch holds seq first, first + 1, ..., first + count - 1 */
  first: number;
  count: number;
  /** per entry, 0x00 then the stored entry text as UTF-8 (the RFC 9162 leaf input) */
  leaves: Uint8Array;
  /** byte length of each entry's leaf input, comma-separated, in order */
  lengths: string;
  /** the stored leaf hashes as 32 raw bytes each, in order */
  hashes: Uint8Array;
}

export interface AuditStore {
  /**
   * Serializes appends across processes for the rest of the transaction (PostgreSQL advisory
   * lock); a no-op where the engine already has a single writer.
   */
  lockForAppend(): Promise<void>;
  /** Highest seq, or -1 for an empty log. */
  lastSeq(): Promise<number>;
  insertEntries(records: readonly AuditEntryRecord[]): Promise<void>;
  /** Stored leaf hashes (hex) for seq in [start, end), ascending; missing rows are simply absent. */
  leafHashes(start: number, end: number): Promise<Array<{ seq: number; leafHash: string }>>;
  getNode(level: number, index: number): Promise<string | undefined>;
  insertNodes(nodes: readonly SubtreeNode[]): Promise<void>;
  insertTreeHead(head: StoredTreeHead): Promise<void>;
  /** Largest tree size, newest timestamp first. */
  latestTreeHead(): Promise<StoredTreeHead | undefined>;
  treeHeadsForSize(size: number): Promise<StoredTreeHead[]>;
  /** All tree heads ordered by size, then timestamp. */
  listTreeHeads(): Promise<StoredTreeHead[]>;
  /** Entries with seq > afterSeq in ascending order (verification walks the log with this). */
  scanEntries(afterSeq: number, limit: number): Promise<AuditEntryRecord[]>;
  /**
   * The next `limit` entries after afterSeq packed for bulk hashing: count 0 past the end, null
   * when they cannot be packed as they are (a gap in seq, a stored hash that is not 64 hex
   * digits), so the caller reads them with scanEntries and reports exactly what is wrong.
   * Optional: engines without it are verified through scanEntries alone.
   */
  scanPacked?(afterSeq: number, limit: number): Promise<PackedEntries | null>;
  getEntry(seq: number): Promise<AuditEntryRecord | undefined>;
  queryEntries(filter: AuditEntryFilter): Promise<AuditEntryRecord[]>;
  countEntries(filter: Omit<AuditEntryFilter, 'afterSeq' | 'limit' | 'order'>): Promise<number>;
}

export interface AuditRepository extends AuditStore {
  transaction<T>(fn: (store: AuditStore) => Promise<T>): Promise<T>;
  /**
   * A store that runs inside the caller's open transaction (a Kysely Transaction), or undefined
   * when the executor is the plain database: the append then runs in a transaction of its own.
   */
  bind(executor: unknown): AuditStore | undefined;
}
