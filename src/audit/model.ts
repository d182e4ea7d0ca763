/** @module Audit log types shared with every capability that records mutating actions. */
import type { Actor, ActorKind } from '../core/index.js';

export interface AuditEventInput {
  actor: Actor;
  /** dotted verb, e.g. "device.update", "user.create", "alert.acknowledge", "import.run" */
  action: string;
  targetType: string;
  targetId?: string;
  /** state before and after the change; secrets must never be passed here */
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
}

/**
 * Records an action in the tamper-evident log. `executor` is an open Kysely transaction when the
 * caller wants the audit entry committed atomically with its own change (the normal case).
 */
export interface AuditRecorder {
  record(event: AuditEventInput, executor?: unknown): Promise<void>;
}

export interface AuditActor {
  kind: ActorKind;
  id: string;
  name: string;
  role?: string;
  ip?: string;
  requestId?: string;
}

/** One log entry as readers see it; `leafHash` is hex SHA-256(0x00 || canonical JSON of the rest). */
export interface AuditEntry {
  seq: number;
  time: string;
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  details?: Record<string, unknown>;
  leafHash: string;
}

/** An entry as stored: the canonical JSON text that was hashed (the leaf) and its hash. */
export interface AuditEntryRecord {
  seq: number;
  entryJson: string;
  leafHash: string;
}

/** A tree head signed with the log's Ed25519 key (see docs/audit.md for the signed bytes). */
export interface SignedTreeHead {
  treeSize: number;
  /** hex MTH of the first treeSize entries */
  rootHash: string;
  /** ISO-8601 UTC */
  timestamp: string;
  /** hex SHA-256 of the signing key's SubjectPublicKeyInfo DER */
  keyId: string;
  /** base64 Ed25519 signature over treeHeadMessage() */
  signature: string;
}

export interface StoredTreeHead extends SignedTreeHead {
  id: string;
}

export interface AuditQuery {
  actorId?: string;
  /** exact action, or a prefix ending in "*" ("device.*") */
  action?: string;
  targetType?: string;
  targetId?: string;
  /** inclusive lower bound on time (ISO-8601) */
  from?: string;
  /** exclusive upper bound on time (ISO-8601) */
  to?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor?: string;
  total: number;
}

export interface InclusionProofResult {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  /** hex hashes, leaf's sibling first (RFC 9162 §2.1.3.1 PATH) */
  auditPath: string[];
  /** a signed head for treeSize, when the log has one */
  treeHead?: SignedTreeHead;
}

export interface ConsistencyProofResult {
  firstSize: number;
  secondSize: number;
  firstRootHash: string;
  secondRootHash: string;
  /** hex hashes (RFC 9162 §2.1.4.1 PROOF) */
  consistencyPath: string[];
  firstTreeHead?: SignedTreeHead;
  secondTreeHead?: SignedTreeHead;
}

export type VerifyProblem =
  | 'content_mismatch'
  | 'entry_inserted'
  | 'entry_deleted'
  | 'entry_moved'
  | 'sequence_gap'
  | 'sequence_disorder'
  | 'root_mismatch'
  | 'truncated'
  | 'tree_head_signature'
  | 'tree_head_unknown_key';

export interface VerifyReport {
  ok: boolean;
  /** entries walked */
  entries: number;
  /** signed tree heads whose signature and root were checked */
  treeHeadsChecked: number;
  /** hex root recomputed from content over the whole log (when no entry problem was found) */
  rootHash?: string;
  /** the first leaf index not proven intact */
  firstBadIndex?: number;
  problem?: VerifyProblem;
  reason?: string;
  /** signed tree heads that failed their own check (bad signature, unknown key) */
  treeHeadErrors: string[];
  /** the head signed after a clean verification, when asked for */
  signedTreeHead?: SignedTreeHead;
  durationMs: number;
}
