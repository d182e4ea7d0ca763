/**
 * @module The shapes the dashboard reads from the CareGuard HTTP API (/api/v1). Duplicated from the
 * server's models on purpose: the web bundle depends only on the wire contract, never on server code,
 * so the two can be built and versioned separately.
 */

export const CRITICALITIES = ['life-sustaining', 'life-supporting', 'diagnostic', 'therapeutic-non-critical', 'non-clinical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const LIFECYCLE_STATUSES = ['planned', 'in-service', 'maintenance', 'quarantined', 'spare', 'retired', 'disposed'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export type PhiHandling = 'none' | 'displays' | 'stores' | 'transmits' | 'stores-and-transmits' | 'unknown';

export type SourceKind = 'import' | 'discovery' | 'manual' | 'agent' | 'demo' | 'api';

export interface Provenance {
  source: string;
  kind: SourceKind;
  /** 0..1 */
  confidence: number;
  observedAt: string;
}

export interface NetworkIdentities {
  macs: string[];
  ips: string[];
  hostnames: string[];
  aeTitles: string[];
  hl7Applications: string[];
}

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

export interface Device extends DeviceAttributes {
  id: string;
  network: NetworkIdentities;
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  provenance: Partial<Record<DeviceAttributeName | 'network', Provenance>>;
}

/** A device as list pages carry it (GET /api/v1/devices): no provenance; the detail endpoint has it. */
export type DeviceSummary = Omit<Device, 'provenance'>;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
  total: number;
}

export const DEVICE_SORT_FIELDS = ['name', 'category', 'manufacturer', 'model', 'criticality', 'lastSeen', 'status', 'unit'] as const;
export type DeviceSortField = (typeof DEVICE_SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

export interface DeviceListQuery {
  q?: string;
  category?: string;
  manufacturer?: string;
  criticality?: string;
  status?: string;
  site?: string;
  unit?: string;
  sort?: DeviceSortField;
  order?: SortOrder;
  limit?: number;
  cursor?: string;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface DeviceFacets {
  categories: FacetValue[];
  manufacturers: FacetValue[];
  criticalities: FacetValue[];
  statuses: FacetValue[];
  sites: FacetValue[];
  units: FacetValue[];
}

export interface TaxonomyCategory {
  id: string;
  label: string;
  group: string;
  defaultCriticality: Criticality;
  description: string;
}

export const ALERT_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** who acknowledged or resolved an alert */
export interface AlertActorRef {
  id: string;
  name: string;
}

export interface AlertEvidence {
  kind: string;
  ref: string;
  detail?: string;
}

export interface Alert {
  id: string;
  title: string;
  description?: string;
  severity: AlertSeverity;
  status: AlertStatus;
  deviceId?: string;
  source: string;
  category?: string;
  dedupKey: string;
  evidence: AlertEvidence[] | unknown;
  count: number;
  firstSeen: string;
  lastSeen: string;
  acknowledgedAt?: string;
  acknowledgedBy?: AlertActorRef | string;
  acknowledgeNote?: string;
  resolvedAt?: string;
  resolvedBy?: AlertActorRef | string;
  resolutionNote?: string;
}

export interface AlertListQuery {
  status?: string;
  severity?: string;
  deviceId?: string;
  limit?: number;
  cursor?: string;
}

export type Role = 'admin' | 'security_analyst' | 'biomed_engineer' | 'clinician_viewer' | 'auditor';

export interface SessionUser {
  id: string;
  username: string;
  role: Role | string;
  displayName?: string;
  permissions?: string[];
}

export interface LoginResponse {
  user: SessionUser;
  csrfToken: string;
  expiresAt?: string;
}

export interface MeResponse {
  kind?: 'session' | 'user_token' | 'machine_token';
  /** null for a machine token, which the dashboard never holds */
  user: SessionUser | null;
  /** present for cookie sessions: a reload recovers the CSRF token from here */
  csrfToken?: string;
  permissions?: string[];
}

/** RFC 9457 problem details as CareGuard sends them. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  [extension: string]: unknown;
}
