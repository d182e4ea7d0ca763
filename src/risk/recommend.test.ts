import { describe, expect, it } from 'vitest';
import { recommendAction } from './recommend.js';
import { advisory, kevEntry } from './testing.js';

const high = { band: 'high' as const, score: 70 };

describe('recommendAction', () => {
  it('recommends patching when the advisory has a CSAF vendor_fix, quoting its text and URL', () => {
    const r = recommendAction({
      advisory: advisory({ remediations: [{ category: 'vendor_fix', details: 'Upgrade to firmware 2.7.1', url: 'https://psirt.example/adv-1' }] }),
      score: high,
    });
    expect(r.action).toBe('patch');
    expect(r.reason).toContain('Upgrade to firmware 2.7.1');
    expect(r.basis[0]).toEqual({ kind: 'remediation', category: 'vendor_fix', text: 'Upgrade to firmware 2.7.1', url: 'https://psirt.example/adv-1' });
  });

  it('recommends patching when only a fixed version is known (finding or advisory)', () => {
    const fromFinding = recommendAction({ finding: { id: 'f', fixedVersions: ['3.6.8'] }, advisory: advisory(), score: high });
    expect(fromFinding).toMatchObject({ action: 'patch', basis: [{ kind: 'fixed-version', text: 'fixed in 3.6.8' }] });
    const fromAdvisory = recommendAction({ advisory: advisory({ affected: [{ fixed: ['1.2.3'] }, { fixed: ['1.2.3', '2.0.1'] }] }), score: high });
    expect(fromAdvisory.basis[0]).toEqual({ kind: 'fixed-version', text: 'fixed in 1.2.3, 2.0.1' });
  });

  it('recommends vendor guidance for mitigations and workarounds without a fix', () => {
    const r = recommendAction({
      advisory: advisory({
        remediations: [
          { category: 'mitigation', details: 'Block TCP 104 from outside the imaging VLAN', url: 'https://psirt.example/adv-2' },
          { category: 'Workaround', details: 'Disable the remote service menu' },
        ],
      }),
      score: high,
    });
    expect(r.action).toBe('vendor-guidance');
    expect(r.reason).toContain('Block TCP 104');
    expect(r.reason).toContain('and 1 more');
    expect(r.basis.map((b) => b.category)).toEqual(['mitigation', 'workaround']);
  });

  it('recommends compensating controls when nothing is published, quoting a none_available statement and KEV action', () => {
    const r = recommendAction({
      advisory: advisory({ kev: kevEntry(), remediations: [{ category: 'none_available', details: 'The product is end of life.' }] }),
      score: high,
    });
    expect(r.action).toBe('compensating-control');
    expect(r.reason).toContain('The vendor states: The product is end of life.');
    expect(r.basis.map((b) => b.kind)).toEqual(['remediation', 'kev-required-action']);
    expect(recommendAction({ advisory: advisory(), score: high }).action).toBe('compensating-control');
  });

  it('recommends accept/monitor for a low risk, noting that a fix exists', () => {
    const r = recommendAction({ finding: { id: 'f', fixedVersions: ['9.9'] }, score: { band: 'low', score: 12.5 } });
    expect(r.action).toBe('accept/monitor');
    expect(r.reason).toContain('(12.5)');
    expect(r.reason).toContain('A fix exists');
  });

  it('recommends accept/monitor with the triage decision for a finding scored 0', () => {
    const r = recommendAction({
      finding: { id: 'f', triage: { state: 'not_affected', justification: 'component_not_present' } },
      advisory: advisory({ remediations: [{ category: 'vendor_fix', details: 'x' }] }),
      score: { band: 'none', score: 0 },
    });
    expect(r).toMatchObject({ action: 'accept/monitor', basis: [{ kind: 'triage', text: 'triaged not_affected (component_not_present)' }] });
  });
});
