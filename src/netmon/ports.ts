/**
 * @module What passive monitoring keeps: one record per ingested capture or flow log (counts,
 * protocols, zone pairs, detection summary), the conversations it saw (for flow summaries and the
 * communication map), a sample of its observations (the evidence an analyst drills into), and the
 * learned baseline so learning continues across captures.
 */
import type { Conversation } from './conversations/index.js';
import type { Direction, Observation, Transport, WireFinding } from './model.js';

/** A capture file as it was when ingested: a rotated file with the same identity is not ingested again. */
export interface CaptureFileIdentity {
  /** absolute path */
  path: string;
  /** size in bytes */
  bytes: number;
  /** modification time (ISO, millisecond precision) */
  modifiedAt: string;
}

export interface CaptureRecord {
  id: string;
  name: string;
  /** 'pcap' | 'flow-log' */
  kind: string;
  startedAt: string;
  finishedAt: string;
  /** first and last packet time in the capture */
  firstSeen?: string;
  lastSeen?: string;
  bytes: number;
  packets: number;
  flows: number;
  devices: number;
  detections: number;
  /** protocols, zone pairs, detection summary, wire finding groups (JSON) */
  summary: Record<string, unknown>;
  ingestedBy: string;
  /** the file this capture was ingested from, when it was one file of a followed directory */
  source?: CaptureFileIdentity;
}

export interface ConversationFilter {
  /** conversations where client or server is one of these */
  ips?: readonly string[];
  /** last seen at or after (ISO) */
  from?: string;
  /** first seen before (ISO) */
  to?: string;
}

/** An observation to store with its capture (ObservationSample decides which). */
export interface ObservationRow {
  /** unique; within a capture, sorts in capture order */
  id: string;
  observation: Observation;
  /** the group's total count, on the group's last kept row */
  groupCount?: number;
  /**
   * The observation with its fields as the JSON text to store, when the row holds them as text (the
   * observation's `fields` are then not to be read): storing neither parses nor writes them again.
   * Undefined, or absent, means: store `observation.fields`.
   */
  stored?(): { observation: Observation; fieldsJson: string } | undefined;
}

/** An observation as stored: ts is ISO-8601 UTC with microseconds (fixed width, sorts as text). */
export interface StoredObservation {
  id: string;
  captureId: string;
  ts: string;
  frame: number;
  protocol: string;
  kind: string;
  producer: string;
  flow?: { transport: Transport; client: { ip: string; port: number }; server: { ip: string; port: number } };
  dir?: Direction;
  fields: Record<string, unknown>;
  findings?: WireFinding[];
  groupCount?: number;
}

export interface ObservationFilter {
  captureId?: string;
  /** client or server address */
  ip?: string;
  protocol?: string;
  kind?: string;
  /** at or after (ISO with microseconds, as stored) */
  from?: string;
  /** before (ISO with microseconds, as stored) */
  to?: string;
  /** keyset: only observations after this one in (ts, id) order */
  after?: { ts: string; id: string };
}

export interface NetmonStore {
  /** a capture, its conversations and its observation sample, atomically */
  insertCapture(c: CaptureRecord, conversations: readonly Conversation[], observations?: readonly ObservationRow[]): Promise<void>;
  /** oldest first, in (ts, id) order */
  observations(filter: ObservationFilter, limit: number): Promise<StoredObservation[]>;
  getCapture(id: string): Promise<CaptureRecord | undefined>;
  /** the newest capture ingested from exactly this file (path, size and modification time) */
  findCaptureBySource(source: CaptureFileIdentity): Promise<CaptureRecord | undefined>;
  /** newest first */
  listCaptures(limit: number, beforeId?: string): Promise<CaptureRecord[]>;
  /** conversations summed across captures per (client, server, port, transport, protocol), largest first */
  conversations(filter: ConversationFilter, limit: number): Promise<Conversation[]>;
  getBaseline(name: string): Promise<{ json: unknown; updatedAt: string } | undefined>;
  putBaseline(name: string, json: unknown, at: string): Promise<void>;
}
