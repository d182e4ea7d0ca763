import { describe, expect, it } from 'vitest';
import type { RiskFactorId, RiskInput, RiskScore } from './model.js';
import { bandOf, scoreFinding } from './score.js';
import { advisory, cvssEntry, device, epssEntry, kevEntry } from './testing.js';

const factor = (s: RiskScore, id: RiskFactorId) => {
  const f = s.factors.find((x) => x.id === id);
  if (!f) throw new Error(`no factor ${id}`);
  return f;
};
const only = (cvss: number, over: Partial<RiskInput> = {}) => scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', cvss)] }), ...over });

describe('CVSS factor', () => {
  it('prefers a v4.0 vector over v3.1', () => {
    const s = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 9.8), cvssEntry('4.0', 9.3)] }) });
    expect(factor(s, 'cvss')).toMatchObject({ input: 'CVSS 4.0 9.3', weight: 7, contribution: 65.1 });
    expect(factor(s, 'cvss').reason).toContain('v4.0 preferred');
  });

  it('takes v3.1 before v3.0 and v2.0', () => {
    const s = scoreFinding({ advisory: advisory({ severity: [cvssEntry('2.0', 10), cvssEntry('3.0', 8.8), cvssEntry('3.1', 7.5)] }) });
    expect(s.facts.cvss).toMatchObject({ version: '3.1', baseScore: 7.5 });
    expect(s.flags).not.toContain('cvss-legacy-v2');
  });

  it('scores a v2-only advisory and flags it as legacy', () => {
    const s = scoreFinding({ advisory: advisory({ severity: [cvssEntry('2.0', 7.5)] }) });
    expect(factor(s, 'cvss').contribution).toBe(52.5);
    expect(factor(s, 'cvss').reason).toContain('legacy v2.0');
    expect(s.flags).toContain('cvss-legacy-v2');
  });

  it('assumes the documented default 5.0 when no vector is usable, and flags it', () => {
    const s = scoreFinding({ advisory: advisory({ severity: [{ ...cvssEntry('3.1', 9), baseScore: Number.NaN }] }) });
    expect(factor(s, 'cvss')).toMatchObject({ input: null, contribution: 35, assumed: true });
    expect(s.flags).toContain('cvss-missing');
    expect(scoreFinding({}).flags).toContain('cvss-missing');
  });

  it('uses the highest of several vectors of the chosen version whatever their order', () => {
    const a = [cvssEntry('3.1', 7.5, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 'cna'), cvssEntry('3.1', 9.8, undefined, 'nvd@nist.gov')];
    const s1 = scoreFinding({ advisory: advisory({ severity: a }) });
    const s2 = scoreFinding({ advisory: advisory({ severity: [...a].reverse() }) });
    expect(s1.facts.cvss?.baseScore).toBe(9.8);
    expect(s1).toEqual(s2);
    expect(factor(s1, 'cvss').reason).toContain('highest of 2 v3.1 vectors');
  });
});

describe('exploitation factors', () => {
  it('adds 25 points for a KEV listing', () => {
    const s = only(5, { advisory: advisory({ severity: [cvssEntry('3.1', 5)], kev: kevEntry() }) });
    expect(factor(s, 'kev')).toMatchObject({ input: true, contribution: 25 });
    expect(s.score).toBe(60);
    expect(factor(only(5), 'kev').contribution).toBe(0);
  });

  it('adds 5 points for known ransomware use only when KEV says so', () => {
    const yes = scoreFinding({ advisory: advisory({ kev: kevEntry(true) }) });
    const unknown = scoreFinding({ advisory: advisory({ kev: kevEntry('unknown') }) });
    expect(factor(yes, 'ransomware').contribution).toBe(5);
    expect(yes.facts.knownRansomware).toBe(true);
    expect(factor(unknown, 'ransomware')).toMatchObject({ input: 'unknown', contribution: 0 });
  });

  it('gives EPSS percentile x 15 points without KEV, and nothing extra with KEV', () => {
    const s = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 5)], epss: epssEntry(0.8) }) });
    expect(factor(s, 'epss')).toMatchObject({ input: 0.8, weight: 15, contribution: 12 });
    const k = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 5)], epss: epssEntry(0.8), kev: kevEntry() }) });
    expect(factor(k, 'epss').contribution).toBe(0);
    expect(factor(k, 'epss').reason).toContain('KEV already counts 25');
  });

  it('counts a missing EPSS score as 0 points and flags it', () => {
    const s = only(5);
    expect(factor(s, 'epss')).toMatchObject({ input: null, contribution: 0, assumed: true });
    expect(s.flags).toContain('epss-missing');
  });
});

describe('exposure factor', () => {
  it('is neutral and says so when there is no exposure data', () => {
    const s = only(8);
    expect(factor(s, 'exposure')).toMatchObject({ weight: 1, contribution: 0, assumed: true });
    expect(factor(s, 'exposure').reason).toContain('no network exposure data');
    expect(s.flags).toContain('exposure-unknown');
  });

  it('multiplies a network-vector score by 1.4 for an internet-exposed device', () => {
    const s = only(8, { exposure: { internetExposed: true, source: 'netmon' } });
    expect(factor(s, 'exposure').weight).toBe(1.4);
    expect(s.score).toBe(78.4);
    expect(factor(s, 'exposure').reason).toContain('(netmon)');
  });

  it('does not apply network exposure to a local or physical attack vector', () => {
    const local = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 7.8, 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H')] }), exposure: { internetExposed: true } });
    expect(factor(local, 'exposure')).toMatchObject({ weight: 1 });
    expect(factor(local, 'exposure').reason).toContain('local attack vector');
  });

  it('applies zone security level and cleartext, but not internet reach, to an adjacent-network vector', () => {
    const adj = scoreFinding({
      advisory: advisory({ severity: [cvssEntry('3.1', 8.8, 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')] }),
      exposure: { internetExposed: true, reachableFromZones: ['guest'], zone: { id: 'z1', securityLevel: 0 }, cleartextProtocols: ['telnet'] },
    });
    expect(factor(adj, 'exposure').weight).toBeCloseTo(1.15 * 1.1, 4);
    expect(factor(adj, 'exposure').reason).toContain('does not apply to an adjacent-network attack');
  });

  it('combines zones, security level and cleartext, bounded at 1.6', () => {
    const zones = only(5, { exposure: { reachableFromZones: ['a', 'b', 'b'] } });
    expect(factor(zones, 'exposure').weight).toBe(1.1);
    const sl4 = only(5, { exposure: { zone: { id: 'icu', name: 'ICU devices', securityLevel: 4 } } });
    expect(factor(sl4, 'exposure').weight).toBe(0.8);
    const all = only(5, { exposure: { internetExposed: true, reachableFromZones: ['a', 'b', 'c', 'd', 'e'], zone: { id: 'z', securityLevel: 0 }, cleartextProtocols: ['ftp'] } });
    expect(factor(all, 'exposure').weight).toBe(1.6);
    expect(factor(all, 'exposure').reason).toContain('bounded to x1.6');
  });

  it('halves a network-vector score for an isolated device', () => {
    expect(factor(only(8, { exposure: { isolated: true } }), 'exposure').weight).toBe(0.5);
  });
});

describe('clinical impact and PHI factors', () => {
  it.each([
    ['life-sustaining', 1.3],
    ['life-supporting', 1.2],
    ['diagnostic', 1.1],
    ['therapeutic-non-critical', 1],
    ['non-clinical', 0.8],
  ] as const)('multiplies by the %s weight %d', (criticality, m) => {
    const s = only(6, { device: device('d', { criticality }) });
    expect(factor(s, 'clinical-impact')).toMatchObject({ input: criticality, weight: m });
    expect(s.facts.criticality).toBe(criticality);
  });

  it('is neutral and flagged when the device has no criticality', () => {
    const s = only(6, { device: device('d') });
    expect(factor(s, 'clinical-impact')).toMatchObject({ input: null, weight: 1, assumed: true });
    expect(s.flags).toContain('criticality-unknown');
  });

  it('weights PHI handling only when the vulnerability can affect confidentiality', () => {
    const s = only(6, { device: device('d', { phiHandling: 'stores-and-transmits' }) });
    expect(factor(s, 'phi').weight).toBe(1.1);
    const noConf = scoreFinding({
      advisory: advisory({ severity: [cvssEntry('3.1', 7.5, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H')] }),
      device: device('d', { phiHandling: 'stores-and-transmits' }),
    });
    expect(factor(noConf, 'phi').weight).toBe(1);
    expect(factor(noConf, 'phi').reason).toContain('no confidentiality impact');
  });
});

describe('rubric factors', () => {
  it('scales a network vector down to a physical-only product, floored at 0.25', () => {
    const s = only(9.8, { rubric: { XAVN: 'no', XAVP: 'yes' } });
    expect(factor(s, 'rubric-attack-vector')).toMatchObject({ input: 'P', weight: 0.25 });
    expect(s.facts.attackVector).toBe('P');
  });

  it('scales a network vector to local for short-range wireless (0.55 / 0.85)', () => {
    const s = only(9.8, { rubric: { XAVN: 'yes', XAVT: 'no', XAVW: 'yes', XAVR: 'yes' } });
    expect(factor(s, 'rubric-attack-vector').weight).toBeCloseTo(0.55 / 0.85, 4);
    expect(factor(s, 'rubric-attack-vector').reason).toContain('XAVN=yes, XAVT=no, XAVW=yes, XAVR=yes');
  });

  it('leaves the vector alone when the product is reachable at least as remotely', () => {
    const s = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 6.8, 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')] }), rubric: { XAVN: 'yes', XAVT: 'yes' } });
    expect(factor(s, 'rubric-attack-vector').weight).toBe(1);
    expect(s.facts.attackVector).toBe('P');
  });

  it('raises a non-clinical device to the therapy floor when the rubric says therapy can be altered', () => {
    const s = only(7, { device: device('d', { criticality: 'non-clinical' }), rubric: { XIT: 'yes' } });
    expect(factor(s, 'clinical-impact').weight).toBe(1.2);
    expect(factor(s, 'clinical-impact').reason).toContain('therapy delivery');
  });

  it('caps the clinical multiplier at 1 when the rubric rules out every clinical impact', () => {
    const none = { XID: 'no', XAD: 'no', XIT: 'no', XAT: 'no', XIW: 'no', XAW: 'no' };
    const s = only(7, { device: device('d', { criticality: 'life-sustaining' }), rubric: none });
    expect(factor(s, 'clinical-impact').weight).toBe(1);
  });

  it('counts rubric PHI exposure of many patients even when inventory does not know PHI handling', () => {
    const s = only(7, { device: device('d'), rubric: { XCP: 'yes', XCPM: 'unknown' } });
    expect(factor(s, 'phi').weight).toBe(1.1);
  });

  it('ignores invalid rubric entries, flags them and still uses the valid ones', () => {
    const s = only(9.8, { rubric: { XAVN: 'no', XAVP: 'yes', XQQ: 'yes', XIT: 'maybe' } });
    expect(s.flags).toContain('rubric-invalid');
    expect(s.warnings.join('\n')).toContain('/XQQ');
    expect(s.warnings.join('\n')).toContain('/XIT');
    expect(factor(s, 'rubric-attack-vector').weight).toBe(0.25);
  });
});

describe('compensating controls', () => {
  it('applies network segmentation to a network vector but not to a physical one', () => {
    expect(factor(only(8, { controls: ['network-segmentation'] }), 'compensating-controls').weight).toBe(0.8);
    const phys = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 6.8, 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')] }), controls: ['network-segmentation'] });
    expect(factor(phys, 'compensating-controls').weight).toBe(1);
    expect(factor(phys, 'compensating-controls').reason).toContain('does not help against a physical attack');
  });

  it('applies MFA only when exploitation needs privileges', () => {
    expect(factor(only(8, { controls: ['mfa'] }), 'compensating-controls').weight).toBe(1);
    const priv = scoreFinding({ advisory: advisory({ severity: [cvssEntry('3.1', 8.8, 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')] }), controls: ['mfa'] });
    expect(factor(priv, 'compensating-controls').weight).toBe(0.85);
  });

  it('multiplies controls together but never below 0.3', () => {
    const s = only(8, { controls: ['disabled-service', 'network-isolation', 'application-allowlisting'] });
    expect(factor(s, 'compensating-controls').weight).toBe(0.3);
    expect(s.score).toBeGreaterThan(0);
  });

  it('ignores an unknown control with a warning and a flag', () => {
    const s = only(8, { controls: ['prayer'] });
    expect(s.flags).toContain('unknown-control');
    expect(s.warnings).toEqual(['unknown compensating controls ignored: prayer']);
    expect(factor(s, 'compensating-controls').weight).toBe(1);
  });
});

describe('triage and lifecycle', () => {
  const base: RiskInput = { advisory: advisory({ kev: kevEntry() }), device: device('d', { criticality: 'life-supporting' }) };

  it('gives 0 and band none to a finding triaged not_affected, keeping the breakdown', () => {
    const s = scoreFinding({ ...base, finding: { id: 'f', triage: { state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' } } });
    expect(s).toMatchObject({ score: 0, band: 'none' });
    expect(factor(s, 'triage').reason).toContain('vulnerable_code_not_in_execute_path');
    expect(factor(s, 'kev').contribution).toBe(25);
    expect(s.uncapped).toBeGreaterThan(0);
  });

  it('gives 0 to a fixed finding and to a closed one', () => {
    expect(scoreFinding({ ...base, finding: { id: 'f', triage: { state: 'fixed' } } }).score).toBe(0);
    expect(scoreFinding({ ...base, finding: { id: 'f', status: 'closed', closeReason: 'component-removed' } }).score).toBe(0);
  });

  it('keeps the score of a finding under investigation', () => {
    const open = scoreFinding({ ...base, finding: { id: 'f' } });
    const inv = scoreFinding({ ...base, finding: { id: 'f', triage: { state: 'under_investigation' } } });
    expect(inv.score).toBe(open.score);
    expect(inv.score).toBeGreaterThan(0);
    expect(factor(inv, 'triage').reason).toContain('under investigation');
  });
});

describe('score and band', () => {
  it('contributions add up to the score', () => {
    const s = scoreFinding({
      advisory: advisory({ epss: epssEntry(0.4) }),
      device: device('d', { criticality: 'diagnostic', phiHandling: 'stores' }),
      exposure: { internetExposed: true },
      controls: ['network-segmentation'],
    });
    const sum = s.factors.reduce((a, f) => a + f.contribution, 0);
    expect(Math.abs(sum - s.score)).toBeLessThan(0.1);
  });

  it.each([
    [100, 'critical'],
    [80, 'critical'],
    [79.9, 'high'],
    [60, 'high'],
    [59.9, 'medium'],
    [35, 'medium'],
    [34.9, 'low'],
    [0.1, 'low'],
    [0, 'none'],
  ] as const)('puts %d in band %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });

  it('records the model version', () => {
    expect(only(5).model).toBe('careguard-risk@1');
  });
});
