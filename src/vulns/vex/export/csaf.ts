/**
 * @module CSAF 2.0 VEX export (category csaf_vex): tracking with integer versions and a revision
 * history, the publisher from the caller, the product tree of csaf-tree.ts, and per vulnerability
 * its CVE or ids, notes, product_status, justification flags, impact threats (every
 * known_not_affected product has one, mandatory test 6.1.27.9), remediations (every
 * known_affected product has one, 6.1.27.10) and one CVSS v3/v2 score. CycloneDX-only
 * justifications are written as the nearest CSAF label (mappings.ts, docs/vex.md).
 */
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import type { CvssScore } from '../../model.js';
import { CSAF_JUSTIFICATION_TEXT, VEX_TO_CSAF_STATUS, toCsafJustification } from '../mappings.js';
import {
  DEFAULT_TOOL,
  buildExportModel,
  exportError,
  factsOf,
  isCve,
  isoTime,
  productTitle,
  type ExportItem,
  type ExportVulnerability,
  type VexExportInput,
} from './common.js';
import { buildProductTree, type CsafProductTree } from './csaf-tree.js';

export type CsafPublisherCategory = 'coordinator' | 'discoverer' | 'other' | 'translator' | 'user' | 'vendor';

export interface CsafPublisher {
  category: CsafPublisherCategory;
  name: string;
  /** URL under the publisher's control, e.g. https://psirt.example.com */
  namespace: string;
  contactDetails?: string;
  issuingAuthority?: string;
}

export interface CsafRevision {
  /** ISO-8601 */
  date: string;
  /** '1', '2', ... (integer versioning) */
  number: string;
  summary: string;
}

export interface CsafVexInput extends VexExportInput {
  publisher: CsafPublisher;
  /** stable across revisions (default `careguard-vex-<product id>`) */
  trackingId?: string;
  /** default 'final' */
  status?: 'final' | 'interim';
  /** earlier revisions of this document; the export appends revision n+1 at `now` */
  previousRevisions?: readonly CsafRevision[];
  revisionSummary?: string;
  title?: string;
  tlp?: 'WHITE' | 'GREEN' | 'AMBER' | 'RED';
  /** BCP 47 (default 'en') */
  lang?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };
export type CsafVexDocument = { [k: string]: Json | undefined } & { document: { [k: string]: Json | undefined }; vulnerabilities: Json[] };

const REMEDIATION_CATEGORIES = new Set(['mitigation', 'no_fix_planned', 'none_available', 'vendor_fix', 'workaround']);
const CWE_NAMES = new Map(weaknesses.map((w) => [w.id, w.name]));

function revisionHistory(input: CsafVexInput, now: string): { history: CsafRevision[]; version: string; initial: string } {
  const previous = input.previousRevisions ?? [];
  previous.forEach((r, i) => {
    const date = isoTime(r.date);
    if (r.number !== String(i + 1)) throw exportError(`previousRevisions[${i}].number must be "${i + 1}" (integer versioning, no gaps)`);
    if (!date || date > now || (i > 0 && date < isoTime(previous[i - 1]!.date)!)) throw exportError(`previousRevisions[${i}].date must be a time not after now and not before the previous revision`);
    if (r.summary.trim() === '') throw exportError(`previousRevisions[${i}].summary is empty`);
  });
  const version = String(previous.length + 1);
  const summary = input.revisionSummary ?? (previous.length === 0 ? 'Initial version.' : 'Updated VEX statements.');
  const history = [...previous.map((r) => ({ date: isoTime(r.date)!, number: r.number, summary: r.summary })), { date: now, number: version, summary }];
  return { history, version, initial: history[0]!.date };
}

const idSystem = (id: string): string =>
  /^GHSA-/.test(id) ? 'GitHub Security Advisory' : /^ICSM?A-/i.test(id) ? 'CISA ICS Advisory' : /^CVE-/.test(id) ? 'CVE' : /^(PYSEC|GO|RUSTSEC|OSV)-/.test(id) ? 'OSV' : 'Vendor advisory id';

function bestScores(scores: CvssScore[]): { v3?: CvssScore; v2?: CvssScore } {
  const v3 = scores.find((s) => s.version === '3.1') ?? scores.find((s) => s.version === '3.0');
  const v2 = scores.find((s) => s.version === '2.0');
  return { ...(v3 ? { v3 } : {}), ...(v2 ? { v2 } : {}) };
}

/** Append product ids to the entry with this key, keeping first-seen order. */
function collect<T>(map: Map<string, { value: T; ids: string[] }>, key: string, value: T, id: string): void {
  const e = map.get(key);
  if (!e) map.set(key, { value, ids: [id] });
  else if (!e.ids.includes(id)) e.ids.push(id);
}

/**
 * Remediations of one decision: the analyst's action (a vendor fix when the product is fixed,
 * otherwise a mitigation), an update when fixed versions are known, and for affected products
 * without either the advisories' remediations or `none_available` (6.1.27.10 needs one).
 */
function remediationsFor(item: ExportItem, v: ExportVulnerability, facts: ReturnType<typeof factsOf>): Array<{ category: string; details: string; url?: string }> {
  const d = item.decision;
  const fixes = item.fixedVersions;
  const out: Array<{ category: string; details: string; url?: string }> = [];
  if (d.action) out.push({ category: d.state === 'fixed' ? 'vendor_fix' : 'mitigation', details: d.action });
  if (d.state !== 'affected') return out;
  if (fixes.length > 0) out.push({ category: 'vendor_fix', details: `Update ${item.component.name} to ${fixes.join(' or ')}.` });
  if (out.length > 0) return out;
  const fromAdvisories = facts.remediations
    .filter((r) => r.details.trim() !== '')
    .map((r) => ({ category: REMEDIATION_CATEGORIES.has(r.category) ? r.category : 'mitigation', details: r.details, ...(r.url && URL.canParse(r.url) ? { url: r.url } : {}) }));
  if (fromAdvisories.length > 0) return fromAdvisories;
  return [{ category: 'none_available', details: `No fix for ${v.id} is available yet; follow the manufacturer's guidance and apply compensating controls.` }];
}

function vulnerabilityJson(v: ExportVulnerability, tree: CsafProductTree): Json {
  const facts = factsOf(v);
  const status: Record<string, string[]> = {};
  const flags = new Map<string, { value: string; ids: string[] }>();
  const threats = new Map<string, { value: string; ids: string[] }>();
  const remediations = new Map<string, { value: { category: string; details: string; url?: string }; ids: string[] }>();
  const scored: string[] = [];
  for (const item of v.items) {
    const id = tree.idOf(item.component);
    const d = item.decision;
    const bucket = VEX_TO_CSAF_STATUS[d.state];
    const ids = (status[bucket] ??= []);
    if (!ids.includes(id)) ids.push(id);
    const label = d.state === 'not_affected' && d.justification ? toCsafJustification(d.justification) : undefined;
    if (label) collect(flags, label, label, id);
    const impact = d.detail ?? (d.state === 'not_affected' ? (label ? CSAF_JUSTIFICATION_TEXT[label] : 'The product is not affected by this vulnerability.') : undefined);
    if (impact) collect(threats, impact, impact, id);
    for (const r of remediationsFor(item, v, facts)) collect(remediations, JSON.stringify(r), r, id);
    if (d.state === 'affected' || d.state === 'under_investigation') scored.push(id);
  }
  const { v3, v2 } = bestScores(facts.scores);
  const cwe = facts.cwes.map((c) => c.toUpperCase()).find((c) => CWE_NAMES.has(c));
  const ids = [...(isCve(v.id) ? [] : [v.id]), ...v.aliases].map((text) => ({ system_name: idSystem(text), text }));
  const references = facts.references.filter((r) => URL.canParse(r.url)).map((r) => ({ category: 'external', summary: r.summary ?? r.type ?? 'Reference', url: r.url }));
  const notes: Json[] = [{ category: 'description', title: 'Vulnerability description', text: facts.description ?? facts.title ?? `Vulnerability ${v.id}.` }];
  if (facts.details) notes.push({ category: 'details', title: 'Vulnerability details', text: facts.details });
  return {
    cve: isCve(v.id) ? v.id : undefined,
    cwe: cwe ? { id: cwe, name: CWE_NAMES.get(cwe)! } : undefined,
    flags: flags.size > 0 ? [...flags.values()].map((f) => ({ label: f.value, product_ids: f.ids })) : undefined,
    ids: ids.length > 0 ? ids : undefined,
    notes,
    product_status: status,
    references: references.length > 0 ? references : undefined,
    release_date: facts.published,
    remediations: remediations.size > 0 ? [...remediations.values()].map((r) => ({ ...r.value, product_ids: r.ids })) : undefined,
    scores:
      scored.length > 0 && (v3 || v2)
        ? [
            {
              products: scored,
              cvss_v2: v2 ? { version: '2.0', vectorString: v2.vector, baseScore: v2.baseScore } : undefined,
              cvss_v3: v3 ? { version: v3.version, vectorString: v3.vector, baseScore: v3.baseScore, baseSeverity: v3.baseSeverity } : undefined,
            },
          ]
        : undefined,
    threats: threats.size > 0 ? [...threats.values()].map((t) => ({ category: 'impact', details: t.value, product_ids: t.ids })) : undefined,
    title: facts.title,
  };
}

export function exportCsafVex(input: CsafVexInput): CsafVexDocument {
  const model = buildExportModel(input);
  if (model.vulnerabilities.length === 0) throw exportError('a CSAF VEX document needs at least one vulnerability (mandatory test 6.1.27.11); the product has no exportable findings');
  const p = input.publisher;
  if (p.name.trim() === '' || !URL.canParse(p.namespace)) throw exportError('publisher needs a name and a namespace URL');
  const tool = input.tool ?? DEFAULT_TOOL;
  const { history, version, initial } = revisionHistory(input, model.now);
  const tree = buildProductTree(model.product, model.components);
  const title = productTitle(model.product);
  const doc: CsafVexDocument = {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      distribution: input.tlp ? { tlp: { label: input.tlp } } : undefined,
      lang: input.lang ?? 'en',
      notes: [
        {
          category: 'summary',
          title: 'Summary',
          text: `Exploitability of ${model.vulnerabilities.length} vulnerabilit${model.vulnerabilities.length === 1 ? 'y' : 'ies'} in ${title} and its components.`,
        },
      ],
      publisher: { category: p.category, contact_details: p.contactDetails, issuing_authority: p.issuingAuthority, name: p.name, namespace: p.namespace },
      title: input.title ?? `VEX for ${title}`,
      tracking: {
        current_release_date: model.now,
        generator: { date: model.now, engine: { name: tool.name, version: tool.version } },
        id: input.trackingId ?? `careguard-vex-${model.product.id}`,
        initial_release_date: initial,
        revision_history: history.map((h) => ({ date: h.date, number: h.number, summary: h.summary })),
        status: input.status ?? 'final',
        version,
      },
    },
    product_tree: tree.json,
    vulnerabilities: model.vulnerabilities.map((v) => vulnerabilityJson(v, tree)),
  };
  return JSON.parse(JSON.stringify(doc)) as CsafVexDocument;
}
