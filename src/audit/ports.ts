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
