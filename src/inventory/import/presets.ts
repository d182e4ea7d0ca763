/**
 * @module Column presets for common CMMS/asset exports, named by their column conventions (not by
 * product claims): the CareGuard layout, a ServiceNow-platform asset export (as produced by
 * Nuvolo and similar apps), a TMS-style biomedical CMMS export (US dates) and an EQ2/Phoenix-style
 * export (European dates, ward/equipment-class vocabulary). Each lists, per field, the header
 * names it recognises in priority order; header names compare case- and punctuation-insensitively.
 * The preset whose names match most of a file's header is chosen when none is given.
 */
import type { Criticality, LifecycleStatus } from '../model.js';
import { IMPORT_FIELDS, normalizeName } from './fields.js';
import type { DateOrder, ValueMaps } from './model.js';

export interface ImportPreset {
  id: string;
  version: number;
  title: string;
  description: string;
  /** field key -> header names, most specific first */
  columns: Readonly<Record<string, readonly string[]>>;
  values?: ValueMaps;
  dateOrder?: DateOrder;
}

const RISK_1_TO_4: Record<string, Criticality> = {
  '1 - most critical': 'life-sustaining',
  '2 - somewhat critical': 'life-supporting',
  '3 - less critical': 'therapeutic-non-critical',
  '4 - not critical': 'non-clinical',
};

export const CAREGUARD_PRESET: ImportPreset = {
  id: 'careguard',
  version: 1,
  title: 'CareGuard generic columns',
  description: 'One column per field, named as in the CareGuard CSV layout (serial_number, asset_tag, mac_addresses, ...).',
  columns: Object.fromEntries(IMPORT_FIELDS.map((f) => [f.key, [f.column, f.key]])),
};

export const SERVICENOW_PRESET: ImportPreset = {
  id: 'servicenow-style',
  version: 1,
  title: 'ServiceNow-platform asset export (e.g. Nuvolo)',
  description: 'Column labels or field names of a ServiceNow alm_asset/cmdb_ci export: "Asset tag", "Serial number", "Model category", "Install status", "busines_criticality" ("1 - most critical" .. "4 - not critical").',
  columns: {
    name: ['Display name', 'display_name', 'Name'],
    category: ['Model category', 'model_category', 'u_device_type', 'Device type'],
    manufacturer: ['Manufacturer', 'manufacturer.name'],
    model: ['Model', 'model.display_name', 'Model ID', 'model_id'],
    serial: ['Serial number', 'serial_number'],
    asset_tag: ['Asset tag', 'asset_tag'],
    firmware: ['Firmware version', 'u_firmware_version'],
    software: ['Software version', 'u_software_version'],
    os: ['Operating System', 'os', 'u_operating_system'],
    criticality: ['Business criticality', 'busines_criticality', 'u_criticality', 'Criticality'],
    phi: ['u_phi_handling', 'PHI handling'],
    owner: ['Owned by', 'owned_by', 'Managed by', 'managed_by'],
    status: ['Install status', 'install_status', 'State', 'Status'],
    end_of_support: ['End of support', 'u_end_of_support', 'End of life', 'u_end_of_life'],
    site: ['Site', 'u_site', 'Company', 'company'],
    building: ['Building', 'u_building'],
    floor: ['Floor', 'u_floor'],
    unit: ['Department', 'department'],
    room: ['Location', 'location', 'Room', 'u_room'],
    mac: ['MAC Address', 'mac_address'],
    ip: ['IP Address', 'ip_address'],
    hostname: ['Host name', 'host_name', 'FQDN', 'fqdn'],
    ae_title: ['AE Title', 'u_ae_title'],
    hl7_app: ['HL7 Application', 'u_hl7_application'],
  },
  values: {
    criticality: RISK_1_TO_4,
    status: { installed: 'in-service', 'pending repair': 'maintenance', 'pending install': 'planned' } satisfies Record<string, LifecycleStatus>,
  },
};

export const TMS_PRESET: ImportPreset = {
  id: 'tms-style',
  version: 1,
  title: 'TMS-style biomedical CMMS export (e.g. Accruent TMS)',
  description: 'Control-number based equipment export: "Control Number", "Device Type", "Mfr", "Model Number", "Risk Level", "Wired MAC"/"Wireless MAC"; US dates (MM/DD/YYYY).',
  columns: {
    name: ['Description', 'Equipment Description', 'Device Description'],
    category: ['Device Type', 'Equipment Type', 'Device Category'],
    manufacturer: ['Manufacturer', 'Mfr', 'Mfg'],
    model: ['Model Number', 'Model No', 'Model'],
    serial: ['Serial Number', 'Serial No', 'SN'],
    asset_tag: ['Control Number', 'Control No', 'Equipment Number', 'Equip No'],
    firmware: ['Firmware Rev', 'Firmware Version', 'Firmware'],
    software: ['Software Rev', 'Software Version'],
    os: ['OS', 'Operating System'],
    criticality: ['Risk Level', 'Risk', 'Risk Class'],
    phi: ['PHI Handling', 'ePHI'],
    owner: ['Owner Department', 'Owner', 'Responsible Dept'],
    status: ['Equipment Status', 'Status'],
    end_of_support: ['Manufacturer EOS', 'End of Support', 'EOL Date', 'End of Life'],
    site: ['Facility', 'Site'],
    building: ['Building', 'Bldg'],
    floor: ['Floor'],
    unit: ['Department', 'Dept'],
    room: ['Room', 'Room/Bed', 'Location'],
    mac: ['Wired MAC', 'Wireless MAC', 'MAC Address', 'MAC'],
    ip: ['IP Address', 'Static IP', 'IP'],
    hostname: ['Host Name', 'Network Name', 'Hostname'],
    ae_title: ['DICOM AE Title', 'AE Title'],
    hl7_app: ['HL7 Application', 'Interface Name'],
  },
  values: {
    criticality: { 'life support': 'life-sustaining', high: 'life-supporting', medium: 'diagnostic', low: 'non-clinical' },
    status: { 'pending acceptance': 'planned', 'incoming inspection': 'planned' },
  },
  dateOrder: 'mdy',
};

export const EQ2_PRESET: ImportPreset = {
  id: 'eq2-phoenix-style',
  version: 1,
  title: 'EQ2/Phoenix-style equipment export',
  description: 'Equipment-register export used by UK/EU hospitals: "Equipment ID", "Equipment Class", "Manufacturer Name", "Serial No", "Ward", "Equipment Status", "Risk Category"; day-first dates (DD/MM/YYYY).',
  columns: {
    name: ['Equipment Description', 'Description'],
    category: ['Equipment Class', 'Equipment Category'],
    manufacturer: ['Manufacturer Name', 'Manufacturer'],
    model: ['Model Name', 'Model'],
    serial: ['Serial No', 'Serial Number'],
    asset_tag: ['Equipment ID', 'Equipment No', 'Asset No'],
    firmware: ['Firmware Version'],
    software: ['Software Version'],
    os: ['Operating System'],
    criticality: ['Risk Category', 'Criticality'],
    phi: ['Patient Data', 'PHI Handling'],
    owner: ['Owner', 'Responsible Person'],
    status: ['Equipment Status', 'Status'],
    end_of_support: ['End of Support Date', 'Support End Date', 'End of Life Date'],
    site: ['Hospital', 'Site'],
    building: ['Building'],
    floor: ['Level', 'Floor'],
    unit: ['Ward', 'Ward/Department', 'Department'],
    room: ['Location', 'Room', 'Bay'],
    mac: ['Network MAC', 'MAC Address'],
    ip: ['Network IP', 'IP Address'],
    hostname: ['Network Name', 'Host Name'],
    ae_title: ['AE Title'],
    hl7_app: ['HL7 Application'],
  },
  values: {
    criticality: { 'life support': 'life-sustaining', critical: 'life-supporting', high: 'life-supporting', standard: 'therapeutic-non-critical', low: 'non-clinical', 'non medical': 'non-clinical' },
    status: { 'awaiting repair': 'maintenance', condemned: 'disposed', 'in store': 'spare', 'awaiting acceptance': 'planned' },
    phi: { 'stores patient data': 'stores', 'no patient data': 'none' },
  },
  dateOrder: 'dmy',
};

export const IMPORT_PRESETS: readonly ImportPreset[] = [CAREGUARD_PRESET, SERVICENOW_PRESET, TMS_PRESET, EQ2_PRESET];

export function presetById(id: string): ImportPreset | undefined {
  return IMPORT_PRESETS.find((p) => p.id === id);
}

/**
 * Header names a preset recognises for each field: its own first, then the generic CareGuard
 * names and the Device property names (serialNumber, macs), so a CareGuard CSV or Device JSON is
 * understood whatever the preset.
 */
export function presetCandidates(preset: ImportPreset): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of IMPORT_FIELDS) {
    const names = [...(preset.columns[f.key] ?? []), f.column, f.key, f.attribute ?? '', f.network ?? ''].filter(Boolean).map(normalizeName);
    out.set(f.key, [...new Set(names)]);
  }
  return out;
}

/** The preset recognising most header names (ties go to the earlier preset). */
export function detectPreset(headers: readonly string[]): ImportPreset {
  const normalized = new Set(headers.map(normalizeName));
  let best = CAREGUARD_PRESET;
  let bestScore = -1;
  for (const p of IMPORT_PRESETS) {
    let score = 0;
    for (const names of Object.values(p.columns)) if (names.some((n) => normalized.has(normalizeName(n)))) score++;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
