/**
 * @module Row codecs and small SQL helpers shared by the vulnerability repository files. Where a
 * table has a JSON column holding the model value, that JSON is the truth returned to callers and
 * the plain columns are index data. PostgreSQL text cannot hold U+0000 (SQLite can), so every text
 * written to an index column goes through `ix` (U+0000 -> U+FFFD) on both engines, and so does
 * every lookup value: the engines behave identically and JSON values still round-trip exactly.
 */
import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Finding } from '../../vulns/findings/model.js';
import type { Product, StoredAdvisory, StoredComponent, StoredSbom } from '../../vulns/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import type { VulnAdvisoriesTable, VulnComponentsTable, VulnFindingsTable, VulnProductsTable, VulnSbomsTable } from '../tables/vulns.js';

/** Index-column text: identical on both engines (see module comment). */
export const ix = (s: string): string => (s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s);
const ixOpt = (s: string | undefined): string | null => (s === undefined ? null : ix(s));
/** Case-folded text for substring search (JS folding, so both engines fold all of Unicode alike). */
export const searchText = (parts: ReadonlyArray<string | undefined>): string => ix(parts.filter((p) => p !== undefined && p !== '').join('\n').toLowerCase());

/** Literal, case-insensitive substring test against a search_text column. */
export function containsText(dialect: Dialect, column: string, q: string): Expression<SqlBool> {
  const needle = ix(q.toLowerCase());
  return dialect === 'postgres' ? sql<SqlBool>`strpos(${sql.ref(column)}, ${needle}) > 0` : sql<SqlBool>`instr(${sql.ref(column)}, ${needle}) > 0`;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs fn in a transaction, or directly when db already is one (Kysely cannot nest them). */
export const atomically = <T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn));

const uniqSorted = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

// ---- products

export function productRow(p: Product): VulnProductsTable {
  return {
    id: ix(p.id),
    manufacturer: ix(p.manufacturer),
    name: ix(p.name),
    version: ix(p.version),
    normalized_vendor: ix(p.normalizedVendor),
    normalized_product: ix(p.normalizedProduct),
    cpe: ixOpt(p.cpe),
    purl: ixOpt(p.purl),
    rubric_json: p.rubric === undefined ? null : JSON.stringify(p.rubric),
    origin: ix(p.origin),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    latest_sbom_id: null,
    search_text: searchText([p.manufacturer, p.name, p.version, p.normalizedVendor, p.normalizedProduct]),
  };
}

export function toProduct(r: Selectable<VulnProductsTable>): Product {
  const p: Product = {
    id: r.id,
    manufacturer: r.manufacturer,
    name: r.name,
    version: r.version,
    normalizedVendor: r.normalized_vendor,
    normalizedProduct: r.normalized_product,
    origin: r.origin,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.cpe !== null) p.cpe = r.cpe;
  if (r.purl !== null) p.purl = r.purl;
  if (r.rubric_json !== null) p.rubric = JSON.parse(r.rubric_json) as Record<string, string>;
  return p;
}

// ---- SBOMs and components

export function sbomRow(s: StoredSbom): VulnSbomsTable {
  return {
    id: ix(s.id),
    product_id: ix(s.productId),
    format: s.format,
    spec_version: ix(s.specVersion),
    serial_number: ixOpt(s.serialNumber),
    name: ixOpt(s.name),
    created: ixOpt(s.created),
    parser: ix(s.parser),
    sha256: ix(s.sha256),
    component_count: s.componentCount,
    imported_at: s.importedAt,
    imported_by: ix(s.importedBy),
  };
}

export function toSbom(r: Selectable<VulnSbomsTable>): StoredSbom {
  const s: StoredSbom = {
    id: r.id,
    productId: r.product_id,
    format: r.format as StoredSbom['format'],
    specVersion: r.spec_version,
    parser: r.parser,
    sha256: r.sha256,
    componentCount: Number(r.component_count),
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  };
  if (r.serial_number !== null) s.serialNumber = r.serial_number;
  if (r.name !== null) s.name = r.name;
  if (r.created !== null) s.created = r.created;
  return s;
}

/** Unique match keys of a component or advisory, in a stable order. */
export const keysOf = (keys: readonly string[]): string[] => uniqSorted(keys);

export function componentRow(c: StoredComponent, sbomId: string | null, ord: number): VulnComponentsTable {
  const { keys, ...rest } = c;
  const value: Omit<StoredComponent, 'keys'> = { ...rest };
  if (sbomId === null) delete value.sbomId;
  else value.sbomId = sbomId;
  return {
    id: ix(c.id),
    sbom_id: sbomId === null ? null : ix(sbomId),
    product_id: ix(c.productId),
    ord,
    component_key: ix(c.componentKey),
    component_json: JSON.stringify(value),
    keys_json: JSON.stringify(keysOf(keys)),
  };
}

export const toComponent = (r: Pick<Selectable<VulnComponentsTable>, 'component_json' | 'keys_json'>): StoredComponent => ({
  ...(JSON.parse(r.component_json) as Omit<StoredComponent, 'keys'>),
  keys: JSON.parse(r.keys_json) as string[],
});

// ---- advisories

export type AdvisoryInput = Omit<StoredAdvisory, 'firstIngestedAt' | 'lastChangedAt'>;

export function advisoryRow(a: AdvisoryInput, firstIngestedAt: string, lastChangedAt: string): VulnAdvisoriesTable {
  const adv = a.advisory;
  return {
    id: ix(adv.id),
    source: adv.source,
    source_id: ix(adv.sourceId),
    published: ixOpt(adv.published),
    modified: ixOpt(adv.modified),
    withdrawn: ixOpt(adv.withdrawn),
    kev: adv.kev ? 1 : 0,
    epss_percentile: adv.epss?.percentile ?? null,
    title: ixOpt(adv.title),
    search_text: searchText([adv.id, adv.sourceId, ...adv.aliases, adv.title]),
    content_hash: ix(a.contentHash),
    first_ingested_at: firstIngestedAt,
    last_changed_at: lastChangedAt,
    advisory_json: JSON.stringify(adv),
    keys_json: JSON.stringify(keysOf(a.keys)),
  };
}

export const ADVISORY_READ_COLUMNS = ['advisory_json', 'keys_json', 'content_hash', 'first_ingested_at', 'last_changed_at'] as const;

export const toStoredAdvisory = (r: Pick<Selectable<VulnAdvisoriesTable>, (typeof ADVISORY_READ_COLUMNS)[number]>): StoredAdvisory => ({
  advisory: JSON.parse(r.advisory_json) as StoredAdvisory['advisory'],
  keys: JSON.parse(r.keys_json) as string[],
  contentHash: r.content_hash,
  firstIngestedAt: r.first_ingested_at,
  lastChangedAt: r.last_changed_at,
});

// ---- findings

/** Finding fields whose columns are the truth (enumerations, numbers, timestamps); the rest is JSON. */
type FindingColumnFields = 'id' | 'status' | 'closeReason' | 'closedAt' | 'needsReview' | 'riskScore' | 'firstSeen' | 'lastSeen';

export function findingRow(f: Finding): VulnFindingsTable {
  const { id, status, closeReason, closedAt, needsReview, riskScore, firstSeen, lastSeen, ...detail } = f;
  return {
    id: ix(id),
    product_id: ix(f.productId),
    component_ref: ix(f.componentRef),
    component_key: ix(f.componentKey),
    component_name: ix(f.componentName),
    vulnerability_id: ix(f.vulnerabilityId),
    advisory_id: ix(f.advisoryId),
    advisory_source: f.advisorySource,
    status,
    close_reason: closeReason ?? null,
    closed_at: closedAt ?? null,
    triage_state: f.triage?.state ?? null,
    needs_review: needsReview ? 1 : 0,
    risk_score: riskScore,
    first_seen: firstSeen,
    last_seen: lastSeen,
    search_text: searchText([f.vulnerabilityId, f.componentName]),
    detail_json: JSON.stringify(detail),
  };
}

export function toFinding(r: Selectable<VulnFindingsTable>): Finding {
  const f: Finding = {
    ...(JSON.parse(r.detail_json) as Omit<Finding, FindingColumnFields>),
    id: r.id,
    status: r.status as Finding['status'],
    needsReview: Number(r.needs_review) === 1,
    riskScore: Number(r.risk_score),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  };
  if (r.close_reason !== null) f.closeReason = r.close_reason as NonNullable<Finding['closeReason']>;
  if (r.closed_at !== null) f.closedAt = r.closed_at;
  return f;
}
