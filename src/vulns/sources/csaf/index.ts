/**
 * @module CSAF 2.0 source plug-in (csaf_security_advisory, csaf_vex and siblings): checks the
 * document header, walks the product tree and emits one advisory per vulnerability.
 * `readCsafProducts` exposes the classified product list for conformance checks and review UIs.
 */
import type { Advisory } from '../../model.js';
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { JsonReader, parseJsonDocument, ptr, type JsonObject } from '../common/json.js';
import { normalizeCsafVulnerability } from './normalize.js';
import { isCsafDocument, readProductTree, type CsafProduct } from './product-tree.js';

export type { CsafProduct } from './product-tree.js';

const MAX_VULNERABILITIES = 10_000;

function readHeader(r: JsonReader, doc: unknown): JsonObject {
  const root = r.object(doc, '');
  const document = r.object(root.document, '/document');
  r.string(document.category, '/document/category');
  const version = r.string(document.csaf_version, '/document/csaf_version');
  if (version !== '2.0') r.fail(`csaf_version "${version}" is not supported (expected "2.0")`, '/document/csaf_version');
  r.string(document.title, '/document/title');
  const tracking = r.object(document.tracking, '/document/tracking');
  const id = r.string(tracking.id, '/document/tracking/id');
  if (id.trim() === '') r.fail('tracking id is empty', '/document/tracking/id');
  return root;
}

/** The document's products with their classified version ranges, in tree order. */
export function readCsafProducts(input: string, location: string): CsafProduct[] {
  const r = new JsonReader(location);
  const root = readHeader(r, parseJsonDocument(input, location));
  return [...readProductTree(r, root).products.values()];
}

export const csafSource: AdvisorySourcePlugin = {
  id: 'csaf',
  version: '1.0.0',
  detect: (input: DetectInput) =>
    input.json !== undefined ? isCsafDocument(input.json) : /(^|\/)icsm?a-\d{2}-\d{3}-\d{2}\.json$|csaf/i.test(input.filename ?? ''),
  parse(input: string, location: string): Advisory[] {
    const r = new JsonReader(location);
    const root = readHeader(r, parseJsonDocument(input, location));
    const tree = readProductTree(r, root);
    const vulns = r.optArray(root.vulnerabilities, '/vulnerabilities');
    if (vulns.length > MAX_VULNERABILITIES) r.fail(`more than ${MAX_VULNERABILITIES} vulnerabilities`, '/vulnerabilities');
    const tag = parserTag(csafSource);
    if (vulns.length === 0) {
      const document = root.document as JsonObject;
      const tracking = document.tracking as JsonObject;
      return [
        {
          id: tracking.id as string,
          source: 'csaf',
          sourceId: tracking.id as string,
          aliases: [],
          title: document.title as string,
          severity: [],
          cwes: [],
          affected: [],
          remediations: [],
          references: [],
          provenance: { parser: tag, location, pointer: ptr('', 'document') },
          warnings: ['document lists no vulnerabilities'],
        },
      ];
    }
    return vulns.map((v, i) => normalizeCsafVulnerability(r, root, v, i, tree, tag));
  },
};
