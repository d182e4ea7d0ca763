/** @module Kysely table types for passive network monitoring (owned by the netmon capability). */

export interface NetmonCapturesTable {
  id: string;
  name: string;
  kind: string;
  started_at: string;
  finished_at: string;
  first_seen: string | null;
  last_seen: string | null;
  bytes: number;
  packets: number;
  flows: number;
  devices: number;
  detections: number;
  summary_json: string;
  ingested_by: string;
  /** the followed-directory file it came from (migration 0007) */
  source_path: string | null;
  source_bytes: number | null;
  source_modified_at: string | null;
}

export interface NetmonConversationsTable {
  capture_id: string;
  client: string;
  server: string;
  port: number;
  transport: string;
  protocol: string;
  flows: number;
  packets: number;
  bytes: number;
  first_seen: string;
  last_seen: string;
  first_frame: number;
}

export interface NetmonBaselinesTable {
  name: string;
  json: string;
  updated_at: string;
}

/** migration 0008: the observation sample of each capture */
export interface NetmonObservationsTable {
  id: string;
  capture_id: string;
  /** ISO-8601 UTC with microseconds */
  ts: string;
  frame: number;
  protocol: string;
  kind: string;
  producer: string;
  transport: string | null;
  client_ip: string | null;
  client_port: number | null;
  server_ip: string | null;
  server_port: number | null;
  dir: string | null;
  fields_json: string;
  findings_json: string | null;
  group_count: number | null;
}

export interface NetmonTables {
  netmon_captures: NetmonCapturesTable;
  netmon_conversations: NetmonConversationsTable;
  netmon_baselines: NetmonBaselinesTable;
  netmon_observations: NetmonObservationsTable;
}
