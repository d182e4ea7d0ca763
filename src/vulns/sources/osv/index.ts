/**
 * @module OSV source plug-in: detects OSV JSON records, validates them at schema level and
 * normalizes them. `createOsvSource({ packageExists })` adds the registry existence check
 * (osv-linter P0001) through a lookup port supplied by the caller.
 */
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { isObject, JsonReader, parseJsonDocument } from '../common/json.js';
import { normalizeOsv } from './normalize.js';
import { validateOsvRecord, type PackageExists } from './validate.js';

export type { PackageExists } from './validate.js';

export interface OsvSourceOptions {
  /** Registry lookup: false when the package is known not to exist, undefined when unknown. */
  packageExists?: PackageExists;
}

function detect(input: DetectInput): boolean {
  if (isObject(input.json)) {
    const o = input.json;
    return typeof o.id === 'string' && typeof o.modified === 'string' && !('cveMetadata' in o) && !('document' in o);
  }
  return input.filename !== undefined && /\.osv\.json$/i.test(input.filename);
}

export function createOsvSource(options: OsvSourceOptions = {}): AdvisorySourcePlugin {
  const plugin: AdvisorySourcePlugin = {
    id: 'osv',
    version: '1.0.0',
    detect,
    parse(input, location) {
      const r = new JsonReader(location);
      const doc = parseJsonDocument(input, location);
      const record = validateOsvRecord(r, doc, options.packageExists);
      return [normalizeOsv(r, record, parserTag(plugin))];
    },
  };
  return plugin;
}

export const osvSource = createOsvSource();
