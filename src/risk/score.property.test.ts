/**
 * Properties of the risk formula over random inputs: bounded, explained (contributions add up),
 * deterministic, and monotonic: more exploitation evidence (KEV, ransomware, EPSS) or a more
 * critical device never lowers a score, whatever the other inputs are.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRITICALITIES, PHI_HANDLING, type Criticality } from '../inventory/index.js';
import type { CvssScore, CvssVersion, KevStatus } from '../vulns/index.js';
import { COMPENSATING_CONTROLS } from './controls.js';
import type { NetworkExposure, RiskInput, RiskVexState, ZoneSecurityLevel } from './model.js';
import { RUBRIC_QUESTIONS } from './rubric-questions.js';
import { bandOf, scoreFinding } from './score.js';

const RUNS = { numRuns: 400 };

const vectorFor = (version: CvssVersion, av: string, pr: string, c: string): string => {
  if (version === '4.0') return `CVSS:4.0/AV:${av}/AC:L/AT:N/PR:${pr}/UI:N/VC:${c}/VI:H/VA:H/SC:N/SI:N/SA:N`;
  if (version === '2.0') return `AV:${av === 'P' ? 'L' : av}/AC:L/Au:${pr === 'N' ? 'N' : 'S'}/C:${c === 'H' ? 'C' : c === 'L' ? 'P' : 'N'}/I:P/A:P`;
  return `CVSS:${version}/AV:${av}/AC:L/PR:${pr}/UI:N/S:U/C:${c}/I:H/A:H`;
};

const cvssArb: fc.Arbitrary<CvssScore> = fc
  .record({
    version: fc.constantFrom<CvssVersion>('2.0', '3.0', '3.1', '4.0'),
    baseScore: fc.integer({ min: 0, max: 100 }).map((n) => n / 10),
    av: fc.constantFrom('N', 'A', 'L', 'P'),
    pr: fc.constantFrom('N', 'L', 'H'),
    c: fc.constantFrom('N', 'L', 'H'),
  })
  .map(({ version, baseScore, av, pr, c }) => ({ version, baseScore, vector: vectorFor(version, av, pr, c), baseSeverity: 'HIGH' }));

const kevArb: fc.Arbitrary<KevStatus> = fc.constantFrom<KevStatus['knownRansomware']>(true, false, 'unknown').map((knownRansomware) => ({
  dateAdded: '2023-01-01',
  dueDate: '2023-01-22',
  requiredAction: 'Apply updates.',
  knownRansomware,
}));

const rubricArb = fc
  .subarray([...RUBRIC_QUESTIONS])
  .chain((qs) => fc.tuple(...qs.map((q) => fc.constantFrom(...q.answers, 'bogus').map((a) => [q.id, a] as const))))
  .map((pairs) => Object.fromEntries(pairs) as Record<string, string>);

const exposureArb: fc.Arbitrary<NetworkExposure> = fc.record(
  {
    internetExposed: fc.boolean(),
    isolated: fc.boolean(),
    zone: fc.record({ id: fc.constantFrom('z1', 'z2'), securityLevel: fc.constantFrom<ZoneSecurityLevel>(0, 1, 2, 3, 4) }, { requiredKeys: ['id'] }),
    reachableFromZones: fc.array(fc.constantFrom('guest', 'corp', 'vendor', 'iot', 'lab'), { maxLength: 6 }),
    cleartextProtocols: fc.array(fc.constantFrom('telnet', 'ftp', 'http'), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const inputArb: fc.Arbitrary<RiskInput> = fc.record(
  {
    advisory: fc.record(
      {
        id: fc.constant('CVE-2024-0001'),
        severity: fc.array(cvssArb, { maxLength: 3 }),
        kev: kevArb,
        epss: fc.record({ score: fc.double({ min: 0, max: 1, noNaN: true }), percentile: fc.double({ min: 0, max: 1, noNaN: true }), date: fc.constant('2024-05-01') }),
      },
      { requiredKeys: ['id'] },
    ),
    device: fc.record({ id: fc.constant('d1'), criticality: fc.constantFrom(...CRITICALITIES), phiHandling: fc.constantFrom(...PHI_HANDLING) }, { requiredKeys: ['id'] }),
    rubric: rubricArb,
    exposure: exposureArb,
    controls: fc.subarray([...COMPENSATING_CONTROLS.map((c) => c.id), 'unknown-thing']),
    finding: fc.record({ id: fc.constant('f1'), triage: fc.constantFrom<RiskVexState>('not_affected', 'affected', 'fixed', 'under_investigation').map((state) => ({ state })) }, { requiredKeys: ['id'] }),
  },
  { requiredKeys: [] },
);

const withAdvisory = (i: RiskInput, over: Partial<NonNullable<RiskInput['advisory']>>): RiskInput => ({ ...i, advisory: { id: 'CVE-2024-0001', ...i.advisory, ...over } });

describe('risk score properties', () => {
  it('is within 0..100, banded by its value, deterministic, and explained by its contributions', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const s = scoreFinding(input);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(100);
        expect(s.band).toBe(bandOf(s.score));
        expect(scoreFinding(input)).toEqual(s);
        const sum = s.factors.reduce((a, f) => a + f.contribution, 0);
        expect(Math.abs(sum - s.score)).toBeLessThan(0.1);
      }),
      RUNS,
    );
  });

  it('never goes down when the vulnerability is added to KEV', () => {
    fc.assert(
      fc.property(inputArb, kevArb, (input, kev) => {
        const without = withAdvisory(input, { kev: undefined });
        expect(scoreFinding(withAdvisory(input, { kev })).score).toBeGreaterThanOrEqual(scoreFinding(without).score);
      }),
      RUNS,
    );
  });

  it('never goes down when KEV learns of ransomware use', () => {
    fc.assert(
      fc.property(inputArb, kevArb, (input, kev) => {
        const before = scoreFinding(withAdvisory(input, { kev })).score;
        const after = scoreFinding(withAdvisory(input, { kev: { ...kev, knownRansomware: true } })).score;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      RUNS,
    );
  });

  it('never goes down when the EPSS percentile rises, or when an EPSS score appears', () => {
    const p = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(inputArb, p, p, (input, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const at = (percentile: number) => scoreFinding(withAdvisory(input, { epss: { score: percentile / 2, percentile, date: '2024-05-01' } })).score;
        expect(at(hi)).toBeGreaterThanOrEqual(at(lo));
        expect(at(lo)).toBeGreaterThanOrEqual(scoreFinding(withAdvisory(input, { epss: undefined })).score);
      }),
      RUNS,
    );
  });

  it('never goes down on a more critical device', () => {
    // CRITICALITIES runs from most to least critical
    const ascending: Criticality[] = [...CRITICALITIES].reverse();
    fc.assert(
      fc.property(inputArb, (input) => {
        const scores = ascending.map((criticality) => scoreFinding({ ...input, device: { id: 'd1', ...input.device, criticality } }).score);
        for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThanOrEqual(scores[i - 1]!);
      }),
      RUNS,
    );
  });

  it('is 0 whenever triage says not_affected or fixed', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom<RiskVexState>('not_affected', 'fixed'), (input, state) => {
        const s = scoreFinding({ ...input, finding: { id: 'f1', triage: { state } } });
        expect(s).toMatchObject({ score: 0, band: 'none' });
      }),
      RUNS,
    );
  });
});
