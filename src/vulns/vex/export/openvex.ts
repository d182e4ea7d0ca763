/**
 * @module OpenVEX 0.2.0 export: one statement per vulnerability and component, the product as
 * `products[].@id` (purl, else CPE, else a CareGuard URN) and the component as its subcomponent.
 * OpenVEX requires a justification or impact statement for not_affected and an action statement
 * for affected; where the decision has none, a sentence derived from it is written.
 */
import { toCsafJustification } from '../mappings.js';
import { DEFAULT_TOOL, buildExportModel, uuidV5, type ExportComponent, type VexExportInput } from './common.js';

export const OPENVEX_CONTEXT_0_2_0 = 'https://openvex.dev/ns/v0.2.0';

export interface OpenVexInput extends VexExportInput {
  /** document author (person or organisation) */
  author: string;
  /** author role, e.g. 'Product security team' */
  role?: string;
  /** document IRI (default urn:uuid:<version-5 UUID of the content>) */
  id?: string;
  /** document version (default 1) */
  version?: number;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };
export type OpenVexDocument = { [k: string]: Json | undefined } & { '@context': string; statements: Json[] };

function productJson(iri: string, purl: string | undefined, cpe: string | undefined): { [k: string]: Json | undefined } {
  const identifiers: { [k: string]: Json } = {};
  if (purl && purl !== iri) identifiers.purl = purl;
  if (cpe && cpe !== iri) identifiers[cpe.startsWith('cpe:2.3:') ? 'cpe23' : 'cpe22'] = cpe;
  return { '@id': iri, identifiers: Object.keys(identifiers).length > 0 ? identifiers : undefined };
}

const componentIri = (c: ExportComponent): string => c.purl ?? c.cpe ?? `urn:careguard:component:${encodeURIComponent(c.key)}`;

export function exportOpenVex(input: OpenVexInput): OpenVexDocument {
  const model = buildExportModel(input);
  const p = model.product;
  const productIri = p.purl ?? p.cpe ?? `urn:careguard:product:${encodeURIComponent(p.id)}`;
  const statements: Json[] = [];
  for (const v of model.vulnerabilities) {
    for (const item of v.items) {
      const d = item.decision;
      const c = item.component;
      const product = productJson(productIri, p.purl, p.cpe);
      if (!c.isProduct) product.subcomponents = [productJson(componentIri(c), c.purl, c.cpe)];
      const justification = d.state === 'not_affected' && d.justification ? toCsafJustification(d.justification) : undefined;
      const fixes = item.fixedVersions;
      statements.push({
        vulnerability: { name: v.id, aliases: v.aliases.length > 0 ? v.aliases : undefined },
        timestamp: d.lastUpdated,
        products: [product],
        status: d.state,
        justification,
        impact_statement: d.detail ?? (d.state === 'not_affected' && !justification ? 'The product is not affected by this vulnerability.' : undefined),
        action_statement:
          d.action ?? (d.state === 'affected' ? (fixes.length > 0 ? `Update ${c.name} to ${fixes.join(' or ')}.` : 'No fix is available yet; follow the manufacturer guidance and apply compensating controls.') : undefined),
      });
    }
  }
  const tool = input.tool ?? DEFAULT_TOOL;
  const doc: OpenVexDocument = {
    '@context': OPENVEX_CONTEXT_0_2_0,
    '@id': input.id ?? `urn:uuid:${uuidV5(JSON.stringify(['openvex', p.id, model.now, statements]))}`,
    author: input.author,
    role: input.role,
    timestamp: model.now,
    version: input.version ?? 1,
    tooling: `${tool.name} ${tool.version}`,
    statements,
  };
  return JSON.parse(JSON.stringify(doc)) as OpenVexDocument;
}

