/**
 * @module What the alert service needs from storage. Transactions hand the service both a store
 * and the raw executor, so the audit entry of each change commits in the same transaction.
 */
import type { Alert, AlertSeverity, AlertStatus } from './model.js';

export interface AlertFilter {
  status?: readonly AlertStatus[];
  severity?: readonly AlertSeverity[];
  deviceId?: string;
  source?: string;
  q?: string;
}

/** Keyset position in newest-first order. */
export interface AlertCursor {
  createdAt: string;
  id: string;
}

export type AlertChanges = Partial<Omit<Alert, 'id' | 'createdAt' | 'dedupKey' | 'source'>>;

export interface AlertStore {
  get(id: string): Promise<Alert | undefined>;
  /** the open or acknowledged alert with this dedup key, locked for the transaction where the engine can */
  findActive(dedupKey: string): Promise<Alert | undefined>;
  /** findActive for many keys in one query (locked alike): dedup key -> active alert, keys without one absent */
  findActiveMany(dedupKeys: readonly string[]): Promise<Map<string, Alert>>;
  /** false when an active alert with the same dedup key already exists (nothing inserted) */
  insert(alert: Alert): Promise<boolean>;
  /** applies changes only while the alert is in one of `fromStatus`; false when it was not */
  update(id: string, changes: AlertChanges, fromStatus: readonly AlertStatus[]): Promise<boolean>;
  list(filter: AlertFilter, after: AlertCursor | undefined, limit: number): Promise<Alert[]>;
  count(filter: AlertFilter): Promise<number>;
  countBy(): Promise<Array<{ status: AlertStatus; severity: AlertSeverity; n: number }>>;
}

export interface AlertRepository extends AlertStore {
  transaction<T>(fn: (store: AlertStore, executor: unknown) => Promise<T>): Promise<T>;
}
