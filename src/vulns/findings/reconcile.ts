/**
 * @module Reconciliation of findings (pure): given the open findings in a scope and the matches
 * computed now for the same scope, decide which findings to open, refresh and close. Findings are
 * never appended blindly: one open finding per (product, component, vulnerability, source).
 */
import type { Match } from '../match/model.js';
import type { Finding, FindingCloseReason, TriageDecision } from './model.js';

/** Identity of a finding among open findings. */
export const findingIdentity = (f: Pick<Finding, 'productId' | 'componentKey' | 'vulnerabilityId' | 'advisorySource'>): string =>
  `${f.productId}\u0000${f.componentKey}\u0000${f.vulnerabilityId}\u0000${f.advisorySource}`;

export interface ComponentFacts {
  componentRef: string;
  componentName: string;
  componentVersion?: string;
  componentPurl?: string;
}

export interface ReconcileInput {
  /** open findings in scope (e.g. of the products re-matched, optionally restricted to some vulnerabilities) */
  existing: readonly Finding[];
  /** all matches computed for the same scope */
  matches: readonly Match[];
  /** componentKey -> facts, for the live components of the products in scope (per product) */
  components: ReadonlyMap<string, ComponentFacts>;
  /** advisories in scope that are withdrawn */
  withdrawn: ReadonlySet<string>;
  /** advisory id -> publication time, for time-to-alert */
  published: ReadonlyMap<string, string | undefined>;
  /** triage decisions carried over, by identity key (see triageLookupKey) */
  triageFor(match: Match): TriageDecision | undefined;
  newId(): string;
  now: string;
}

export interface ReconcileResult {
  opened: Finding[];
  refreshed: Finding[];
  closed: Array<{ id: string; reason: FindingCloseReason }>;
}

const componentIdentity = (productId: string, componentKey: string): string => `${productId}\u0000${componentKey}`;

const STATUS_RANK: Record<Match['status'], number> = { affected: 3, under_investigation: 2, fixed: 1, not_affected: 0 };

/** Several advisories (or affected entries) may hit the same identity: keep the strongest statement. */
function better(a: Match, b: Match): boolean {
  if (STATUS_RANK[a.status] !== STATUS_RANK[b.status]) return STATUS_RANK[a.status] > STATUS_RANK[b.status];
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  return a.advisoryId < b.advisoryId;
}

export function bestMatches(matches: readonly Match[]): Map<string, Match> {
  const best = new Map<string, Match>();
  for (const m of matches) {
    const key = findingIdentity(m);
    const current = best.get(key);
    if (!current || better(m, current)) best.set(key, m);
  }
  return best;
}

const isOpenable = (m: Match): boolean => m.status === 'affected' || m.status === 'under_investigation';

export function reconcileFindings(input: ReconcileInput): ReconcileResult {
  // A withdrawn advisory asserts nothing; another advisory may still name the same vulnerability.
  const best = bestMatches(input.matches.filter((m) => !input.withdrawn.has(m.advisoryId)));
  const existingByKey = new Map(input.existing.map((f) => [findingIdentity(f), f]));
  const opened: Finding[] = [];
  const refreshed: Finding[] = [];
  const closed: ReconcileResult['closed'] = [];

  for (const [key, m] of best) {
    if (!isOpenable(m)) continue;
    const facts = input.components.get(componentIdentity(m.productId, m.componentKey));
    if (!facts) continue;
    const before = existingByKey.get(key);
    const base = {
      componentRef: facts.componentRef,
      componentName: facts.componentName,
      advisoryId: m.advisoryId,
      rule: m.rule,
      confidence: m.confidence,
      needsReview: m.needsReview || m.status === 'under_investigation',
      evidence: m.evidence,
      fixedVersions: m.fixedVersions,
      lastSeen: input.now,
    };
    if (before) {
      const next: Finding = { ...before, ...base };
      setOptional(next, facts);
      refreshed.push(next);
      continue;
    }
    const f: Finding = {
      id: input.newId(),
      productId: m.productId,
      componentKey: m.componentKey,
      vulnerabilityId: m.vulnerabilityId,
      advisorySource: m.advisorySource,
      ...base,
      status: 'open',
      riskScore: 0,
      firstSeen: input.now,
    };
    setOptional(f, facts);
    const published = input.published.get(m.advisoryId);
    if (published) f.advisoryPublished = published;
    const triage = input.triageFor(m);
    if (triage) f.triage = triage;
    opened.push(f);
  }

  for (const [key, f] of existingByKey) {
    const m = best.get(key);
    if (m && isOpenable(m) && input.components.has(componentIdentity(f.productId, f.componentKey))) continue;
    closed.push({ id: f.id, reason: closeReason(f, m, input) });
  }
  return { opened, refreshed, closed };
}

function closeReason(f: Finding, m: Match | undefined, input: ReconcileInput): FindingCloseReason {
  if (!input.components.has(componentIdentity(f.productId, f.componentKey))) return 'component-removed';
  if (!m && input.withdrawn.has(f.advisoryId)) return 'advisory-withdrawn';
  if (m && m.status === 'fixed') return 'fixed';
  return 'no-longer-matches';
}

function setOptional(f: Finding, facts: ComponentFacts): void {
  if (facts.componentVersion !== undefined) f.componentVersion = facts.componentVersion;
  else delete f.componentVersion;
  if (facts.componentPurl !== undefined) f.componentPurl = facts.componentPurl;
  else delete f.componentPurl;
}

export { componentIdentity };
