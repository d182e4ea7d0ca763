/**
 * @module NVD API 2.0 `configurations` → affected products. Each vulnerable cpeMatch becomes one
 * entry whose range comes from its versionStart/End bounds (or the criterion's literal version,
 * with a literal update such as 'rc1' appended). In an AND configuration the non-vulnerable
 * matches of the other nodes (the hardware or OS it runs on) become the entry's `requires`.
 */
import { classifyRange, cpeMatchToRange, parseCpe23, type Cpe, type CpeVersionBounds } from '../../../core/versions/index.js';
import type { AffectedProduct } from '../../model.js';
import { normalizeProductName, normalizeVendorName } from '../../normalize-names.js';
import { isObject, ptr, type JsonObject, type JsonReader } from '../common/json.js';

const BOUND_KEYS = ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'] as const;

interface CpeMatch {
  vulnerable: boolean;
  criteria: string;
  cpe: Cpe;
  bounds: CpeVersionBounds;
  pointer: string;
}

const literal = (v: Cpe[keyof Cpe]): string | undefined => (v.kind === 'value' && !v.prefix && !v.suffix ? v.literal : undefined);

function readMatch(r: JsonReader, raw: unknown, pointer: string, warnings: string[]): CpeMatch | undefined {
  const m = r.object(raw, pointer);
  const criteria = r.string(m.criteria, ptr(pointer, 'criteria'));
  const vulnerable = m.vulnerable === true;
  const parsed = parseCpe23(criteria);
  if (!parsed.ok) {
    warnings.push(`${ptr(pointer, 'criteria')}: ${parsed.error.message}`);
    return undefined;
  }
  const bounds: CpeVersionBounds = {};
  for (const k of BOUND_KEYS) {
    const v = r.optString(m[k], ptr(pointer, k));
    if (v !== undefined) bounds[k] = v;
  }
  return { vulnerable, criteria, cpe: parsed.value, bounds, pointer };
}

function entryFor(match: CpeMatch, requires: string[], negated: boolean): AffectedProduct {
  const vendor = literal(match.cpe.vendor);
  const product = literal(match.cpe.product);
  const update = literal(match.cpe.update);
  const version = literal(match.cpe.version);
  let cpe = match.cpe;
  const notes: string[] = [];
  if (version && update) {
    // '1.3' with update 'rc1' is the pre-release 1.3-rc1, not 1.3 itself.
    cpe = { ...cpe, version: { kind: 'value', literal: `${version}-${update}`, prefix: '', suffix: '' } };
    notes.push(`update "${update}" folded into the version`);
  }
  const range = cpeMatchToRange(cpe, match.bounds, 'generic');
  const entry: AffectedProduct = {
    cpe: match.criteria,
    ranges: [range],
    versions: range.kind === 'constraints' && classifyRange(range) === 'exact' ? range.groups.map((g) => g[0]?.version as string) : [],
    fixed: match.bounds.versionEndExcluding ? [match.bounds.versionEndExcluding] : [],
    status: negated ? 'known_not_affected' : 'known_affected',
    classification: classifyRange(range),
    confidence: range.kind === 'free-text' ? 0.2 : 1,
    needsReview: range.kind === 'free-text',
  };
  if (vendor) {
    entry.vendor = vendor;
    entry.normalizedVendor = normalizeVendorName(vendor.replace(/_/g, ' ')).key;
  }
  if (product) {
    entry.product = product;
    entry.normalizedProduct = normalizeProductName(product.replace(/_/g, ' '), entry.normalizedVendor).key;
  }
  if (requires.length > 0) {
    entry.requires = requires;
    notes.push(`only when running with ${requires.join(' or ')}`);
  }
  if (negated) notes.push('listed under a negated node: these products are excluded');
  if (notes.length > 0) entry.notes = notes;
  return entry;
}

export function readConfigurations(r: JsonReader, cve: JsonObject, pointer: string, warnings: string[]): AffectedProduct[] {
  const out: AffectedProduct[] = [];
  r.optArray(cve.configurations, ptr(pointer, 'configurations')).forEach((rawConfig, ci) => {
    const cp = ptr(ptr(pointer, 'configurations'), ci);
    const config = r.object(rawConfig, cp);
    const isAnd = config.operator === 'AND';
    const nodes = r.array(config.nodes, ptr(cp, 'nodes')).map((rawNode, ni) => {
      const np = ptr(ptr(cp, 'nodes'), ni);
      const node = r.object(rawNode, np);
      const matches = r
        .array(node.cpeMatch, ptr(np, 'cpeMatch'))
        .map((m, k) => readMatch(r, m, ptr(ptr(np, 'cpeMatch'), k), warnings))
        .filter((m): m is CpeMatch => m !== undefined);
      return { matches, negate: isObject(node) && node.negate === true };
    });
    nodes.forEach((node, ni) => {
      const platforms = isAnd ? nodes.filter((_, k) => k !== ni).flatMap((n) => n.matches.filter((m) => !m.vulnerable).map((m) => m.criteria)) : [];
      for (const m of node.matches) if (m.vulnerable) out.push(entryFor(m, platforms, node.negate));
    });
  });
  return out;
}
