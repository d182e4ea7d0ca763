/**
 * @module Kysely table types for the device inventory. `devices` holds the columns searches filter
 * and sort on (narrow, so scans stay cheap); `device_docs` holds each device's full JSON document
 * (attributes, network identities, provenance); `device_identifiers` indexes identity-merge keys;
 * `inventory_revision` counts committed inventory writes, so cached counts know when they are stale.
 * Absent text attributes are stored as '' (not NULL) so keyset comparisons need no NULL cases.
 */
import type { Generated } from 'kysely';

export interface DevicesTable {
  seq: Generated<number>;
  id: string;
  name: string;
  category: string;
  manufacturer: string;
  model: string;
  /** criticalityRank(): 0 life-sustaining .. 4 non-clinical, 9 unknown */
  criticality_rank: number;
  status: string;
  site: string;
  building: string;
  unit: string;
  first_seen: string;
  last_seen: string;
  /** searchTextOf(device): lower-cased, newline-separated */
  search_text: string;
}

export interface DeviceDocsTable {
  seq: number;
  /** the Device as JSON */
  doc: string;
}

export interface DeviceIdentifiersTable {
  kind: string;
  value: string;
  device_id: string;
}

/**
 * `device_ips` (migration 0009): one row per distinct address in each device's document, keyed by
 * address, so devices are found by address without reading every document.
 */
export interface DeviceIpsTable {
  /** an address from network.ips, as the document stores it */
  ip: string;
  device_id: string;
}

export interface InventoryRevisionTable {
  id: number;
  revision: number;
}

export interface InventoryTables {
  devices: DevicesTable;
  device_docs: DeviceDocsTable;
  device_identifiers: DeviceIdentifiersTable;
  device_ips: DeviceIpsTable;
  inventory_revision: InventoryRevisionTable;
}
