/**
 * @module NVD CVE API 2.0 source plug-in: a response envelope (format NVD_CVE) with one or more
 * CVEs; each becomes an advisory with NVD's CVSS metrics (scored from the vectors), weaknesses,
 * references, rejected status as withdrawn, and CPE match criteria as affected products.
 */
import type { Advisory, CvssScore } from '../../model.js';
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { dedupeScores, scoreVector } from '../common/cvss.js';
import { isObject, JsonReader, parseJsonDocument, ptr, uniq, type JsonObject } from '../common/json.js';
import { readConfigurations } from './configurations.js';

const METRIC_KEYS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;
const MAX_RESULTS = 100_000;

function normalizeCve(r: JsonReader, cve: JsonObject, pointer: string, parser: string): Advisory {
  const warnings: string[] = [];
  const id = r.string(cve.id, ptr(pointer, 'id'));
  if (!/^CVE-\d{4}-\d{4,}$/.test(id)) r.fail(`"${id}" is not a CVE id`, ptr(pointer, 'id'));
  const severity: CvssScore[] = [];
  const metrics = cve.metrics === undefined ? {} : r.object(cve.metrics, ptr(pointer, 'metrics'));
  for (const key of METRIC_KEYS) {
    r.optArray(metrics[key], ptr(ptr(pointer, 'metrics'), key)).forEach((m, i) => {
      const mp = ptr(ptr(ptr(pointer, 'metrics'), key), i);
      const o = r.object(m, mp);
      const data = r.object(o.cvssData, ptr(mp, 'cvssData'));
      const vector = r.string(data.vectorString, ptr(ptr(mp, 'cvssData'), 'vectorString'));
      const stated = r.optNumber(data.baseScore, ptr(ptr(mp, 'cvssData'), 'baseScore'));
      const res = scoreVector(vector, { ...(stated !== undefined ? { statedScore: stated } : {}), ...(typeof o.source === 'string' ? { source: o.source } : {}) });
      if (res.score) severity.push(res.score);
      if (res.warning) warnings.push(`${mp}: ${res.warning}`);
    });
  }
  const cwes: string[] = [];
  for (const w of r.optArray(cve.weaknesses, ptr(pointer, 'weaknesses'))) {
    if (!isObject(w) || !Array.isArray(w.description)) continue;
    for (const d of w.description) if (isObject(d) && typeof d.value === 'string' && /^CWE-\d+$/.test(d.value)) cwes.push(d.value);
  }
  const status = typeof cve.vulnStatus === 'string' ? cve.vulnStatus : undefined;
  const advisory: Advisory = {
    id,
    source: 'nvd',
    sourceId: id,
    aliases: [],
    severity: dedupeScores(severity),
    cwes: uniq(cwes),
    affected: readConfigurations(r, cve, pointer, warnings),
    remediations: [],
    references: r.optArray(cve.references, ptr(pointer, 'references')).map((x, i) => {
      const o = r.object(x, ptr(ptr(pointer, 'references'), i));
      const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : [];
      const url = r.string(o.url, ptr(ptr(ptr(pointer, 'references'), i), 'url'));
      return tags[0] ? { url, type: tags[0] } : { url };
    }),
    provenance: { parser, location: r.file, pointer },
    warnings,
  };
  const description = r.optArray(cve.descriptions, ptr(pointer, 'descriptions')).find((d) => isObject(d) && d.lang === 'en');
  if (isObject(description) && typeof description.value === 'string') advisory.summary = description.value;
  const published = r.optTimestamp(cve.published, ptr(pointer, 'published'));
  if (published) advisory.published = published;
  const modified = r.optTimestamp(cve.lastModified, ptr(pointer, 'lastModified'));
  if (modified) advisory.modified = modified;
  if (status === 'Rejected') advisory.withdrawn = modified ?? published ?? '';
  if (status && advisory.affected.length === 0) warnings.push(`no CPE configurations yet (vulnStatus "${status}")`);
  return advisory;
}

export const nvdSource: AdvisorySourcePlugin = {
  id: 'nvd',
  version: '1.0.0',
  detect: (input: DetectInput) =>
    input.json !== undefined ? isObject(input.json) && input.json.format === 'NVD_CVE' && Array.isArray(input.json.vulnerabilities) : /nvd.*\.json$/i.test(input.filename ?? ''),
  parse(input, location) {
    const r = new JsonReader(location);
    const root = r.object(parseJsonDocument(input, location), '');
    const format = r.string(root.format, '/format');
    if (format !== 'NVD_CVE') r.fail(`format "${format}" is not NVD_CVE`, '/format');
    const version = r.string(root.version, '/version');
    if (!version.startsWith('2.')) r.fail(`API version "${version}" is not 2.x`, '/version');
    const items = r.array(root.vulnerabilities, '/vulnerabilities');
    if (items.length > MAX_RESULTS) r.fail(`more than ${MAX_RESULTS} results`, '/vulnerabilities');
    const tag = parserTag(nvdSource);
    return items.map((item, i) => {
      const p = ptr('/vulnerabilities', i);
      return normalizeCve(r, r.object(r.object(item, p).cve, ptr(p, 'cve')), ptr(p, 'cve'), tag);
    });
  },
};
