/**
 * @module The device inventory model. A device's attributes each carry provenance (which source
 * said it, when, how confident), so a record merged from a CMMS export, passive discovery and an
 * analyst's edit still says where every value came from.
 */

export const CRITICALITIES = ['life-sustaining', 'life-supporting', 'diagnostic', 'therapeutic-non-critical', 'non-clinical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const LIFECYCLE_STATUSES = ['planned', 'in-service', 'maintenance', 'quarantined', 'spare', 'retired', 'disposed'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export const PHI_HANDLING = ['none', 'displays', 'stores', 'transmits', 'stores-and-transmits', 'unknown'] as const;
export type PhiHandling = (typeof PHI_HANDLING)[number];

/**
 * Where an attribute value came from: an import, passive discovery, a person, an agent, or
 * `inferred` (derived by CareGuard itself, e.g. a criticality defaulted from the category).
 */
export const SOURCE_KINDS = ['import', 'discovery', 'manual', 'agent', 'demo', 'api', 'inferred'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Provenance {
  /** e.g. "import:cmms-ge-export.csv", "discovery:dicom", "manual:user_01H..." */
  source: string;
  kind: SourceKind;
  /** 0..1; manual entries are 1, inferred discovery values lower */
  confidence: number;
  observedAt: string;
}

export interface Location {
  site?: string;
  building?: string;
  floor?: string;
  unit?: string;
  room?: string;
}

/** Keys by which two reports are recognised as the same device (identity merge). */
export const IDENTIFIER_KINDS = ['serial', 'mac', 'ip', 'hostname', 'ae_title', 'hl7_app', 'asset_tag', 'mqtt_client'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Identifiers strong enough to merge on by themselves (an IP or hostname can be reused). */
export const MERGE_KEYS: readonly IdentifierKind[] = ['serial', 'mac', 'ae_title', 'asset_tag'];

export interface DeviceIdentifier {
  kind: IdentifierKind;
  value: string;
}

export interface NetworkIdentities {
  macs: string[];
  ips: string[];
  hostnames: string[];
  aeTitles: string[];
  /** "APPLICATION^FACILITY" pairs from HL7 MSH-3/MSH-4 */
  hl7Applications: string[];
}

/** The scalar attributes of a device that carry provenance. */
export interface DeviceAttributes {
  name?: string;
  category?: string;
  manufacturer?: string;
  model?: string;
  serialNumber?: string;
  assetTag?: string;
  firmwareVersion?: string;
  softwareVersion?: string;
  operatingSystem?: string;
  criticality?: Criticality;
  phiHandling?: PhiHandling;
  owner?: string;
  status?: LifecycleStatus;
  endOfSupport?: string;
  site?: string;
  building?: string;
  floor?: string;
  unit?: string;
  room?: string;
}

export type DeviceAttributeName = keyof DeviceAttributes;

/** Every attribute name, in display order. */
export const DEVICE_ATTRIBUTE_NAMES = [
  'name',
  'category',
  'manufacturer',
  'model',
  'serialNumber',
  'assetTag',
  'firmwareVersion',
  'softwareVersion',
  'operatingSystem',
  'criticality',
  'phiHandling',
  'owner',
  'status',
  'endOfSupport',
  'site',
  'building',
  'floor',
  'unit',
  'room',
] as const satisfies readonly DeviceAttributeName[];
// Fails to compile when an attribute is added to DeviceAttributes but not to the list above.
const _allAttributesListed: Exclude<DeviceAttributeName, (typeof DEVICE_ATTRIBUTE_NAMES)[number]> extends never ? true : never = true;
void _allAttributesListed;

export interface Device extends DeviceAttributes {
  id: string;
  network: NetworkIdentities;
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  /**
   * provenance of each attribute that has a value; an entry without a value is a manual clear,
   * which keeps lower-ranked sources from filling the attribute in again
   */
  provenance: Partial<Record<DeviceAttributeName | 'network', Provenance>>;
  /** every source that has reported this device, oldest first */
  sources?: string[];
}

/** What a source reports about one device: attributes plus identifiers, with its provenance. */
export interface DeviceReport {
  attributes: DeviceAttributes;
  network?: Partial<NetworkIdentities>;
  provenance: Provenance;
  /** an explicit id (an update of a known device), otherwise found by identity merge */
  deviceId?: string;
}

export interface DeviceQuery {
  text?: string;
  category?: string[];
  manufacturer?: string[];
  criticality?: Criticality[];
  status?: LifecycleStatus[];
  site?: string;
  building?: string;
  unit?: string;
  sort?: DeviceSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

export const DEVICE_SORT_FIELDS = ['name', 'category', 'manufacturer', 'model', 'criticality', 'lastSeen', 'firstSeen', 'status', 'unit'] as const;
export type DeviceSortField = (typeof DEVICE_SORT_FIELDS)[number];

/** Devices per page of a search: here rather than in query.ts so the CLI's help can name them without loading the search code. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  /** opaque; absent on the last page */
  nextCursor?: string;
  /** total matching rows (exact) */
  total: number;
}

export interface UpsertOutcome {
  device: Device;
  created: boolean;
  /** attributes whose value changed */
  changed: DeviceAttributeName[];
  /** devices folded into this one because the report linked them */
  mergedFrom: string[];
  /** a MAC, IP, hostname, AE title or HL7 application was added */
  networkChanged: boolean;
  /** whether anything about the device was persisted (false: the report repeated what was known) */
  written: boolean;
}

/** A manual edit: a value sets the attribute, null clears it; network lists given replace the old ones. */
export type DevicePatch = { [K in DeviceAttributeName]?: DeviceAttributes[K] | null } & { network?: Partial<NetworkIdentities> };

export interface FacetCount {
  value: string;
  count: number;
}

/** Counts for dashboard filters. Each dimension is counted under every filter except its own. */
export interface DeviceFacets {
  categories: FacetCount[];
  manufacturers: FacetCount[];
  criticalities: FacetCount[];
  statuses: FacetCount[];
  sites: FacetCount[];
  units: FacetCount[];
}
