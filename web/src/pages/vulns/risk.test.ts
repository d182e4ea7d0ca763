import { describe, expect, it } from 'vitest';
import { scoreIsPreTriage, sourceLabel, actionLabel, bandMinRisk, bandOf, formatContribution, formatFactorInput, formatProbability, formatScore, formatWeight, sumContributions, triageLabel, triageOriginLabel } from './risk.js';

describe('bandOf', () => {
  it('puts scores in the risk model bands: 80 critical, 60 high, 35 medium, above 0 low, 0 none', () => {
    expect([100, 80, 79.9, 60, 59.9, 35, 34.9, 0.1, 0].map(bandOf)).toEqual(['critical', 'critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'none']);
  });

  it('treats negative or non-finite scores as none', () => {
    expect([-1, Number.NaN, Number.POSITIVE_INFINITY].map(bandOf)).toEqual(['none', 'none', 'none']);
  });

  it('gives each band a minRisk that bandOf maps back into that band', () => {
    for (const band of ['critical', 'high', 'medium', 'low'] as const) expect(bandOf(bandMinRisk(band) ?? -1)).toBe(band);
    expect(bandMinRisk('none')).toBeUndefined();
  });
});

describe('labels', () => {
  it('names the recommended actions as people say them', () => {
    expect(['patch', 'vendor-guidance', 'compensating-control', 'accept/monitor', 'new-thing'].map(actionLabel)).toEqual([
      'Patch',
      'Vendor guidance',
      'Compensating control',
      'Accept & monitor',
      'New thing',
    ]);
  });

  it('names VEX states and calls a missing triage untriaged', () => {
    expect(triageLabel('not_affected')).toBe('Not affected');
    expect(triageLabel('under_investigation')).toBe('Under investigation');
    expect(triageLabel(undefined)).toBe('Untriaged');
  });

  it('says whether a triage came from an analyst or an imported VEX file', () => {
    expect(triageOriginLabel('analyst')).toBe('Analyst decision');
    expect(triageOriginLabel('vex:csaf')).toBe('Imported CSAF VEX');
    expect(triageOriginLabel('vex:cyclonedx:pump-vex.json')).toBe('Imported CycloneDX VEX (pump-vex.json)');
    expect(triageOriginLabel('something-else')).toBe('something-else');
  });
});

describe('breakdown formatting', () => {
  it('shows scores with at most one decimal', () => {
    expect([100, 86.6, 61.649, Number.NaN].map(formatScore)).toEqual(['100', '86.6', '61.6', '—']);
  });

  it('reads factor inputs: null is not known, booleans yes/no, numbers to 3 decimals', () => {
    expect([null, true, false, 0.80512, 'CVSS 3.1 8.8'].map(formatFactorInput)).toEqual(['not known', 'yes', 'no', '0.805', 'CVSS 3.1 8.8']);
  });

  it('marks multiplier weights with × and leaves points and overrides bare', () => {
    expect(formatWeight({ kind: 'multiplier', weight: 1.2 })).toBe('×1.2');
    expect(formatWeight({ kind: 'points', weight: 7 })).toBe('7');
    expect(formatWeight({ kind: 'override', weight: 100 })).toBe('100');
  });

  it('signs contributions with a real minus sign and rounds to 2 decimals', () => {
    expect([61.6, -14.314, 0, 0.001].map(formatContribution)).toEqual(['+61.6', '\u221214.31', '0', '0']);
  });

  it('sums contributions to the score the factors explain', () => {
    const factors = [61.6, 25, 0, 17.32, 10.39, -14.31].map((contribution) => ({ contribution }));
    expect(sumContributions(factors)).toBe(100);
    expect(sumContributions([{ contribution: Number.NaN }, { contribution: 2 }])).toBe(2);
  });

  it('shows EPSS values as percentages', () => {
    expect([0.61, 0.805, 0.0004, undefined].map(formatProbability)).toEqual(['61%', '80.5%', '0%', '—']);
  });
});

describe('feeds and stale scores', () => {
  it('names advisory sources as people write them', () => {
    expect(['nvd', 'osv', 'csaf', 'kev', 'epss', 'cve5', 'vendor-x'].map(sourceLabel)).toEqual(['NVD', 'OSV', 'CSAF', 'CISA KEV', 'EPSS', 'CVE 5', 'Vendor x']);
  });

  it('treats stored scores of findings triaged not_affected or fixed as from before the triage', () => {
    expect([undefined, 'affected', 'under_investigation', 'not_affected', 'fixed'].map(scoreIsPreTriage)).toEqual([false, false, false, true, true]);
  });
});
