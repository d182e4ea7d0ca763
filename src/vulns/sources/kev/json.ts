/**
 * @module CISA KEV catalog, JSON form (known_exploited_vulnerabilities.json): header fields
 * (catalogVersion, dateReleased, count) and one advisory per entry. A count that disagrees with
 * the number of entries is an error: the catalog would be truncated or corrupt.
 */
import type { Advisory } from '../../model.js';
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { isObject, JsonReader, parseJsonDocument, ptr, stringsOf } from '../common/json.js';
import { checkKevFields, KEV_FIELDS, kevAdvisory, type KevFields } from './entry.js';

export interface KevCatalog {
  title: string;
  catalogVersion: string;
  dateReleased: string;
  count: number;
  advisories: Advisory[];
}

const MAX_KEV_ENTRIES = 100_000;

export function parseKevJson(input: string, location: string, parser = 'kev-json@1.0.0'): KevCatalog {
  const r = new JsonReader(location);
  const root = r.object(parseJsonDocument(input, location), '');
  const title = r.string(root.title, '/title');
  const catalogVersion = r.string(root.catalogVersion, '/catalogVersion');
  const dateReleased = r.timestamp(root.dateReleased, '/dateReleased');
  const count = r.optNumber(root.count, '/count') ?? r.fail('required field is missing', '/count');
  const entries = r.array(root.vulnerabilities, '/vulnerabilities');
  if (entries.length > MAX_KEV_ENTRIES) r.fail(`more than ${MAX_KEV_ENTRIES} entries`, '/vulnerabilities');
  if (entries.length !== count) r.fail(`count says ${count} but the catalog lists ${entries.length} entries`, '/count');
  const advisories = entries.map((raw, i) => {
    const p = ptr('/vulnerabilities', i);
    const o = r.object(raw, p);
    const f = {} as KevFields;
    for (const k of KEV_FIELDS) f[k] = r.string(o[k], ptr(p, k));
    f.notes = r.optString(o.notes, ptr(p, 'notes')) ?? '';
    f.cwes = stringsOf(o.cwes);
    const problem = checkKevFields(f);
    if (problem) r.fail(problem, p);
    return kevAdvisory(f, parser, location, p);
  });
  return { title, catalogVersion, dateReleased, count, advisories };
}

export const kevJsonSource: AdvisorySourcePlugin = {
  id: 'kev-json',
  version: '1.0.0',
  detect: (input: DetectInput) =>
    input.json !== undefined
      ? isObject(input.json) && typeof input.json.catalogVersion === 'string' && Array.isArray(input.json.vulnerabilities)
      : /known_exploited_vulnerabilities\.json$/i.test(input.filename ?? ''),
  parse: (input, location) => parseKevJson(input, location, parserTag(kevJsonSource)).advisories,
};
