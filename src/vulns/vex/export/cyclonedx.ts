/**
 * @module CycloneDX 1.6 VEX export: the product as metadata.component, the components findings
 * name as `components` (referenced by bom-ref), and one `vulnerabilities[]` entry per
 * vulnerability and decision (CycloneDX analysis applies to every ref in `affects`, so components
 * with different decisions get separate entries with the same id). CSAF/OpenVEX justification
 * labels are written as the nearest CycloneDX value plus a `careguard:vex:justification` property,
 * which the importer reads back so a round trip keeps the label.
 */
import type { CvssScore } from '../../model.js';
import { VEX_JUSTIFICATION_PROPERTY, VEX_TO_CDX_STATE, isCsafJustification, toCdxJustification, type CdxResponse } from '../mappings.js';
import {
  DEFAULT_TOOL,
  buildExportModel,
  factsOf,
  isCve,
  uuidV5,
  type ExportComponent,
  type ExportDecision,
  type ExportItem,
  type ExportVulnerability,
  type VexExportInput,
} from './common.js';

export interface CycloneDxVexInput extends VexExportInput {
  /** metadata.authors */
  author?: { name: string; email?: string };
  /** urn:uuid:... (default: a version-5 UUID of product, time and content) */
  serialNumber?: string;
  /** BOM version (default 1) */
  bomVersion?: number;
  /** CycloneDX type of the product component (default 'device') */
  productType?: 'device' | 'firmware' | 'application' | 'operating-system' | 'platform';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };
export type CycloneDxVexDocument = { [k: string]: Json | undefined } & { bomFormat: 'CycloneDX'; specVersion: '1.6'; serialNumber: string };

const CDX_COMPONENT_TYPES = new Set(['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver', 'firmware', 'file', 'machine-learning-model', 'data', 'cryptographic-asset']);
const CDX_HASH_ALGS = new Map(['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3'].map((a) => [a.toLowerCase().replace(/-/g, ''), a]));
const RATING_METHOD: Record<CvssScore['version'], string> = { '2.0': 'CVSSv2', '3.0': 'CVSSv3', '3.1': 'CVSSv31', '4.0': 'CVSSv4' };

function hashes(c: ExportComponent): Json[] | undefined {
  const out = c.hashes.flatMap((h) => {
    const alg = CDX_HASH_ALGS.get(h.alg.toLowerCase().replace(/[-_]/g, ''));
    return alg && /^[0-9a-f]{32,128}$/i.test(h.value) ? [{ alg, content: h.value.toLowerCase() }] : [];
  });
  return out.length > 0 ? out : undefined;
}

function componentJson(c: ExportComponent, bomRef: string): Json {
  return {
    type: c.type && CDX_COMPONENT_TYPES.has(c.type) ? c.type : 'library',
    'bom-ref': bomRef,
    supplier: c.supplier ? { name: c.supplier } : undefined,
    group: c.group,
    name: c.name,
    version: c.version,
    hashes: hashes(c),
    cpe: c.cpe,
    purl: c.purl,
  };
}

function sourceOf(id: string, v: ExportVulnerability): Json {
  if (isCve(id)) return { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` };
  if (id.startsWith('GHSA-')) return { name: 'GitHub', url: `https://github.com/advisories/${id}` };
  const a = v.advisories[0];
  if (a?.source === 'osv') return { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(a.sourceId)}` };
  return { name: a ? a.source.toUpperCase() : 'CareGuard' };
}

function responses(item: ExportItem): CdxResponse[] | undefined {
  const d = item.decision;
  if (d.state === 'fixed') return ['update'];
  if (d.state !== 'affected') return undefined;
  const out: CdxResponse[] = [];
  if (item.fixedVersions.length > 0) out.push('update');
  if (d.action) out.push('workaround_available');
  return out.length > 0 ? out : undefined;
}

function analysisJson(d: ExportDecision, item: ExportItem): Json {
  const justification = d.justification && d.state === 'not_affected' ? toCdxJustification(d.justification) : undefined;
  return { state: VEX_TO_CDX_STATE[d.state], justification, response: responses(item), detail: d.detail, firstIssued: d.firstIssued, lastUpdated: d.lastUpdated };
}

/** Decisions that can share one vulnerability entry say exactly the same thing. */
const decisionKey = (i: ExportItem): string =>
  JSON.stringify([i.decision.state, i.decision.justification, i.decision.detail, i.decision.action, i.fixedVersions, i.decision.firstIssued, i.decision.lastUpdated]);

function affectsStatus(d: ExportDecision): 'affected' | 'unaffected' | 'unknown' {
  return d.state === 'affected' ? 'affected' : d.state === 'under_investigation' ? 'unknown' : 'unaffected';
}

export function exportCycloneDxVex(input: CycloneDxVexInput): CycloneDxVexDocument {
  const model = buildExportModel(input);
  const { product } = model;
  const tool = input.tool ?? DEFAULT_TOOL;
  const refs = new Map<string, string>();
  const taken = new Set<string>();
  const unique = (wanted: string): string => {
    let ref = wanted;
    for (let n = 2; taken.has(ref); n++) ref = `${wanted}#${n}`;
    taken.add(ref);
    return ref;
  };
  const productRef = unique(`product:${product.id}`);
  for (const c of model.components) refs.set(c.key, c.isProduct ? productRef : unique(c.ref));
  const refOf = (c: ExportComponent): string => refs.get(c.key)!;

  const vulnerabilities: Json[] = [];
  for (const v of model.vulnerabilities) {
    const facts = factsOf(v);
    const groups = new Map<string, ExportItem[]>();
    for (const item of v.items) {
      const k = decisionKey(item);
      const list = groups.get(k);
      if (list) list.push(item);
      else groups.set(k, [item]);
    }
    for (const items of groups.values()) {
      const first = items[0]!;
      const d = first.decision;
      const keepLabel = d.state === 'not_affected' && d.justification !== undefined && isCsafJustification(d.justification);
      vulnerabilities.push({
        'bom-ref': `vulnerability:${v.id}:${vulnerabilities.length + 1}`,
        id: v.id,
        source: sourceOf(v.id, v),
        references: v.aliases.length > 0 ? v.aliases.map((a) => ({ id: a, source: sourceOf(a, v) })) : undefined,
        ratings:
          facts.scores.length > 0
            ? facts.scores.map((s) => ({ source: s.source ? { name: s.source } : undefined, score: s.baseScore, severity: s.baseSeverity.toLowerCase(), method: RATING_METHOD[s.version], vector: s.vector }))
            : undefined,
        cwes: facts.cwes.length > 0 ? [...new Set(facts.cwes.map((c) => Number(/^CWE-(\d+)$/i.exec(c)?.[1])).filter((n) => Number.isInteger(n) && n > 0))] : undefined,
        description: facts.description ?? facts.title,
        detail: facts.details,
        recommendation: d.action ?? (d.state === 'affected' && first.fixedVersions.length > 0 ? `Update to ${first.fixedVersions.join(' or ')}.` : undefined),
        published: facts.published,
        updated: facts.modified,
        analysis: analysisJson(d, first),
        affects: items.map((i) => ({
          ref: refOf(i.component),
          versions: i.component.version ? [{ version: i.component.version, status: affectsStatus(i.decision) }] : undefined,
        })),
        properties: keepLabel ? [{ name: VEX_JUSTIFICATION_PROPERTY, value: d.justification! }] : undefined,
      });
    }
  }

  const serialNumber = input.serialNumber ?? `urn:uuid:${uuidV5(JSON.stringify(['cyclonedx', product.id, model.now, vulnerabilities]))}`;
  const doc: CycloneDxVexDocument = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber,
    version: input.bomVersion ?? 1,
    metadata: {
      timestamp: model.now,
      tools: { components: [{ type: 'application', name: tool.name, version: tool.version }] },
      // the schema's idn-email format would reject the whole document over a mistyped address
      authors: input.author ? [{ name: input.author.name, email: input.author.email && /^[^\s@]+@[^\s@]+$/.test(input.author.email) ? input.author.email : undefined }] : undefined,
      component: {
        type: input.productType ?? 'device',
        'bom-ref': productRef,
        manufacturer: { name: product.manufacturer },
        supplier: { name: product.manufacturer },
        name: product.name,
        version: product.version === '' ? undefined : product.version,
        cpe: product.cpe,
        purl: product.purl,
      },
    },
    components: model.components.filter((c) => !c.isProduct).map((c) => componentJson(c, refOf(c))),
    vulnerabilities,
  };
  return JSON.parse(JSON.stringify(doc)) as CycloneDxVexDocument;
}
