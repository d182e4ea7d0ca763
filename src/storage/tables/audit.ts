/**
 * @module Kysely table types for the tamper-evident audit log (owned by the audit capability).
 * Entries, persisted subtree roots and signed tree heads are append-only: the migration adds
 * triggers that refuse UPDATE and DELETE, and `careguard audit verify` detects a bypass.
 */
import type { ColumnType } from 'kysely';

/** PostgreSQL BIGINT arrives as a string from pg; SQLite INTEGER as a number. Read with Number(). */
export type Int8 = ColumnType<number | string, number, number>;

export interface AuditEntriesTable {
  /** 0-based and gapless: the entry's leaf index in the Merkle tree */
  seq: Int8;
  /**
   * The entry itself: canonical JSON of {seq, time, actor, action, targetType, targetId, before,
   * after, details}, exactly the leaf bytes. Filters use expression indexes over this text, so
   * there are no copies of its fields that could be edited to disagree with it.
   */
  entry_json: string;
  /** hex SHA-256(0x00 || entry_json) */
  leaf_hash: string;
}

/** Roots of completed perfect subtrees (levels >= 8), so tree heads and proofs avoid rehashing. */
export interface AuditNodesTable {
  level: number;
  idx: Int8;
  hash: string;
}

export interface AuditTreeHeadsTable {
  id: string;
  tree_size: Int8;
  root_hash: string;
  timestamp: string;
  key_id: string;
  signature: string;
}

export interface AuditTables {
  audit_entries: AuditEntriesTable;
  audit_nodes: AuditNodesTable;
  audit_tree_heads: AuditTreeHeadsTable;
}
