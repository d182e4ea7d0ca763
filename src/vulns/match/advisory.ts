/**
 * @module The advisory side of matching: each affected entry's identity (package, CPE, hashes,
 * vendor/product names, name-only fallback), its match keys, its Match status, and the fixed
 * versions a finding should show. Computed once per Advisory object and cached, so a feed update
 * or a full re-match never re-parses purls, CPEs or names.
 */
import type { Advisory, AffectedProduct, AffectedStatus } from '../model.js';
import { normalizeVendorName } from '../normalize-names.js';
import { cpeKey, readCpe, type ParsedCpe } from './cpe.js';
import type { Match, MatchRule, MatchStatus } from './model.js';
import { foldName, productTokens } from './names.js';
import { identityOfEcosystemPackage, identityOfPurl, parsePurl, releaseOfEcosystem } from './purl.js';
import { hashKey } from './target.js';

export interface EntryPurl {
  identity: string;
  /** how the advisory names it: 'npm/lodash', 'pkg:npm/lodash', 'Debian:12/openssl' */
  text: string;
  release?: string;
  rule: Extract<MatchRule, 'purl' | 'osv-package' | 'csaf-purl'>;
}

export interface PreparedEntry {
  index: number;
  /** the entry comes from a CSAF product tree (rules are reported as csaf-*) */
  csaf: boolean;
  entry: AffectedProduct;
  status: MatchStatus;
  /** keys that establish identity with this entry (requires excluded) */
  keys: string[];
  purl?: EntryPurl;
  cpe?: ParsedCpe;
  hashes: Set<string>;
  vendorProducts: string[];
  vendors: string[];
  tokens: string[];
  /** name-only fallback key (entries naming nothing stronger, never CSAF device products) */
  nameKey?: string;
  requires: ParsedCpe[];
  fixedVersions: string[];
  /** where in the source document, for evidence */
  field: string;
}

/** A match without the target's ids: the same for every target with the same signature. */
export type MatchOutcome = Omit<Match, 'productId' | 'componentRef' | 'componentKey'>;

export interface PreparedAdvisory {
  advisory: Advisory;
  keys: string[];
  entries: PreparedEntry[];
  vulnerabilityId: string;
  withdrawn: boolean;
  hasRequires: boolean;
  /** outcomes by target signature (null: no match), bounded; see matchPrepared */
  memo: Map<string, MatchOutcome | null>;
  /** last lookup that visited this advisory (AdvisoryIndex de-duplication without a Set) */
  stamp: number;
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** The CVE when the advisory names exactly one (as id or alias), otherwise the advisory id. */
export function vulnerabilityIdOf(a: Advisory): string {
  const cves = new Set<string>();
  for (const id of [a.id, ...a.aliases]) if (CVE.test(id)) cves.add(id.toUpperCase());
  return cves.size === 1 ? ([...cves][0] as string) : a.id;
}

/** Every CSAF product_status category and the other sources' equivalents → a Match status. */
export function matchStatusOf(status: AffectedStatus): MatchStatus {
  switch (status) {
    case 'known_affected':
    case 'first_affected':
    case 'last_affected':
      return 'affected';
    case 'known_not_affected':
      return 'not_affected';
    case 'fixed':
    case 'first_fixed':
      return 'fixed';
    case 'recommended':
      // CSAF 'recommended' lists the versions to move to: the fixed ones.
      return 'fixed';
    case 'under_investigation':
      return 'under_investigation';
  }
}

const MULTI_VENDOR = /,|\band\b|&|\//i;

function entryPurl(a: Advisory, e: AffectedProduct): EntryPurl | undefined {
  if (e.ecosystem && e.packageName) {
    const identity = identityOfEcosystemPackage(e.ecosystem, e.packageName);
    if (identity) {
      const release = releaseOfEcosystem(e.ecosystem);
      const out: EntryPurl = { identity, text: `${e.ecosystem}/${e.packageName}`, rule: a.source === 'osv' ? 'osv-package' : 'purl' };
      if (release) out.release = release;
      return out;
    }
  }
  if (e.purl) {
    const p = parsePurl(e.purl);
    if (p) return { identity: identityOfPurl(p), text: e.purl, rule: a.source === 'csaf' ? 'csaf-purl' : 'purl' };
  }
  return undefined;
}

function samePackage(cpe: ParsedCpe, packageName: string): boolean {
  const product = cpe.key?.split(':')[1];
  return product !== undefined && foldName(product) === foldName(packageName);
}

function fieldOf(a: Advisory, e: AffectedProduct, i: number): string {
  if (a.source === 'csaf' && e.productId) return `affected[${i}] (${e.productId} in ${a.provenance.pointer}/product_status/${e.status})`;
  return `affected[${i}]`;
}

function prepareEntry(a: Advisory, e: AffectedProduct, i: number): PreparedEntry {
  const keys = new Set<string>();
  const purl = entryPurl(a, e);
  if (purl) keys.add(`purl:${purl.identity}`);
  let cpe = e.cpe ? readCpe(e.cpe) : undefined;
  const requires = (e.requires ?? []).map(readCpe).filter((c): c is ParsedCpe => c !== undefined);
  if (cpe && e.packageName && !purl && !samePackage(cpe, e.packageName)) {
    // CVE 5 records from distributions name the package and the platform shipping it
    // ('xz' on cpe:/o:redhat:enterprise_linux:8): the package is the identity, the CPE a requirement.
    requires.push(cpe);
    cpe = undefined;
  }
  if (cpe?.key) keys.add(cpeKey(cpe.key));
  const hashes = new Set<string>();
  for (const h of e.hashes ?? []) {
    const k = hashKey(h.algorithm, h.value);
    hashes.add(k);
    keys.add(`hash:${k}`);
  }
  const vendors: string[] = [];
  if (e.normalizedVendor) vendors.push(e.normalizedVendor);
  if (e.vendor && MULTI_VENDOR.test(e.vendor)) for (const c of normalizeVendorName(e.vendor).candidates) if (!vendors.includes(c)) vendors.push(c);
  const vendorProducts = e.normalizedProduct ? vendors.map((v) => `${v}/${e.normalizedProduct}`) : [];
  for (const vp of vendorProducts) keys.add(`vp:${vp}`);
  for (const v of vendors) keys.add(`v:${v}`);
  let nameKey: string | undefined;
  if (!purl && !cpe?.key && hashes.size === 0 && a.source !== 'csaf') {
    const folded = foldName(e.packageName ?? e.normalizedProduct ?? e.product ?? '');
    if (folded !== '') {
      nameKey = folded;
      keys.add(`name:${folded}`);
    }
  }
  const out: PreparedEntry = {
    index: i,
    csaf: a.source === 'csaf',
    entry: e,
    status: matchStatusOf(e.status),
    keys: [...keys],
    hashes,
    vendorProducts,
    vendors,
    tokens: e.normalizedProduct ? productTokens(e.normalizedProduct) : [],
    requires,
    fixedVersions: [...e.fixed],
    field: fieldOf(a, e, i),
  };
  if (purl) out.purl = purl;
  if (cpe) out.cpe = cpe;
  if (nameKey) out.nameKey = nameKey;
  return out;
}

/** CSAF lists a fixed product version as its own product: show it on the affected ones of the same product. */
function addSiblingFixes(entries: PreparedEntry[]): void {
  const fixedBy = new Map<string, string[]>();
  for (const pe of entries) {
    if (pe.status !== 'fixed') continue;
    const versions = pe.entry.versions.length > 0 ? pe.entry.versions : pe.entry.versionText ? [pe.entry.versionText] : [];
    for (const k of pe.keys) fixedBy.set(k, [...(fixedBy.get(k) ?? []), ...versions]);
  }
  if (fixedBy.size === 0) return;
  for (const pe of entries) {
    if (pe.status !== 'affected') continue;
    for (const k of pe.keys) if (!k.startsWith('v:')) for (const v of fixedBy.get(k) ?? []) if (!pe.fixedVersions.includes(v)) pe.fixedVersions.push(v);
  }
}

const cache = new WeakMap<Advisory, PreparedAdvisory>();

export function prepareAdvisory(a: Advisory): PreparedAdvisory {
  const hit = cache.get(a);
  if (hit) return hit;
  const entries = a.affected.map((e, i) => prepareEntry(a, e, i));
  addSiblingFixes(entries);
  const keys = new Set<string>();
  let hasRequires = false;
  for (const pe of entries) {
    for (const k of pe.keys) keys.add(k);
    for (const r of pe.requires) {
      hasRequires = true;
      // the platform's components must reach matchAdvisory too, or "running on" cannot be decided
      if (r.key) keys.add(cpeKey(r.key));
    }
  }
  const prepared: PreparedAdvisory = { advisory: a, keys: [...keys], entries, vulnerabilityId: vulnerabilityIdOf(a), withdrawn: a.withdrawn !== undefined, hasRequires, memo: new Map(), stamp: 0 };
  cache.set(a, prepared);
  return prepared;
}

/** Match keys of an advisory: the same key space as matchKeysOfTarget. */
export function matchKeysOfAdvisory(a: Advisory): string[] {
  return [...prepareAdvisory(a).keys];
}
