import { describe, expect, it } from 'vitest';
import type { Match } from '../match/model.js';
import type { Finding } from './model.js';
import { componentIdentity, reconcileFindings, type ComponentFacts, type ReconcileInput } from './reconcile.js';

const NOW = '2026-11-28T12:00:00.000Z';

function match(over: Partial<Match> = {}): Match {
  return {
    advisoryId: 'GHSA-1',
    advisorySource: 'osv',
    vulnerabilityId: 'CVE-2024-0001',
    affectedIndex: 0,
    productId: 'p1',
    componentRef: 'c1',
    componentKey: 'pkg:npm/lodash@4.17.20',
    status: 'affected',
    advisoryStatus: 'known_affected',
    rule: 'purl',
    confidence: 1,
    needsReview: false,
    evidence: { advisoryField: 'affected[0].ranges[0]', advisoryValue: '<4.17.21', componentField: 'purl', componentValue: 'pkg:npm/lodash@4.17.20', explanation: '4.17.20 < 4.17.21' },
    fixedVersions: ['4.17.21'],
    ...over,
  };
}

function finding(over: Partial<Finding> = {}): Finding {
  const m = match();
  return {
    id: 'f1',
    productId: m.productId,
    componentRef: m.componentRef,
    componentKey: m.componentKey,
    componentName: 'lodash',
    componentVersion: '4.17.20',
    vulnerabilityId: m.vulnerabilityId,
    advisoryId: m.advisoryId,
    advisorySource: m.advisorySource,
    rule: m.rule,
    confidence: 1,
    needsReview: false,
    evidence: m.evidence,
    fixedVersions: [],
    status: 'open',
    riskScore: 50,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const lodash: ComponentFacts = { componentRef: 'c1', componentName: 'lodash', componentVersion: '4.17.20', componentPurl: 'pkg:npm/lodash@4.17.20' };

function input(over: Partial<ReconcileInput>): ReconcileInput {
  let n = 0;
  return {
    existing: [],
    matches: [],
    components: new Map([[componentIdentity('p1', 'pkg:npm/lodash@4.17.20'), lodash]]),
    withdrawn: new Set(),
    published: new Map([['GHSA-1', '2026-11-01T00:00:00Z']]),
    triageFor: () => undefined,
    newId: () => `new${++n}`,
    now: NOW,
    ...over,
  };
}

describe('reconcileFindings', () => {
  it('opens one finding per new match with component facts, publication time and carried-over triage', () => {
    const triage = { state: 'not_affected' as const, justification: 'code_not_reachable' as const, by: { kind: 'user' as const, id: 'u', name: 'ana' }, at: NOW, origin: 'analyst' };
    const r = reconcileFindings(input({ matches: [match()], triageFor: () => triage }));
    expect(r.opened).toHaveLength(1);
    expect(r.opened[0]).toMatchObject({ id: 'new1', status: 'open', componentName: 'lodash', componentVersion: '4.17.20', advisoryPublished: '2026-11-01T00:00:00Z', firstSeen: NOW, triage });
    expect(r.refreshed).toEqual([]);
    expect(r.closed).toEqual([]);
  });

  it('refreshes an existing finding instead of duplicating it, keeping id, firstSeen and triage', () => {
    const before = finding({ triage: { state: 'affected', by: { kind: 'user', id: 'u', name: 'ana' }, at: NOW, origin: 'analyst' } });
    const r = reconcileFindings(input({ existing: [before], matches: [match({ confidence: 0.9 })] }));
    expect(r.opened).toEqual([]);
    expect(r.refreshed).toHaveLength(1);
    expect(r.refreshed[0]).toMatchObject({ id: 'f1', firstSeen: before.firstSeen, lastSeen: NOW, confidence: 0.9, triage: before.triage });
  });

  it('folds several matches of the same identity into one finding, preferring affected and higher confidence', () => {
    const r = reconcileFindings(input({ matches: [match({ advisoryId: 'PYSEC-9', confidence: 0.6 }), match({ affectedIndex: 1 }), match({ advisoryId: 'A-0', status: 'fixed' })] }));
    expect(r.opened).toHaveLength(1);
    expect(r.opened[0]).toMatchObject({ advisoryId: 'GHSA-1', confidence: 1 });
  });

  it('keeps findings from different sources apart (identity includes the source)', () => {
    const r = reconcileFindings(input({ matches: [match(), match({ advisoryId: 'CVE-2024-0001', advisorySource: 'nvd', rule: 'cpe' })] }));
    expect(r.opened.map((f) => f.advisorySource).sort()).toEqual(['nvd', 'osv']);
  });

  it('closes a finding whose component left the SBOM as component-removed', () => {
    const r = reconcileFindings(input({ existing: [finding()], matches: [], components: new Map() }));
    expect(r.closed).toEqual([{ id: 'f1', reason: 'component-removed' }]);
  });

  it('closes a finding whose advisory was withdrawn, unless another advisory still states it', () => {
    const withdrawn = new Set(['GHSA-1']);
    expect(reconcileFindings(input({ existing: [finding()], matches: [match()], withdrawn })).closed).toEqual([{ id: 'f1', reason: 'advisory-withdrawn' }]);
    const still = reconcileFindings(input({ existing: [finding()], matches: [match(), match({ advisoryId: 'PYSEC-9' })], withdrawn }));
    expect(still.closed).toEqual([]);
    expect(still.refreshed[0]).toMatchObject({ id: 'f1', advisoryId: 'PYSEC-9' });
  });

  it('closes as fixed when the advisory now says the component is fixed, and as no-longer-matches otherwise', () => {
    expect(reconcileFindings(input({ existing: [finding()], matches: [match({ status: 'fixed' })] })).closed).toEqual([{ id: 'f1', reason: 'fixed' }]);
    expect(reconcileFindings(input({ existing: [finding()], matches: [] })).closed).toEqual([{ id: 'f1', reason: 'no-longer-matches' }]);
  });

  it('does not open findings for not_affected or fixed statements, and opens under_investigation marked for review', () => {
    const r = reconcileFindings(input({ matches: [match({ status: 'not_affected' }), match({ componentKey: 'x', status: 'fixed' })] }));
    expect(r.opened).toEqual([]);
    const inv = reconcileFindings(input({ matches: [match({ status: 'under_investigation' })] }));
    expect(inv.opened[0]).toMatchObject({ needsReview: true });
  });

  it('ignores matches on components it has no facts for (not live in this scope)', () => {
    expect(reconcileFindings(input({ matches: [match({ componentKey: 'gone' })] })).opened).toEqual([]);
  });
});
