/**
 * @module Matching one advisory against targets: for each target every affected entry that shares
 * a key is tried (identity, then version containment), the most decisive candidate becomes the one
 * Match for that (advisory, target) pair, and its confidence and review flag are set by the review
 * policy in docs/vulns-matching.md. Entries whose version range excludes the target produce
 * nothing; entries stating not_affected / fixed / under_investigation produce matches with that status.
 */
import { compareVersions } from '../../core/versions/index.js';
import { prepareAdvisory, type MatchOutcome, type PreparedAdvisory, type PreparedEntry } from './advisory.js';
import { containment, type ContainmentResult } from './containment.js';
import { compareCpes, readCpe, versionOfCpe, type ParsedCpe } from './cpe.js';
import { identify, type Identity } from './identity.js';
import type { Match, MatchStatus, MatchTarget } from './model.js';
import { prepareTarget, type PreparedTarget } from './target.js';
import type { Advisory } from '../model.js';

/** Below this confidence a person must confirm (the same threshold the free-text grammar uses). */
export const REVIEW_BELOW = 0.8;
const CAP_UNKNOWN_VERSION = 0.4;
const CAP_NO_VERSION = 0.3;
const CAP_WEAK_IDENTITY = 0.5;
const REQUIRES_UNMET_FACTOR = 0.5;

const STATUS_ORDER: Record<MatchStatus, number> = { affected: 3, under_investigation: 2, fixed: 1, not_affected: 0 };

interface Candidate {
  pe: PreparedEntry;
  id: Identity;
  c: ContainmentResult;
  confidence: number;
  /** the platform CPE that satisfied the entry's "running on" requirement; null when unmet */
  platform?: string | null;
}

const HASH_CONTAINMENT: ContainmentResult = { result: 'yes', reason: 'the file hash is identical, so the version is the one listed', rangeText: 'file hash', specificity: 4 };

/** The entry's identity with the target (if any) and, when the version is in, the candidate. */
function candidate(pe: PreparedEntry, pt: PreparedTarget, t: MatchTarget, productCpes: () => readonly string[]): { id?: Identity; cand?: Candidate } {
  let shared = false;
  for (const k of pe.keys) {
    if (pt.keySet.has(k)) {
      shared = true;
      break;
    }
  }
  if (!shared) return {};
  const id = identify(pe, pt, t);
  if (!id) return {};
  const c = id.exact ? HASH_CONTAINMENT : containment(pe.entry, id.version);
  if (c.result === 'no') return { id };
  const cand: Candidate = { pe, id, c, confidence: id.confidence * pe.entry.confidence };
  if (pe.requires.length > 0) cand.platform = requirementMet(pe.requires, productCpes()) ?? null;
  return { id, cand };
}

/** Positive when a is the more decisive evidence. */
function compareCandidates(a: Candidate, b: Candidate): number {
  const ya = a.c.result === 'yes' ? 1 : 0;
  const yb = b.c.result === 'yes' ? 1 : 0;
  if (ya !== yb) return ya - yb;
  const ra = a.platform === null ? 0 : 1;
  const rb = b.platform === null ? 0 : 1;
  if (ra !== rb) return ra - rb;
  if (a.c.specificity !== b.c.specificity) return a.c.specificity - b.c.specificity;
  if (a.c.bound !== undefined && b.c.bound !== undefined) {
    // the closest open-ended CSAF status wins: first_fixed 2.0 over first_affected 1.0 for 2.5
    const r = compareVersions(a.pe.entry.ranges[0]?.scheme ?? 'generic', a.c.bound, b.c.bound);
    if (r !== 'incomparable' && r !== 0) return r;
  }
  if (a.confidence !== b.confidence) return a.confidence - b.confidence;
  return STATUS_ORDER[a.pe.status] - STATUS_ORDER[b.pe.status];
}

/** The product CPE that satisfies one of the required platforms, or undefined. */
function requirementMet(required: readonly ParsedCpe[], productCpes: readonly string[]): string | undefined {
  for (const text of productCpes) {
    const have = readCpe(text);
    if (!have?.key) continue;
    for (const r of required) {
      if (r.key !== have.key || !compareCpes(r.cpe, have.cpe).ok) continue;
      const want = versionOfCpe(r.cpe);
      const got = versionOfCpe(have.cpe);
      if (want && got && compareVersions('generic', want, got) !== 0) continue;
      return text;
    }
  }
  return undefined;
}

function phrase(id: Identity): string {
  switch (id.rule) {
    case 'csaf-hash':
      return `file hash ${id.componentValue} is listed in the advisory`;
    case 'purl':
    case 'osv-package':
    case 'csaf-purl':
      return `package ${id.componentValue} is the advisory's ${id.advisoryValue}`;
    case 'cpe':
    case 'csaf-cpe':
      return `${id.componentField === 'cpe' ? `CPE ${id.componentValue}` : id.componentValue} falls under ${id.advisoryValue}`;
    case 'vendor-product':
      return `${id.componentValue} is the advisory's "${id.advisoryValue}"`;
  }
}

function finish(pa: PreparedAdvisory, best: Candidate, pt: PreparedTarget): MatchOutcome {
  const { pe, id, c } = best;
  const notes = [...id.notes];
  let confidence = best.confidence;
  let review = id.review || pe.entry.needsReview;
  if (c.result === 'unknown') {
    confidence = Math.min(confidence, CAP_UNKNOWN_VERSION);
    review = true;
  }
  if (!id.exact && id.version === undefined) {
    confidence = Math.min(confidence, CAP_NO_VERSION);
    review = true;
  }
  if (pt.weakFlags.length > 0 && !id.exact) {
    confidence = Math.min(confidence, CAP_WEAK_IDENTITY);
    review = true;
    notes.push(`component identity is weak (${pt.weakFlags.join(', ')})`);
  }
  if (best.platform !== undefined) {
    const names = pe.requires.map((r) => r.text).join(' or ');
    if (best.platform !== null) notes.push(`applies only when running on ${names}; the product has ${best.platform}`);
    else {
      confidence *= REQUIRES_UNMET_FACTOR;
      review = true;
      notes.push(`applies only when running on ${names}, which the product does not list`);
    }
  }
  confidence = Math.round(confidence * 100) / 100;
  if (confidence < REVIEW_BELOW) review = true;
  const rangeField = c.rangeIndex !== undefined ? `${pe.field}.ranges[${c.rangeIndex}]` : pe.field;
  const explanation = `${phrase(id)}; ${c.reason}: ${pe.status} per ${pa.advisory.source.toUpperCase()} ${pa.advisory.sourceId} ${pe.field}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}.`;
  return {
    advisoryId: pa.advisory.id,
    advisorySource: pa.advisory.source,
    vulnerabilityId: pa.vulnerabilityId,
    affectedIndex: pe.index,
    status: pe.status,
    advisoryStatus: pe.entry.status,
    rule: id.rule,
    confidence,
    needsReview: review,
    evidence: {
      advisoryField: rangeField,
      advisoryValue: `${id.advisoryValue}: ${c.rangeText}`,
      componentField: id.componentField,
      componentValue: id.componentValue,
      explanation,
    },
    fixedVersions: [...pe.fixedVersions],
  };
}

/** Memo entries kept per advisory: enough for the distinct versions of a popular component. */
const MEMO_LIMIT = 256;

function withTarget(o: MatchOutcome, t: MatchTarget): Match {
  return {
    advisoryId: o.advisoryId,
    advisorySource: o.advisorySource,
    vulnerabilityId: o.vulnerabilityId,
    affectedIndex: o.affectedIndex,
    productId: t.productId,
    componentRef: t.componentRef,
    componentKey: t.componentKey,
    status: o.status,
    advisoryStatus: o.advisoryStatus,
    rule: o.rule,
    confidence: o.confidence,
    needsReview: o.needsReview,
    evidence: { ...o.evidence },
    fixedVersions: [...o.fixedVersions],
  };
}

/**
 * The one Match of a prepared advisory for a target, or undefined. `productCpes` is read only when
 * needed. The same component in many product versions is matched once per advisory: outcomes are
 * memoized by target signature, except where product context matters (requirements, products).
 */
export function matchPrepared(pa: PreparedAdvisory, t: MatchTarget, productCpes: () => readonly string[]): Match | undefined {
  if (pa.withdrawn) return undefined;
  const pt = prepareTarget(t);
  const memoable = !pa.hasRequires && !pt.isProduct;
  if (memoable) {
    const hit = pa.memo.get(pt.signature);
    if (hit !== undefined) return hit === null ? undefined : withTarget(hit, t);
  }
  const outcome = decide(pa, t, pt, productCpes);
  if (memoable) {
    if (pa.memo.size >= MEMO_LIMIT) pa.memo.clear();
    pa.memo.set(pt.signature, outcome ?? null);
  }
  return outcome ? withTarget(outcome, t) : undefined;
}

function decide(pa: PreparedAdvisory, t: MatchTarget, pt: PreparedTarget, productCpes: () => readonly string[]): MatchOutcome | undefined {
  let best: Candidate | undefined;
  let bestNotFuzzy: Candidate | undefined;
  let sameNameListed = false;
  for (const pe of pa.entries) {
    const { id, cand } = candidate(pe, pt, t, productCpes);
    if (id?.sameName) sameNameListed = true;
    if (!cand) continue;
    if (!best || compareCandidates(cand, best) > 0) best = cand;
    if (!cand.id.fuzzy && (!bestNotFuzzy || compareCandidates(cand, bestNotFuzzy) > 0)) bestNotFuzzy = cand;
  }
  // When the advisory lists this very product by name, its entries decide: entries whose names
  // merely contain it ('Alaris Gateway Workstation Alaris GS') are other products.
  const chosen = sameNameListed ? bestNotFuzzy : best;
  return chosen ? finish(pa, chosen, pt) : undefined;
}

/**
 * Match one advisory against targets (typically the components sharing one of its keys).
 * A withdrawn advisory matches nothing. "Running on" requirements are decided from each target's
 * productCpes, or else from the CPEs of the other targets of the same product in this call.
 */
export function matchAdvisory(a: Advisory, targets: readonly MatchTarget[]): Match[] {
  const pa = prepareAdvisory(a);
  if (pa.withdrawn || pa.entries.length === 0) return [];
  let byProduct: Map<string, string[]> | undefined;
  const contextOf = (t: MatchTarget) => (): readonly string[] => {
    if (!byProduct) {
      byProduct = new Map();
      for (const x of targets) {
        const list = byProduct.get(x.productId) ?? [];
        list.push(...x.cpes);
        byProduct.set(x.productId, list);
      }
    }
    return [...(t.productCpes ?? []), ...(byProduct.get(t.productId) ?? [])];
  };
  const out: Match[] = [];
  for (const t of targets) {
    const pt = prepareTarget(t);
    if (!pa.keys.some((k) => pt.keySet.has(k))) continue;
    const m = matchPrepared(pa, t, contextOf(t));
    if (m) out.push(m);
  }
  return out;
}
