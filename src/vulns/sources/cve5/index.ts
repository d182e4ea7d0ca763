/** @module CVE JSON 5 (CVE_RECORD 5.0–5.2) source plug-in. */
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { isObject, JsonReader, parseJsonDocument } from '../common/json.js';
import { normalizeCve5 } from './normalize.js';

export const cve5Source: AdvisorySourcePlugin = {
  id: 'cve5',
  version: '1.0.0',
  detect: (input: DetectInput) =>
    input.json !== undefined ? isObject(input.json) && input.json.dataType === 'CVE_RECORD' : /CVE-\d{4}-\d+\.json$/i.test(input.filename ?? ''),
  parse(input, location) {
    const r = new JsonReader(location);
    const root = r.object(parseJsonDocument(input, location), '');
    const dataType = r.string(root.dataType, '/dataType');
    if (dataType !== 'CVE_RECORD') r.fail(`dataType "${dataType}" is not CVE_RECORD`, '/dataType');
    const dataVersion = r.string(root.dataVersion, '/dataVersion');
    if (!/^5\.\d+/.test(dataVersion)) r.fail(`dataVersion "${dataVersion}" is not a 5.x version`, '/dataVersion');
    return [normalizeCve5(r, root, parserTag(cve5Source))];
  },
};
