/**
 * @module What every VEX exporter needs from findings: the findings of one product folded into
 * one decision per (vulnerability, component), the components they name (enriched from the SBOM
 * when given), vulnerability facts merged from the advisories, and deterministic document ids.
 * Untriaged open findings are under_investigation; findings closed as fixed are fixed; findings
 * closed for any other reason (component removed, advisory withdrawn, no longer matching) are left
 * out, because the product no longer has them.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../../core/index.js';
import type { Component, ComponentType } from '../../../sbom/index.js';
import type { Finding, VexJustification, VexState } from '../../findings/model.js';
import { PRODUCT_SELF_REF } from '../../match/model.js';
import type { Advisory, CvssScore, Reference, Remediation } from '../../model.js';
import type { Product } from '../../ports.js';

export interface VexTool {
  name: string;
  version: string;
}

export const DEFAULT_TOOL: VexTool = { name: 'CareGuard', version: '0.1.0' };

/** What all exporters take; each format adds its own options. */
export interface VexExportInput {
  product: Product;
  /** findings of `product` (others are rejected) */
  findings: readonly Finding[];
  /** advisories by Finding.advisoryId: CVSS, CWE, description, references, remediations */
  advisories: ReadonlyMap<string, Advisory>;
  /** SBOM components by Finding.componentRef: supplier, CPE, hashes, type (optional enrichment) */
  components?: ReadonlyMap<string, Component>;
  /** ISO-8601 time of the export (documents carry no other clock) */
  now: string;
  tool?: VexTool;
}

export interface ExportComponent {
  key: string;
  ref: string;
  isProduct: boolean;
  name: string;
  version?: string;
  purl?: string;
  cpe?: string;
  supplier?: string;
  group?: string;
  type?: ComponentType;
  hashes: Array<{ alg: string; value: string }>;
}

export interface ExportDecision {
  state: VexState;
  justification?: VexJustification;
  detail?: string;
  action?: string;
  firstIssued: string;
  lastUpdated: string;
}

/** One (vulnerability, component) with its decision and the advisories that name it. */
export interface ExportItem {
  vulnerabilityId: string;
  component: ExportComponent;
  decision: ExportDecision;
  fixedVersions: string[];
}

export interface ExportVulnerability {
  id: string;
  aliases: string[];
  advisories: Advisory[];
  items: ExportItem[];
}

export interface ExportModel {
  now: string;
  product: Product;
  components: ExportComponent[];
  vulnerabilities: ExportVulnerability[];
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
export const isCve = (id: string): boolean => CVE.test(id);

export function exportError(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('vex.export_invalid', message, { status: 400, ...(details ? { details } : {}) });
}

export function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const UUID_NAMESPACE = Buffer.from('6b1f3c2e9a7d4e0f8c5b2a1d3e4f5a6b', 'hex');

/** RFC 4122 version-5 (SHA-1, name-based) UUID: the same export input gives the same document id. */
export function uuidV5(name: string): string {
  const h = createHash('sha1').update(UUID_NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function componentOf(f: Finding, sbom: Component | undefined): ExportComponent {
  const isProduct = f.componentRef === PRODUCT_SELF_REF;
  const c: ExportComponent = { key: f.componentKey, ref: f.componentRef, isProduct, name: sbom?.name ?? f.componentName, hashes: sbom?.hashes ?? [] };
  const version = sbom?.version ?? f.componentVersion;
  const purl = sbom?.purl ?? f.componentPurl;
  if (version !== undefined && version !== '') c.version = version;
  if (purl) c.purl = purl;
  if (sbom?.cpes[0]) c.cpe = sbom.cpes[0];
  if (sbom?.supplier) c.supplier = sbom.supplier;
  if (sbom?.group) c.group = sbom.group;
  if (sbom?.type) c.type = sbom.type;
  return c;
}

/** The newest analyst/imported decision of the open findings; untriaged = under_investigation. */
function decide(findings: Finding[]): ExportDecision | undefined {
  const open = findings.filter((f) => f.status === 'open');
  if (open.length === 0) {
    const fixed = findings.filter((f) => f.closeReason === 'fixed');
    if (fixed.length === 0) return undefined;
    const at = fixed.map((f) => f.closedAt ?? f.lastSeen).sort();
    return { state: 'fixed', firstIssued: at[0]!, lastUpdated: at[at.length - 1]! };
  }
  const triaged = open.filter((f) => f.triage !== undefined).sort((a, b) => (a.triage!.at < b.triage!.at ? 1 : -1));
  const t = triaged[0]?.triage;
  if (!t) {
    const first = open.map((f) => f.firstSeen).sort();
    const last = open.map((f) => f.lastSeen).sort();
    return { state: 'under_investigation', firstIssued: first[0]!, lastUpdated: last[last.length - 1]! };
  }
  const d: ExportDecision = { state: t.state, firstIssued: t.at, lastUpdated: t.at };
  if (t.justification !== undefined) d.justification = t.justification;
  if (t.detail !== undefined && t.detail.trim() !== '') d.detail = t.detail;
  if (t.action !== undefined && t.action.trim() !== '') d.action = t.action;
  return d;
}

/** Group the product's findings into vulnerabilities (keyed by CVE when any id is one) and components. */
export function buildExportModel(input: VexExportInput): ExportModel {
  const now = isoTime(input.now);
  if (now === undefined) throw exportError(`"now" is not an ISO-8601 time: ${input.now}`);
  const byVuln = new Map<string, { aliases: Set<string>; advisories: Map<string, Advisory>; byComponent: Map<string, Finding[]> }>();
  const components = new Map<string, ExportComponent>();
  for (const f of input.findings) {
    if (f.productId !== input.product.id) throw exportError(`finding ${f.id} belongs to product ${f.productId}, not ${input.product.id}`, { findingId: f.id });
    const advisory = input.advisories.get(f.advisoryId);
    const ids = [f.vulnerabilityId, ...(advisory ? [advisory.id, ...advisory.aliases] : [])];
    // one entry per CVE: CSAF forbids the same CVE in two vulnerabilities (mandatory test 6.1.23)
    const key = ids.find(isCve) ?? f.vulnerabilityId;
    let v = byVuln.get(key);
    if (!v) byVuln.set(key, (v = { aliases: new Set(), advisories: new Map(), byComponent: new Map() }));
    for (const id of ids) if (id !== key) v.aliases.add(id);
    if (advisory) v.advisories.set(advisory.id, advisory);
    const list = v.byComponent.get(f.componentKey);
    if (list) list.push(f);
    else v.byComponent.set(f.componentKey, [f]);
    if (!components.has(f.componentKey)) components.set(f.componentKey, componentOf(f, input.components?.get(f.componentRef)));
  }
  const vulnerabilities: ExportVulnerability[] = [];
  const used = new Set<string>();
  for (const [id, v] of [...byVuln].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const items: ExportItem[] = [];
    for (const [key, findings] of v.byComponent) {
      const decision = decide(findings);
      if (!decision) continue;
      items.push({ vulnerabilityId: id, component: components.get(key)!, decision, fixedVersions: [...new Set(findings.flatMap((f) => f.fixedVersions))] });
      used.add(key);
    }
    if (items.length > 0) vulnerabilities.push({ id, aliases: [...v.aliases].sort(), advisories: [...v.advisories.values()], items });
  }
  return { now, product: input.product, components: [...components.values()].filter((c) => used.has(c.key)), vulnerabilities };
}

/** Facts about one vulnerability merged over its advisories. */
export interface VulnerabilityFacts {
  description?: string;
  details?: string;
  title?: string;
  cwes: string[];
  scores: CvssScore[];
  published?: string;
  modified?: string;
  references: Reference[];
  remediations: Remediation[];
}

export function factsOf(v: ExportVulnerability): VulnerabilityFacts {
  const facts: VulnerabilityFacts = { cwes: [], scores: [], references: [], remediations: [] };
  const seenScore = new Set<string>();
  const seenRef = new Set<string>();
  for (const a of v.advisories) {
    facts.description ??= a.summary;
    facts.details ??= a.details;
    facts.title ??= a.title;
    for (const c of a.cwes) if (!facts.cwes.includes(c)) facts.cwes.push(c);
    for (const s of a.severity) {
      const k = `${s.version}|${s.vector}`;
      if (!seenScore.has(k)) {
        seenScore.add(k);
        facts.scores.push(s);
      }
    }
    for (const r of a.references) {
      if (!seenRef.has(r.url)) {
        seenRef.add(r.url);
        facts.references.push(r);
      }
    }
    facts.remediations.push(...a.remediations);
    const published = isoTime(a.published);
    const modified = isoTime(a.modified);
    if (published && (!facts.published || published < facts.published)) facts.published = published;
    if (modified && (!facts.modified || modified > facts.modified)) facts.modified = modified;
  }
  return facts;
}

/** Display name of the product: manufacturer, name, version. */
export const productTitle = (p: Product): string => [p.manufacturer, p.name, p.version].filter((s) => s.trim() !== '').join(' ');

/** Display name of a component: name and version. */
export const componentTitle = (c: ExportComponent): string => (c.version ? `${c.name} ${c.version}` : c.name);
