/**
 * @module The import fields: what a source column can be mapped to, how its values are checked,
 * and where they land in a DeviceReport. Field keys are what `--map field=Column` uses; the
 * generic column names are the CareGuard CSV layout (the `careguard` preset and the demo export).
 */
import type { DeviceAttributes, NetworkIdentities } from '../model.js';

export type FieldKind = 'text' | 'category' | 'criticality' | 'status' | 'phi' | 'date' | 'mac' | 'ip' | 'hostname' | 'ae_title' | 'hl7_app';

export interface FieldSpec {
  key: string;
  /** column name in the generic CareGuard layout */
  column: string;
  kind: FieldKind;
  attribute?: keyof DeviceAttributes;
  network?: keyof NetworkIdentities;
  /** strong enough to recognise a device across imports (see MERGE_KEYS) */
  identifier: boolean;
  description: string;
}

const text = (key: string, column: string, attribute: keyof DeviceAttributes, description: string, identifier = false): FieldSpec => ({
  key,
  column,
  kind: 'text',
  attribute,
  identifier,
  description,
});

export const IMPORT_FIELDS: readonly FieldSpec[] = [
  text('name', 'name', 'name', 'display name of the device'),
  { key: 'category', column: 'category', kind: 'category', attribute: 'category', identifier: false, description: 'device category (taxonomy id or a known synonym)' },
  text('manufacturer', 'manufacturer', 'manufacturer', 'manufacturer'),
  text('model', 'model', 'model', 'model name or number'),
  text('serial', 'serial_number', 'serialNumber', 'manufacturer serial number', true),
  text('asset_tag', 'asset_tag', 'assetTag', 'hospital asset tag / equipment control number', true),
  text('firmware', 'firmware_version', 'firmwareVersion', 'firmware version'),
  text('software', 'software_version', 'softwareVersion', 'application software version'),
  text('os', 'operating_system', 'operatingSystem', 'operating system and version'),
  { key: 'criticality', column: 'criticality', kind: 'criticality', attribute: 'criticality', identifier: false, description: 'clinical criticality' },
  { key: 'phi', column: 'phi_handling', kind: 'phi', attribute: 'phiHandling', identifier: false, description: 'how the device handles protected health information' },
  text('owner', 'owner', 'owner', 'responsible department or person'),
  { key: 'status', column: 'status', kind: 'status', attribute: 'status', identifier: false, description: 'lifecycle status' },
  { key: 'end_of_support', column: 'end_of_support', kind: 'date', attribute: 'endOfSupport', identifier: false, description: 'manufacturer end of support date (YYYY-MM-DD)' },
  text('site', 'site', 'site', 'site / campus'),
  text('building', 'building', 'building', 'building'),
  text('floor', 'floor', 'floor', 'floor'),
  text('unit', 'unit', 'unit', 'clinical unit / department (ICU, ED, ...)'),
  text('room', 'room', 'room', 'room or bed'),
  { key: 'mac', column: 'mac_addresses', kind: 'mac', network: 'macs', identifier: true, description: 'MAC addresses, separated by "|", ";", "," or spaces' },
  { key: 'ip', column: 'ip_addresses', kind: 'ip', network: 'ips', identifier: false, description: 'IPv4/IPv6 addresses, separated like MACs' },
  { key: 'hostname', column: 'hostnames', kind: 'hostname', network: 'hostnames', identifier: false, description: 'host names, separated like MACs' },
  { key: 'ae_title', column: 'ae_titles', kind: 'ae_title', network: 'aeTitles', identifier: true, description: 'DICOM AE titles, separated by "|", ";" or ","' },
  { key: 'hl7_app', column: 'hl7_applications', kind: 'hl7_app', network: 'hl7Applications', identifier: false, description: 'HL7 "APPLICATION^FACILITY" pairs, separated by "|", ";" or ","' },
];

/** Lower-case alphanumerics only: "Serial No.", "serial_no" and "SerialNo" compare equal. */
export const normalizeName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

const BY_NAME = new Map<string, FieldSpec>();
for (const f of IMPORT_FIELDS) {
  BY_NAME.set(normalizeName(f.key), f);
  BY_NAME.set(normalizeName(f.column), f);
  if (f.attribute) BY_NAME.set(normalizeName(f.attribute), f);
  if (f.network) BY_NAME.set(normalizeName(f.network), f);
}

/** Finds a field by key, generic column name or DeviceAttributes/NetworkIdentities property name. */
export function fieldByName(name: string): FieldSpec | undefined {
  return BY_NAME.get(normalizeName(name));
}

export const IDENTIFIER_FIELDS = IMPORT_FIELDS.filter((f) => f.identifier).map((f) => f.key);

/** The generic CareGuard CSV header, in column order. */
export const GENERIC_COLUMNS: readonly string[] = IMPORT_FIELDS.map((f) => f.column);
