/**
 * The worked examples of docs/risk.md: if a number here changes, the document must change too.
 */
import { describe, expect, it } from 'vitest';
import type { RiskAdvisory } from './model.js';
import { recommendAction } from './recommend.js';
import { scoreFinding } from './score.js';
import { CRITICAL_NETWORK_VECTOR, cvssEntry, device, kevEntry } from './testing.js';

const kevCve: RiskAdvisory = {
  id: 'CVE-2024-0001',
  severity: [cvssEntry('3.1', 9.8, CRITICAL_NETWORK_VECTOR, 'nvd@nist.gov')],
  kev: kevEntry('unknown'),
  epss: { score: 0.94, percentile: 0.99, date: '2024-05-01' },
  remediations: [{ category: 'vendor_fix', details: 'Update pump firmware to 4.2.1', url: 'https://vendor.example/psirt/2024-01' }],
};

const contributions = (s: ReturnType<typeof scoreFinding>) => Object.fromEntries(s.factors.map((f) => [f.id, f.contribution]));

describe('worked examples (docs/risk.md)', () => {
  it('example 1: a life-sustaining infusion pump with a KEV-listed CVSS 9.8 scores 100, critical', () => {
    const s = scoreFinding({ advisory: kevCve, device: device('pump-07', { criticality: 'life-sustaining', phiHandling: 'stores' }) });
    expect(contributions(s)).toEqual({
      cvss: 68.6,
      kev: 25,
      ransomware: 0,
      epss: 0,
      'rubric-attack-vector': 0,
      exposure: 0,
      'clinical-impact': 28.08,
      phi: 6.08,
      'compensating-controls': 0,
      cap: -27.76,
      triage: 0,
    });
    expect(s).toMatchObject({ score: 100, band: 'critical', uncapped: 127.76 });
    expect(s.flags).toEqual(['capped', 'exposure-unknown']);
    expect(recommendAction({ advisory: kevCve, score: s })).toMatchObject({ action: 'patch', basis: [{ kind: 'remediation', category: 'vendor_fix', url: 'https://vendor.example/psirt/2024-01' }, { kind: 'kev-required-action' }] });
  });

  it('example 2: a non-clinical printer with the same CVE scores 74.9, high', () => {
    const s = scoreFinding({ advisory: kevCve, device: device('printer-3', { criticality: 'non-clinical', phiHandling: 'none' }) });
    expect(contributions(s)).toMatchObject({ cvss: 68.6, kev: 25, 'clinical-impact': -18.72, phi: 0 });
    expect(s).toMatchObject({ score: 74.9, band: 'high', uncapped: 74.88 });
  });

  it('example 3: the pump behind segmentation in an SL3 zone still scores critical', () => {
    const s = scoreFinding({
      advisory: kevCve,
      device: device('pump-07', { criticality: 'life-sustaining', phiHandling: 'stores' }),
      exposure: { zone: { id: 'md-icu', name: 'ICU medical devices', securityLevel: 3 }, internetExposed: false, source: 'netmon' },
      controls: ['network-segmentation'],
    });
    // 93.6 x 0.9 x 1.3 x 1.05 x 0.8
    expect(s).toMatchObject({ score: 92, band: 'critical' });
    expect(s.flags).not.toContain('exposure-unknown');
  });

  it('example 4: a CVE with no CVSS, KEV, EPSS or inventory data scores 35, medium, and says why', () => {
    const s = scoreFinding({ advisory: { id: 'CVE-2024-9999', severity: [] } });
    expect(s).toMatchObject({ score: 35, band: 'medium' });
    expect(s.flags).toEqual(['criticality-unknown', 'cvss-missing', 'epss-missing', 'exposure-unknown', 'phi-unknown']);
    expect(s.factors.filter((f) => f.assumed).map((f) => f.id)).toEqual(['cvss', 'epss', 'exposure', 'clinical-impact', 'phi']);
  });
});
