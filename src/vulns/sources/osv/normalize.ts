/**
 * @module A validated OSV record → Advisory: ids and aliases, CVSS severities scored from their
 * vectors, CWE ids from database_specific, one AffectedProduct per affected entry with its typed
 * ranges (via the ecosystem's comparator), explicit versions and fixed versions, and references.
 */
import { comparatorFor, exactVersions, type VersionRange } from '../../../core/versions/index.js';
import type { Advisory, AffectedProduct, CvssScore } from '../../model.js';
import { dedupeScores, scoreVector } from '../common/cvss.js';
import { isObject, ptr, stringsOf, uniq, type JsonObject, type JsonReader } from '../common/json.js';
import { osvEventsToRange, schemeForOsvRange } from './ranges.js';
import { readEvent } from './validate.js';

const CVE = /^CVE-\d{4}-\d{4,}$/;

function cwesOf(o: JsonObject): string[] {
  const out: string[] = [];
  const visit = (ds: unknown) => {
    if (!isObject(ds)) return;
    out.push(...stringsOf(ds.cwe_ids));
    if (Array.isArray(ds.cwes)) for (const c of ds.cwes) if (isObject(c) && typeof c.cweId === 'string') out.push(c.cweId);
  };
  visit(o.database_specific);
  if (Array.isArray(o.affected)) for (const a of o.affected) if (isObject(a)) visit(a.database_specific);
  return uniq(out.filter((c) => /^CWE-\d+$/.test(c)));
}

function affectedEntry(r: JsonReader, raw: unknown, pointer: string, warnings: string[]): AffectedProduct {
  const a = r.object(raw, pointer);
  const pkg = isObject(a.package) ? a.package : undefined;
  const ecosystem = typeof pkg?.ecosystem === 'string' ? pkg.ecosystem : undefined;
  const ranges: VersionRange[] = [];
  const fixed: string[] = [];
  const notes: string[] = [];
  let confidence = 1;
  r.optArray(a.ranges, ptr(pointer, 'ranges')).forEach((rawRange, i) => {
    const rp = ptr(ptr(pointer, 'ranges'), i);
    const range = r.object(rawRange, rp);
    const type = r.string(range.type, ptr(rp, 'type'));
    let scheme = schemeForOsvRange(type, ecosystem);
    if (!scheme) {
      scheme = 'generic';
      confidence = Math.min(confidence, 0.6);
      notes.push(`no comparator for ecosystem "${ecosystem}"; generic ordering used`);
    }
    const events = r.array(range.events, ptr(rp, 'events')).map((e, k) => readEvent(r, e, ptr(ptr(rp, 'events'), k)));
    const result = osvEventsToRange(scheme, events);
    ranges.push(result.range);
    fixed.push(...result.fixed);
    if (type === 'GIT' && typeof range.repo === 'string') notes.push(`GIT range in ${range.repo}: only exact commits can be decided`);
    warnings.push(...result.warnings.map((w) => `${rp}: ${w}`));
  });
  const versions = stringsOf(a.versions);
  const versionScheme = (ecosystem && schemeForOsvRange('ECOSYSTEM', ecosystem)) || undefined;
  if (versionScheme) {
    const invalid = versions.filter((v) => !comparatorFor(versionScheme).isValid(v));
    if (invalid.length > 0) warnings.push(`${ptr(pointer, 'versions')}: not valid ${ecosystem} versions: ${invalid.join(', ')}`);
  }
  if (ranges.length === 0 && versions.length > 0) ranges.push(exactVersions(versionScheme ?? 'generic', versions));
  const entry: AffectedProduct = {
    ranges,
    versions,
    fixed: uniq(fixed),
    status: 'known_affected',
    classification: ranges.length === 0 ? 'free-text' : ranges.every((x) => x.kind === 'constraints' && x.groups.every((g) => g.length === 1 && g[0]?.op === '=')) ? 'exact' : 'range',
    confidence: ranges.length === 0 ? 0.2 : confidence,
    needsReview: ranges.length === 0 || confidence < 0.8,
  };
  if (pkg && typeof pkg.name === 'string') entry.packageName = pkg.name;
  if (ecosystem) entry.ecosystem = ecosystem;
  if (pkg && typeof pkg.purl === 'string') entry.purl = pkg.purl;
  if (ranges.length === 0) notes.push('no ranges or versions: every version is potentially affected');
  if (notes.length > 0) entry.notes = uniq(notes);
  return entry;
}

export function normalizeOsv(r: JsonReader, o: JsonObject, parser: string): Advisory {
  const warnings: string[] = [];
  const sourceId = o.id as string;
  const aliases = stringsOf(o.aliases);
  const cves = uniq([sourceId, ...aliases].filter((x) => CVE.test(x)));
  const id = cves.length === 1 ? (cves[0] as string) : sourceId;
  const severity: CvssScore[] = [];
  r.optArray(o.severity, '/severity').forEach((s, i) => {
    const sev = s as JsonObject;
    if (sev.type === 'Ubuntu') return;
    const out = scoreVector(sev.score as string, { source: sourceId });
    if (out.score) severity.push(out.score);
    if (out.warning) warnings.push(`${ptr('/severity', i)}: ${out.warning}`);
  });
  const affected = r.optArray(o.affected, '/affected').map((a, i) => affectedEntry(r, a, ptr('/affected', i), warnings));
  const advisory: Advisory = {
    id,
    source: 'osv',
    sourceId,
    aliases: uniq([sourceId, ...aliases]).filter((x) => x !== id),
    severity: dedupeScores(severity),
    cwes: cwesOf(o),
    affected,
    remediations: [],
    references: r.optArray(o.references, '/references').map((ref) => {
      const x = ref as JsonObject;
      return typeof x.type === 'string' ? { url: x.url as string, type: x.type } : { url: x.url as string };
    }),
    provenance: { parser, location: r.file, pointer: '' },
    warnings,
  };
  if (typeof o.summary === 'string') advisory.summary = o.summary;
  if (typeof o.details === 'string') advisory.details = o.details;
  const published = r.optTimestamp(o.published, '/published');
  if (published) advisory.published = published;
  advisory.modified = r.timestamp(o.modified, '/modified');
  const withdrawn = r.optTimestamp(o.withdrawn, '/withdrawn');
  if (withdrawn) advisory.withdrawn = withdrawn;
  return advisory;
}
