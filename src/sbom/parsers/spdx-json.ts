/**
 * @module SPDX 2.2/2.3 JSON parser. Errors carry the JSON pointer of the offending value.
 * SPDX 3.0 JSON-LD is recognised by its @context and rejected as an unsupported version.
 */
import type { Sbom } from '../model.js';
import { SbomError } from '../errors.js';
import { isObject, sha256Hex } from '../json-access.js';
import { parseJsonDocument, stripBom } from '../json-text.js';
import type { ParseOptions, SbomParser } from './contract.js';
import { mapSpdxDocument } from './spdx-map.js';

const ID = 'spdx-json';
const VERSION = '1.0.0';

function parseSpdxJson(text: string, options: ParseOptions = {}): Sbom {
  const file = options.file;
  const doc = parseJsonDocument(stripBom(text), file);
  if (isObject(doc) && doc.spdxVersion === undefined && '@context' in doc) {
    const context = JSON.stringify(doc['@context']);
    if (/spdx\.org\/rdf\/3/.test(context)) {
      throw new SbomError('sbom.unsupported_version', 'SPDX 3.x JSON-LD is not supported (SPDX-2.2 or SPDX-2.3)', { file, pointer: '/@context' });
    }
  }
  return mapSpdxDocument(doc, (pointer) => ({ pointer }), file, { parser: `${ID}@${VERSION}`, sha256: sha256Hex(text) });
}

export const spdxJsonParser: SbomParser = {
  id: ID,
  version: VERSION,
  detect: (head, filename) =>
    /"spdxVersion"\s*:/.test(head) ||
    /"@context"\s*:\s*"https?:\/\/spdx\.org\/rdf\/3/.test(head) ||
    (/\.spdx\.json$/i.test(filename ?? '') && head.trimStart().startsWith('{')),
  parse: parseSpdxJson,
};
