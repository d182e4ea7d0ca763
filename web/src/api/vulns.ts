/**
 * @module Typed client for the vulnerability and risk endpoints (/api/v1/products, sboms, findings,
 * risk/*). The shapes are the wire contract of src/api/routes/vulns/* and src/risk/model.ts, copied
 * here on purpose (like types.ts): the dashboard depends on what the server sends, never on its code.
 * Fields the server types as `unknown` (finding detail `intel`/`risk`, portfolio, rollups) are given
 * the shapes the server actually produces today.
 */
import { request, toQueryString } from './client.js';
import type { Criticality, Page, PhiHandling } from './types.js';

export const VEX_STATES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexState = (typeof VEX_STATES)[number];

/** CSAF/OpenVEX labels first, then CycloneDX 1.6 analysis.justification values (src/vulns/findings/model.ts). */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

export const RISK_BANDS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];
export type BandCounts = Record<RiskBand, number>;

export const VEX_FORMATS = ['cyclonedx', 'csaf', 'openvex'] as const;
export type VexFormat = (typeof VEX_FORMATS)[number];

export const ROLLUP_DIMENSIONS = ['site', 'unit', 'product', 'device'] as const;
export type RollupBy = (typeof ROLLUP_DIMENSIONS)[number];

// ---------- products and SBOMs ----------

export interface Product {
  id: string;
  manufacturer: string;
  name: string;
  version: string;
  normalizedVendor: string;
  normalizedProduct: string;
  cpe?: string;
  purl?: string;
  rubric?: Record<string, string>;
  /** 'inventory' | 'sbom' | 'api' */
  origin: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProductListQuery {
  q?: string;
  manufacturer?: string;
  limit?: number;
  cursor?: string;
}

export interface Sbom {
  id: string;
  productId: string;
  format: 'cyclonedx' | 'spdx';
  specVersion: string;
  serialNumber?: string;
  name?: string;
  created?: string;
  parser: string;
  sha256: string;
  componentCount: number;
  importedAt: string;
  importedBy: string;
}

export interface ProductDetail {
  product: Product;
  sboms: Sbom[];
  openFindings: number;
}

export interface SbomComponent {
  ref: string;
  name: string;
  version?: string;
  purl?: string;
  purlRaw?: string;
  cpes: string[];
  supplier?: string;
  author?: string;
  group?: string;
  type: string;
  hashes: { alg: string; value: string }[];
  licenses: string[];
  parentRef?: string;
  ecosystem?: string;
  properties: { name: string; value: string }[];
  /** SBOM quality flags, e.g. 'generic-purl', 'missing-version' */
  flags: string[];
}

export interface SbomDetail {
  sbom: Sbom;
  components: SbomComponent[];
}

// ---------- findings ----------

export interface MatchEvidence {
  advisoryField: string;
  advisoryValue: string;
  componentField: string;
  componentValue: string;
  explanation: string;
}

export interface TriageDecision {
  state: VexState;
  justification?: VexJustification;
  detail?: string;
  action?: string;
  by: { kind: string; id: string; name: string };
  at: string;
  /** 'analyst' or 'vex:<format>' (+ file) when imported from a VEX document */
  origin: string;
}

export interface Finding {
  id: string;
  productId: string;
  componentRef: string;
  componentKey: string;
  componentName: string;
  componentVersion?: string;
  componentPurl?: string;
  vulnerabilityId: string;
  advisoryId: string;
  advisorySource: string;
  rule: string;
  /** 0..1 */
  confidence: number;
  needsReview: boolean;
  evidence: MatchEvidence;
  fixedVersions: string[];
  status: 'open' | 'closed';
  closeReason?: string;
  triage?: TriageDecision;
  /** 0..100, the highest over the devices running the product */
  riskScore: number;
  firstSeen: string;
  lastSeen: string;
  closedAt?: string;
  advisoryPublished?: string;
  alertId?: string;
  alertedAt?: string;
}

export type FindingSort = 'risk' | 'lastSeen';

export interface FindingListQuery {
  productId?: string;
  status?: 'open' | 'closed';
  vulnerabilityId?: string;
  advisoryId?: string;
  triage?: VexState | 'untriaged';
  needsReview?: boolean;
  minRisk?: number;
  q?: string;
  sort?: FindingSort;
  limit?: number;
  cursor?: string;
}

export interface TriageBody {
  state: VexState;
  justification?: VexJustification;
  detail?: string;
  action?: string;
}

// ---------- intelligence and risk ----------

export interface CvssScore {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  vector: string;
  baseScore: number;
  baseSeverity: string;
  source?: string;
  statedScore?: number;
  scoreMismatch?: boolean;
}

export interface KevStatus {
  dateAdded: string;
  dueDate: string;
  requiredAction: string;
  knownRansomware: boolean | 'unknown';
  vulnerabilityName?: string;
  notes?: string;
}

export interface EpssScore {
  score: number;
  percentile: number;
  date: string;
  modelVersion?: string;
}

export interface Remediation {
  category: string;
  details: string;
  url?: string;
  date?: string;
}

export interface VulnIntel {
  vulnerabilityId: string;
  cvss: CvssScore[];
  kev?: KevStatus;
  epss?: EpssScore;
  remediations: Remediation[];
  published?: string;
  advisoryIds: string[];
  withdrawn: boolean;
}

export interface RiskFactor {
  id: string;
  label: string;
  kind: 'points' | 'multiplier' | 'override';
  input: string | number | boolean | null;
  weight: number;
  contribution: number;
  reason: string;
  /** a documented default stood in for missing data */
  assumed?: boolean;
}

export interface RiskScore {
  score: number;
  band: RiskBand;
  uncapped: number;
  factors: RiskFactor[];
  flags: string[];
  warnings: string[];
  facts: Record<string, unknown>;
  model: string;
}

export type RecommendedAction = 'patch' | 'vendor-guidance' | 'compensating-control' | 'accept/monitor';

export interface RecommendationBasis {
  kind: 'fixed-version' | 'remediation' | 'kev-required-action' | 'triage' | string;
  category?: string;
  text: string;
  url?: string;
}

export interface Recommendation {
  action: RecommendedAction | string;
  reason: string;
  basis: RecommendationBasis[];
}

export interface FindingRisk {
  score: number;
  band: RiskBand;
  breakdown: RiskScore;
  recommendedAction?: Recommendation;
}

/** a device running the finding's product, as the risk scorer saw it */
export interface DeviceContext {
  id: string;
  name?: string;
  category?: string;
  criticality?: Criticality;
  phiHandling?: PhiHandling;
  site?: string;
  building?: string;
  unit?: string;
  manufacturer: string;
  model: string;
  version: string;
  ips: string[];
}

export interface AdvisoryReference {
  url: string;
  type?: string;
  summary?: string;
}

/** The advisory summary fields the dashboard shows; the server passes the deep remainder through. */
export interface AdvisorySummary {
  id: string;
  source: string;
  sourceId: string;
  aliases: string[];
  title?: string;
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  cwes: string[];
  references: (AdvisoryReference | unknown)[];
  warnings: string[];
}

export interface FindingDetail {
  finding: Finding;
  product: Product;
  advisory?: AdvisorySummary;
  intel: VulnIntel;
  /** the score that counts: the highest device, or the product alone when no device runs it */
  risk: FindingRisk;
  deviceId?: string;
  perDevice: { device: DeviceContext; risk: FindingRisk }[];
}

export interface KevExposure {
  devices: number;
  deviceIds: string[];
  findings: number;
  vulnerabilities: number;
  byCriticality: Record<Criticality | 'unknown', number>;
  summary: string;
}

export interface EpssBucket {
  label: string;
  min?: number;
  max?: number;
  vulnerabilities: number;
  findings: number;
  devices: number;
}

export interface TopRisk {
  findingId: string;
  vulnerabilityId?: string;
  productId?: string;
  score: number;
  band: RiskBand;
  uncapped: number;
  kev: boolean;
  knownRansomware: boolean;
  epssPercentile?: number;
  criticality?: Criticality;
  deviceIds: string[];
  recommendation: Recommendation;
}

export interface Portfolio {
  generatedAt: string;
  openFindings: number;
  severity: { records: BandCounts; findings: BandCounts; devices: BandCounts };
  kev: KevExposure;
  epss: EpssBucket[];
  top: TopRisk[];
}

export interface RiskRollup {
  key: string;
  maxScore: number;
  maxBand: RiskBand;
  bands: BandCounts;
  records: number;
  findings: number;
  devices: number;
  kevFindings: number;
  topFindingIds: string[];
}

export interface Rollups {
  by: RollupBy;
  items: RiskRollup[];
}

const seg = encodeURIComponent;

/** Where the browser downloads a product's VEX document (a plain GET the session cookie authorises). */
export const vexExportHref = (productId: string, format: VexFormat): string => `/api/v1/products/${seg(productId)}/vex${toQueryString({ format })}`;

export const vulnsApi = {
  listProducts: (query: ProductListQuery, signal?: AbortSignal) => request<Page<Product>>(`/products${toQueryString({ ...query })}`, { signal }),
  getProduct: (id: string, signal?: AbortSignal) => request<ProductDetail>(`/products/${seg(id)}`, { signal }),
  getSbom: (id: string, signal?: AbortSignal) => request<SbomDetail>(`/sboms/${seg(id)}`, { signal }),

  listFindings: (query: FindingListQuery, signal?: AbortSignal) =>
    request<Page<Finding>>(`/findings${toQueryString({ ...query, needsReview: query.needsReview === undefined ? undefined : String(query.needsReview) })}`, { signal }),
  getFinding: (id: string, signal?: AbortSignal) => request<FindingDetail>(`/findings/${seg(id)}`, { signal }),
  triageFinding: (id: string, body: TriageBody) => request<{ updated: Finding[] }>(`/findings/${seg(id)}/triage`, { method: 'POST', body }),

  portfolio: (top: number | undefined, signal?: AbortSignal) => request<Portfolio>(`/risk/portfolio${toQueryString({ top })}`, { signal }),
  rollups: (by: RollupBy, limit: number | undefined, signal?: AbortSignal) => request<Rollups>(`/risk/rollups${toQueryString({ by, limit })}`, { signal }),
};
