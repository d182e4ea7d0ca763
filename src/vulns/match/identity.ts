/**
 * @module Does an advisory's affected entry name this target at all (versions aside)? Rules are
 * tried strongest first and the first that holds is the evidence: file hash, package (purl type,
 * namespace and name; distribution release when both sides state one), CPE vendor:product with the
 * other CPE attributes, exact vendor/product names, then the inferred identities that need review
 * (curated firmware names, fuzzy product names, name only). A purl on both sides that differs, or
 * a stated CPE of the same vendor:product whose other attributes differ, is decisive: no weaker
 * rule may then match, so the same name in another ecosystem never matches.
 */
import type { PreparedEntry } from './advisory.js';
import { compareCpes } from './cpe.js';
import type { MatchRule, MatchTarget } from './model.js';
import { tokensContained } from './names.js';
import { sameRelease } from './purl.js';
import { VAGUE_PURL_TYPES, type PreparedTarget } from './target.js';

export interface Identity {
  rule: MatchRule;
  /** 0..1 before version and entry confidence */
  confidence: number;
  /** this identity alone requires a person to confirm */
  review: boolean;
  notes: string[];
  /** how the advisory names the product */
  advisoryValue: string;
  componentField: string;
  componentValue: string;
  /** version to test; undefined when the target states none */
  version?: string;
  /** hash identity: exact, no version test */
  exact?: boolean;
  /** the advisory names this very product (same normalized vendor and product name) */
  sameName?: boolean;
  /** names merely overlap in wording: yields to any entry with the same name */
  fuzzy?: boolean;
}


const nameAndVersion = (t: MatchTarget, version: string | undefined) => (version ? `${t.name} ${version}` : t.name);

function withVersion(id: Identity, version: string | undefined): Identity {
  // assigned rather than spread: this runs for every (advisory entry, component) pair
  if (version !== undefined) id.version = version;
  return id;
}

function byHash(pe: PreparedEntry, pt: PreparedTarget): Identity | undefined {
  if (pe.hashes.size === 0) return undefined;
  for (const h of pt.hashes) {
    if (!pe.hashes.has(h)) continue;
    return { rule: 'csaf-hash', confidence: 1, review: false, notes: [], advisoryValue: h, componentField: 'hash', componentValue: h, exact: true };
  }
  return undefined;
}

function byPurl(pe: PreparedEntry, pt: PreparedTarget): Identity | 'mismatch' | undefined {
  const ep = pe.purl;
  if (!ep) return undefined;
  const same = pt.purls.find((x) => x.identity === ep.identity);
  if (!same) return pt.purls.some((x) => !VAGUE_PURL_TYPES.has(x.identity.split('/')[0] as string)) ? 'mismatch' : undefined;
  const notes: string[] = [];
  let confidence = 1;
  if (ep.release && same.release) {
    if (!sameRelease(ep.release, same.release)) return 'mismatch';
  } else if (ep.release) {
    notes.push(`the advisory is for release ${ep.release}; the component's purl names no distro`);
    confidence = 0.9;
  }
  if (same.via === 'upstream') {
    notes.push(`matched through the purl's upstream (source package) qualifier`);
    confidence *= 0.95;
  }
  return withVersion({ rule: ep.rule, confidence, review: false, notes, advisoryValue: ep.text, componentField: 'purl', componentValue: same.text }, pt.version);
}

const RELEASE_SUFFIX = /[-_.](?:stable|release|final)$/i;

/** Firmware tags such as wolfSSL's '5.6.6-stable' name the release itself, as NVD writes it ('5.6.6'). */
function cpeVersion(version: string | undefined, notes: string[]): string | undefined {
  if (version === undefined) return undefined;
  const stripped = version.replace(RELEASE_SUFFIX, '');
  if (stripped === version || stripped === '') return version;
  notes.push(`version "${version}" read as release ${stripped}`);
  return stripped;
}

/** A stated CPE of the same vendor:product whose other attributes differ is decisive ('mismatch'). */
function byCpe(pe: PreparedEntry, pt: PreparedTarget, t: MatchTarget): Identity | 'mismatch' | undefined {
  const ec = pe.cpe;
  if (!ec?.key) return undefined;
  const rule: MatchRule = pe.csaf ? 'csaf-cpe' : 'cpe';
  let contradicted = false;
  for (const tc of pt.cpes) {
    if (tc.parsed.key !== ec.key) continue;
    const cmp = compareCpes(ec.cpe, tc.parsed.cpe);
    if (!cmp.ok) {
      contradicted = true;
      continue;
    }
    const notes = [...cmp.notes];
    if (!tc.version && pt.version) notes.push(`the component CPE states no version; its version ${pt.version} was used`);
    const version = cpeVersion(tc.version ?? pt.version, notes);
    return withVersion({ rule, confidence: 0.95 * cmp.confidence, review: false, notes, advisoryValue: ec.text, componentField: 'cpe', componentValue: tc.parsed.text }, version);
  }
  if (contradicted) return 'mismatch';
  if (pt.derivedCpeKeys.has(ec.key)) {
    const notes = [`the component names no CPE; "${t.name}" is a known name for ${ec.key}`];
    const version = cpeVersion(pt.version, notes);
    return withVersion({ rule, confidence: 0.7, review: true, notes, advisoryValue: ec.text, componentField: 'name+version', componentValue: nameAndVersion(t, pt.version) }, version);
  }
  return undefined;
}

function byNames(pe: PreparedEntry, pt: PreparedTarget, t: MatchTarget): Identity | undefined {
  const field = pt.isProduct ? 'product' : 'name+version';
  const value = pt.isProduct ? `${t.supplier ?? t.normalizedVendor ?? ''} ${nameAndVersion(t, pt.version)}`.trim() : nameAndVersion(t, pt.version);
  const named = `${pe.entry.vendor ?? ''} ${pe.entry.product ?? pe.entry.packageName ?? ''}`.trim();
  for (const vp of pe.vendorProducts) {
    if (pt.vendorProducts.has(vp)) return withVersion({ rule: 'vendor-product', confidence: 0.9, review: false, notes: [], advisoryValue: named, componentField: field, componentValue: value, sameName: true }, pt.version);
  }
  for (const vp of pe.vendorProducts) {
    if (pt.derivedVendorProducts.has(vp)) {
      const note = `"${t.name}" is a known name for ${vp}`;
      return withVersion({ rule: 'vendor-product', confidence: 0.7, review: true, notes: [note], advisoryValue: named, componentField: field, componentValue: value }, pt.version);
    }
  }
  if (pt.vendor && pe.vendors.includes(pt.vendor) && tokensContained(pe.tokens, pt.tokens)) {
    const note = `product names differ in wording ("${pe.entry.product ?? ''}" vs "${t.name}"): every identifying word of one occurs in the other`;
    return withVersion({ rule: 'vendor-product', confidence: 0.5, review: true, notes: [note], advisoryValue: named, componentField: field, componentValue: value, fuzzy: true }, pt.version);
  }
  if (pe.nameKey && pe.nameKey === pt.nameKey && !originContradicts(pe, pt)) {
    const note = `name only: the advisory names no ecosystem, CPE or vendor that the component also states`;
    return withVersion({ rule: 'vendor-product', confidence: 0.5, review: true, notes: [note], advisoryValue: named || pe.nameKey, componentField: field, componentValue: value }, pt.version);
  }
  return undefined;
}

/**
 * Name-only evidence is dropped when the component states where it comes from (purl namespace,
 * supplier, group) and none of the advisory's vendor words occurs there: 'protobuf' from
 * protocolbuffers is not github.com/golang/protobuf.
 */
function originContradicts(pe: PreparedEntry, pt: PreparedTarget): boolean {
  if (pe.vendors.length === 0 || pt.origin.size === 0) return false;
  return !pe.vendors.some((v) => v.split(' ').some((w) => w.length >= 3 && pt.origin.has(w)));
}

export function identify(pe: PreparedEntry, pt: PreparedTarget, t: MatchTarget): Identity | undefined {
  const hash = byHash(pe, pt);
  if (hash) return hash;
  const purl = byPurl(pe, pt);
  if (purl === 'mismatch') return undefined;
  if (purl) return purl;
  const cpe = byCpe(pe, pt, t);
  if (cpe === 'mismatch') return undefined;
  return cpe ?? byNames(pe, pt, t);
}
