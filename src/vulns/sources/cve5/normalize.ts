/**
 * @module CVE JSON 5 record → Advisory: CNA (and ADP) metrics scored from their vectors, CWE ids
 * from problemTypes, English description, references, solutions/workarounds as remediations, a
 * REJECTED state as withdrawn, and per affected[] item the vendor/product/package, CPEs and the
 * typed ranges read from versions[] (affected and, separately, known-not-affected).
 */
import { classifyRanges, schemeForCveVersionType, schemeForOsvEcosystem, type SchemeId } from '../../../core/versions/index.js';
import type { Advisory, AffectedProduct, CvssScore, Reference, Remediation } from '../../model.js';
import { normalizeProductName, normalizeVendorName } from '../../normalize-names.js';
import { dedupeScores, scoreVector } from '../common/cvss.js';
import { isObject, ptr, stringsOf, uniq, type JsonObject, type JsonReader } from '../common/json.js';
import { readCve5Versions, type Cve5Version } from './versions.js';

const PLACEHOLDER = /^(n\/a|\[unknown\]|unknown|unspecified)$/i;
const METRIC_KEYS = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0'] as const;

/** Ecosystem named by a package collection URL, when it is a known registry. */
export function ecosystemFromCollection(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const u = url.toLowerCase();
  if (u.includes('pypi.org')) return 'PyPI';
  if (u.includes('npmjs')) return 'npm';
  if (u.includes('repo.maven.apache.org') || u.includes('repo1.maven.org')) return 'Maven';
  if (u.includes('crates.io')) return 'crates.io';
  if (u.includes('nuget.org')) return 'NuGet';
  if (u.includes('pkg.go.dev') || u.includes('proxy.golang.org')) return 'Go';
  if (u.includes('rubygems.org')) return 'RubyGems';
  return undefined;
}

function scores(r: JsonReader, container: JsonObject, pointer: string, source: string, warnings: string[]): CvssScore[] {
  const out: CvssScore[] = [];
  r.optArray(container.metrics, ptr(pointer, 'metrics')).forEach((m, i) => {
    if (!isObject(m)) return;
    for (const key of METRIC_KEYS) {
      const c = m[key];
      if (!isObject(c) || typeof c.vectorString !== 'string') continue;
      const mp = ptr(ptr(ptr(pointer, 'metrics'), i), key);
      const stated = typeof c.baseScore === 'number' ? c.baseScore : undefined;
      const res = scoreVector(c.vectorString, { source, ...(stated !== undefined ? { statedScore: stated } : {}) });
      if (res.score) out.push(res.score);
      if (res.warning) warnings.push(`${mp}: ${res.warning}`);
    }
  });
  return out;
}

function cwes(container: JsonObject): string[] {
  const out: string[] = [];
  if (!Array.isArray(container.problemTypes)) return out;
  for (const pt of container.problemTypes) {
    if (!isObject(pt) || !Array.isArray(pt.descriptions)) continue;
    for (const d of pt.descriptions) {
      if (!isObject(d)) continue;
      if (typeof d.cweId === 'string') out.push(d.cweId);
      else if (typeof d.description === 'string' && /^CWE-\d+/.test(d.description)) out.push(/^CWE-\d+/.exec(d.description)?.[0] as string);
    }
  }
  return out.filter((c) => /^CWE-\d+$/.test(c));
}

function affectedItem(r: JsonReader, raw: unknown, pointer: string): AffectedProduct[] {
  const a = r.object(raw, pointer);
  const vendor = typeof a.vendor === 'string' && !PLACEHOLDER.test(a.vendor.trim()) ? a.vendor : undefined;
  const product = typeof a.product === 'string' && !PLACEHOLDER.test(a.product.trim()) ? a.product : undefined;
  const packageName = typeof a.packageName === 'string' ? a.packageName : undefined;
  const ecosystem = ecosystemFromCollection(typeof a.collectionURL === 'string' ? a.collectionURL : undefined);
  const entries = r.optArray(a.versions, ptr(pointer, 'versions')).map((v, i) => r.object(v, ptr(ptr(pointer, 'versions'), i)) as Cve5Version);
  const registryScheme: SchemeId = (ecosystem && schemeForOsvEcosystem(ecosystem)) || 'generic';
  // Entries are grouped by the ordering they use. The Linux CNA marks the mainline release of a
  // fix as 'original_commit_for_fix' while writing a release number: that belongs with semver.
  // a versionType that is not a string is ignored, as readCve5Versions ignores it (with a note)
  const typeOf = (e: Cve5Version): string | undefined => (typeof e.versionType === 'string' ? e.versionType : undefined);
  const schemeOf = (e: Cve5Version): SchemeId => {
    const type = typeOf(e);
    if (type === 'original_commit_for_fix') return typeof e.version === 'string' && /^\d/.test(e.version) ? 'semver' : 'git';
    return type ? schemeForCveVersionType(type) : registryScheme;
  };
  // Untyped entries beside typed ones ('6.12' next to semver ranges) follow the typed ordering.
  const typed = uniq(entries.filter((e) => typeOf(e) !== undefined).map(schemeOf).filter((x) => x !== 'git'));
  const fallback: SchemeId = typed.length === 1 ? (typed[0] as SchemeId) : registryScheme;
  const schemeOfEntry = (e: Cve5Version): SchemeId => (typeOf(e) === undefined ? fallback : schemeOf(e));
  const schemes = uniq(entries.map(schemeOfEntry));
  const cpes = stringsOf(a.cpes);
  const base: Omit<AffectedProduct, 'ranges' | 'versions' | 'fixed' | 'status' | 'classification' | 'confidence' | 'needsReview'> = {};
  if (vendor) {
    base.vendor = vendor;
    base.normalizedVendor = normalizeVendorName(vendor).key;
  }
  if (product) {
    base.product = product;
    base.normalizedProduct = normalizeProductName(product, base.normalizedVendor).key;
  }
  if (packageName) base.packageName = packageName;
  if (ecosystem) base.ecosystem = ecosystem;
  if (cpes.length > 0) base.cpe = cpes[0] as string;
  const out: AffectedProduct[] = [];
  // One entry per ordering: git commit ranges and release-number ranges cannot be mixed.
  for (const scheme of schemes.length > 0 ? schemes : [fallback]) {
    const group = entries.filter((e) => schemeOfEntry(e) === scheme);
    const defaultStatus = typeof a.defaultStatus === 'string' ? a.defaultStatus : undefined;
    const res = readCve5Versions(group, scheme, defaultStatus);
    const notes = uniq([...res.notes, ...(cpes.length > 1 ? [`other CPEs: ${cpes.slice(1).join(', ')}`] : []), ...(scheme !== 'generic' ? [`ordered as ${scheme}`] : [])]);
    const freeText = res.freeText.length > 0;
    const classification = freeText ? 'free-text' : classifyRanges(res.affected);
    const confidence = freeText ? Math.min(res.confidence, 0.2) : res.confidence;
    if (res.affected.length > 0 || group.length === 0) {
      const entry: AffectedProduct = {
        ...base,
        ranges: res.affected,
        versions: res.exact,
        fixed: uniq(res.fixed),
        status: group.length === 0 ? (defaultStatus === 'affected' ? 'known_affected' : defaultStatus === 'unknown' ? 'under_investigation' : 'known_not_affected') : 'known_affected',
        classification: res.affected.length === 0 ? 'free-text' : classification,
        confidence: res.affected.length === 0 ? 0.5 : confidence,
        needsReview: freeText || confidence < 0.8 || res.affected.length === 0,
      };
      if (group.length === 0) entry.notes = [...notes, `no versions listed; defaultStatus "${defaultStatus ?? 'unaffected'}"`];
      else if (notes.length > 0) entry.notes = notes;
      out.push(entry);
    }
    if (res.unaffected.length > 0) {
      out.push({ ...base, ranges: res.unaffected, versions: [], fixed: [], status: 'known_not_affected', classification: 'range', confidence: res.confidence, needsReview: res.confidence < 0.8, ...(notes.length > 0 ? { notes } : {}) });
    }
  }
  return out;
}

function textList(r: JsonReader, raw: unknown, pointer: string): string[] {
  return r
    .optArray(raw, pointer)
    .filter(isObject)
    .filter((d) => typeof d.value === 'string' && (typeof d.lang !== 'string' || d.lang.toLowerCase().startsWith('en')))
    .map((d) => d.value as string);
}

export function normalizeCve5(r: JsonReader, root: JsonObject, parser: string): Advisory {
  const meta = r.object(root.cveMetadata, '/cveMetadata');
  const id = r.string(meta.cveId, '/cveMetadata/cveId');
  if (!/^CVE-\d{4}-\d{4,}$/.test(id)) r.fail(`"${id}" is not a CVE id`, '/cveMetadata/cveId');
  const state = r.string(meta.state, '/cveMetadata/state');
  const containers = r.object(root.containers, '/containers');
  const warnings: string[] = [];
  const cna = state === 'REJECTED' && containers.cna === undefined ? {} : r.object(containers.cna, '/containers/cna');
  const adps = r.optArray(containers.adp, '/containers/adp');
  const severity = scores(r, cna, '/containers/cna', 'CNA', warnings);
  const cweList = cwes(cna);
  adps.forEach((adp, i) => {
    const o = r.object(adp, ptr('/containers/adp', i));
    const source = isObject(o.providerMetadata) && typeof o.providerMetadata.shortName === 'string' ? o.providerMetadata.shortName : 'ADP';
    severity.push(...scores(r, o, ptr('/containers/adp', i), source, warnings));
    cweList.push(...cwes(o));
  });
  const affected = r.optArray(cna.affected, '/containers/cna/affected').flatMap((a, i) => affectedItem(r, a, ptr('/containers/cna/affected', i)));
  const references: Reference[] = r.optArray(cna.references, '/containers/cna/references').map((x, i) => {
    const o = r.object(x, ptr('/containers/cna/references', i));
    const ref: Reference = { url: r.string(o.url, ptr(ptr('/containers/cna/references', i), 'url')) };
    const tags = stringsOf(o.tags);
    if (tags[0]) ref.type = tags[0];
    if (typeof o.name === 'string') ref.summary = o.name;
    return ref;
  });
  const remediations: Remediation[] = [
    ...textList(r, cna.solutions, '/containers/cna/solutions').map((details) => ({ category: 'vendor_fix', details })),
    ...textList(r, cna.workarounds, '/containers/cna/workarounds').map((details) => ({ category: 'workaround', details })),
  ];
  const advisory: Advisory = {
    id,
    source: 'cve5',
    sourceId: id,
    aliases: [],
    severity: dedupeScores(severity),
    cwes: uniq(cweList),
    affected,
    remediations,
    references,
    provenance: { parser, location: r.file, pointer: '' },
    warnings,
  };
  if (typeof cna.title === 'string') advisory.title = cna.title;
  const summary = textList(r, cna.descriptions, '/containers/cna/descriptions')[0];
  if (summary) advisory.summary = summary;
  const published = r.optTimestamp(meta.datePublished, '/cveMetadata/datePublished');
  if (published) advisory.published = published;
  const modified = r.optTimestamp(meta.dateUpdated, '/cveMetadata/dateUpdated');
  if (modified) advisory.modified = modified;
  if (state === 'REJECTED') advisory.withdrawn = r.optTimestamp(meta.dateRejected, '/cveMetadata/dateRejected') ?? modified ?? published ?? '';
  return advisory;
}
