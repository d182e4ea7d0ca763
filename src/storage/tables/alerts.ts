/** @module Kysely table types for alerts (owned by the alerts capability). */

export interface AlertsTable {
  id: string;
  title: string;
  description: string;
  /** critical | high | medium | low | info */
  severity: string;
  /** open | acknowledged | resolved */
  status: string;
  device_id: string | null;
  source: string;
  category: string;
  dedup_key: string;
  /** JSON array of {kind, ref, detail?} */
  evidence_json: string;
  count: number;
  first_seen: string;
  last_seen: string;
  created_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  acknowledged_by_id: string | null;
  acknowledged_by_name: string | null;
  acknowledge_note: string | null;
  resolved_at: string | null;
  resolved_by_id: string | null;
  resolved_by_name: string | null;
  resolution_note: string | null;
}

export interface AlertTables {
  alerts: AlertsTable;
}
