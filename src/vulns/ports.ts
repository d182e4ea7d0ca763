/**
 * @module What vulnerability intelligence needs from storage: products, SBOMs and their
 * components, advisories (with match keys for incremental re-matching), findings, triage decisions
 * and feed fetch state. Implemented once over Kysely for SQLite and PostgreSQL
 * (src/storage/repositories/vulns-*.ts) and checked by one contract suite on both engines.
 */
import type { Component, Sbom } from '../sbom/index.js';
import type { Advisory, AdvisorySource } from './model.js';
import type { Finding, FindingCloseReason, FindingStatus, TriageDecision, VexState } from './findings/model.js';

/** MITRE "Rubric for Applying CVSS to Medical Devices" answers kept per product (docs/risk.md). */
export type RubricAnswers = Record<string, string>;

export interface Product {
  id: string;
  manufacturer: string;
  name: string;
  /** firmware/software version; '' when the product line is tracked without a version */
  version: string;
  normalizedVendor: string;
  normalizedProduct: string;
  cpe?: string;
  purl?: string;
  rubric?: RubricAnswers;
  /** 'inventory' (derived from device manufacturer/model/firmware), 'sbom', 'api' */
  origin: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProductFilter {
  q?: string;
  manufacturer?: string;
}

export interface StoredSbom {
  id: string;
  productId: string;
  format: Sbom['format'];
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

export interface StoredComponent extends Component {
  /** sbom id + ref, or product id + PRODUCT_SELF_REF for the product's own firmware */
  id: string;
  sbomId?: string;
  productId: string;
  /** identity across SBOM versions (see vulns/match componentKey) */
  componentKey: string;
  /** match keys (see vulns/match matchKeysOfTarget); indexed for incremental matching */
  keys: string[];
}

export interface StoredAdvisory {
  advisory: Advisory;
  /** match keys (see vulns/match matchKeysOfAdvisory) */
  keys: string[];
  /** SHA-256 of the canonical advisory JSON: "changed" means this differs */
  contentHash: string;
  firstIngestedAt: string;
  lastChangedAt: string;
}

export interface AdvisoryUpsertOutcome {
  inserted: string[];
  changed: string[];
  unchanged: number;
}

export interface AdvisoryFilter {
  q?: string;
  source?: AdvisorySource;
  kev?: boolean;
  /** advisories that have at least one open finding */
  withFindings?: boolean;
}

export interface FindingFilter {
  productId?: string;
  productIds?: string[];
  status?: FindingStatus;
  vulnerabilityId?: string;
  advisoryId?: string;
  triage?: VexState | 'untriaged';
  needsReview?: boolean;
  minRisk?: number;
  q?: string;
}

export type FindingSort = 'risk' | 'lastSeen';

/** Keyset position: (riskScore desc | lastSeen desc, id). */
export interface FindingCursor {
  sortValue: number | string;
  id: string;
}

/** Identity of a triage decision: survives new SBOMs while the component is unchanged. */
export interface TriageKey {
  /** normalizedVendor + '/' + normalizedProduct */
  productLine: string;
  componentKey: string;
  vulnerabilityId: string;
}

export interface FeedState {
  url: string;
  etag?: string;
  lastModified?: string;
  sha256?: string;
  fetchedAt: string;
  /** opaque per-source cursor (e.g. CSAF changes.csv last timestamp) */
  cursor?: string;
}

export interface VulnStore {
  // products
  upsertProduct(p: Product): Promise<Product>; // by (normalizedVendor, normalizedProduct, version); returns the stored row
  getProduct(id: string): Promise<Product | undefined>;
  findProduct(normalizedVendor: string, normalizedProduct: string, version: string): Promise<Product | undefined>;
  listProducts(filter: ProductFilter, afterId: string | undefined, limit: number): Promise<Product[]>;
  countProducts(filter: ProductFilter): Promise<number>;
  setRubric(productId: string, rubric: RubricAnswers | undefined, at: string): Promise<boolean>;

  // SBOMs and components; an SBOM and all of its components are stored atomically
  insertSbom(sbom: StoredSbom, components: StoredComponent[]): Promise<void>;
  getSbom(id: string): Promise<StoredSbom | undefined>;
  listSboms(productId: string): Promise<StoredSbom[]>;
  /** the newest SBOM (by importedAt) of each product */
  latestSbom(productId: string): Promise<StoredSbom | undefined>;
  /** components of one SBOM (in document order) */
  sbomComponents(sbomId: string): Promise<StoredComponent[]>;
  /** replace the product-self component (ref '#product') */
  putProductComponent(c: StoredComponent): Promise<void>;
  /** the live components of a product: its latest SBOM's plus its product-self component */
  productComponents(productId: string): Promise<StoredComponent[]>;
  /** live components (as in productComponents) having any of these keys */
  componentsByKeys(keys: readonly string[]): Promise<StoredComponent[]>;

  // advisories
  upsertAdvisories(items: Array<Omit<StoredAdvisory, 'firstIngestedAt' | 'lastChangedAt'>>, at: string): Promise<AdvisoryUpsertOutcome>;
  getAdvisory(id: string): Promise<StoredAdvisory | undefined>;
  getAdvisories(ids: readonly string[]): Promise<StoredAdvisory[]>;
  advisoriesByKeys(keys: readonly string[]): Promise<StoredAdvisory[]>;
  /** by id or alias (CVE/GHSA/ICSMA) */
  advisoriesForVulnerability(vulnId: string): Promise<StoredAdvisory[]>;
  /** advisoriesForVulnerability for many ids in one lookup (union, each advisory once) */
  advisoriesForVulnerabilities(vulnIds: readonly string[]): Promise<StoredAdvisory[]>;
  listAdvisories(filter: AdvisoryFilter, afterId: string | undefined, limit: number): Promise<StoredAdvisory[]>;
  countAdvisories(filter: AdvisoryFilter): Promise<number>;
  /** all advisories, in pages, for full re-matching */
  scanAdvisories(batchSize: number): AsyncIterable<StoredAdvisory[]>;

  // findings
  /** open findings of a product (for reconciliation) */
  findingsOfProduct(productId: string): Promise<Finding[]>;
  /** open findings from one advisory */
  findingsOfAdvisory(advisoryId: string): Promise<Finding[]>;
  getFinding(id: string): Promise<Finding | undefined>;
  insertFindings(findings: Finding[]): Promise<void>;
  /** replace whole rows by id */
  updateFindings(findings: Finding[]): Promise<void>;
  closeFindings(ids: readonly string[], reason: FindingCloseReason, at: string): Promise<void>;
  listFindings(filter: FindingFilter, sort: FindingSort, after: FindingCursor | undefined, limit: number): Promise<Finding[]>;
  countFindings(filter: FindingFilter): Promise<number>;

  // triage decisions (carried over across SBOM versions)
  putTriage(key: TriageKey, decision: TriageDecision): Promise<void>;
  getTriage(key: TriageKey): Promise<TriageDecision | undefined>;
  getTriages(keys: readonly TriageKey[]): Promise<Map<string, TriageDecision>>;

  // feeds
  getFeedState(url: string): Promise<FeedState | undefined>;
  putFeedState(state: FeedState): Promise<void>;
}

export interface VulnRepository extends VulnStore {
  /** one transaction; `executor` is passed to AuditService so audit entries commit with the change */
  transaction<T>(fn: (store: VulnStore, executor: unknown) => Promise<T>): Promise<T>;
}

/** Map key of a TriageKey in getTriages results. */
export const triageKeyString = (k: TriageKey): string => `${k.productLine}\u0000${k.componentKey}\u0000${k.vulnerabilityId}`;
