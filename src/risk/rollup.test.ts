import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskRecord } from './model.js';
import { ROLLUP_KEYS, rollupRisk } from './rollup.js';
import { advisory, cvssEntry, device, finding, kevEntry, record } from './testing.js';

const pumpA = device('pump-a', { criticality: 'life-sustaining', site: 'Main', building: 'North', unit: 'ICU' });
const pumpB = device('pump-b', { criticality: 'life-sustaining', site: 'Main', building: 'North', unit: 'ICU' });
const monitor = device('mon-1', { criticality: 'life-supporting', site: 'Clinic', unit: 'ICU' });
const printer = device('prn-1', { criticality: 'non-clinical', site: 'Main' });

const kev = advisory({ kev: kevEntry() });
const med = advisory({ severity: [cvssEntry('3.1', 6.5)] });

const records: RiskRecord[] = [
  record(finding('f-kev', { productId: 'pump-fw-4' }), { advisory: kev, device: pumpA }),
  record(finding('f-kev', { productId: 'pump-fw-4' }), { advisory: kev, device: pumpB }),
  record(finding('f-med', { productId: 'pump-fw-4' }), { advisory: med, device: pumpA }),
  record(finding('f-mon', { productId: 'mon-2' }), { advisory: med, device: monitor }),
  record(finding('f-prn', { productId: 'prn-9' }), { advisory: kev, device: printer }),
  record(finding('f-na', { productId: 'prn-9', triage: { state: 'not_affected' } }), { advisory: kev, device: printer }),
];

describe('rollupRisk', () => {
  it('rolls up per device: max score, band counts, KEV findings and top findings', () => {
    const byDevice = rollupRisk(records, ROLLUP_KEYS.device);
    expect(byDevice.map((r) => r.key)).toEqual(['pump-a', 'pump-b', 'prn-1', 'mon-1']);
    const a = byDevice[0]!;
    expect(a).toMatchObject({ maxScore: 100, maxBand: 'critical', records: 2, findings: 2, devices: 1, kevFindings: 1, topFindingIds: ['f-kev', 'f-med'] });
    expect(a.bands).toEqual({ critical: 1, high: 0, medium: 1, low: 0, none: 0 });
    const prn = byDevice.find((r) => r.key === 'prn-1')!;
    // the not_affected KEV finding is counted in 'none' and not as KEV exposure
    expect(prn).toMatchObject({ kevFindings: 1, bands: { critical: 0, high: 1, medium: 0, low: 0, none: 1 } });
  });

  it('rolls up per product, counting distinct findings and devices', () => {
    const pump = rollupRisk(records, ROLLUP_KEYS.product).find((r) => r.key === 'pump-fw-4')!;
    expect(pump).toMatchObject({ records: 3, findings: 2, devices: 2, kevFindings: 1, topFindingIds: ['f-kev', 'f-med'] });
  });

  it('keeps same-named units at different sites apart and groups devices without a unit as unassigned', () => {
    const units = rollupRisk(records, ROLLUP_KEYS.unit);
    expect(units.map((u) => u.key).sort()).toEqual(['(unassigned)', 'Clinic / ICU', 'Main / North / ICU']);
    expect(rollupRisk(records, ROLLUP_KEYS.site).map((s) => s.key)).toEqual(['Main', 'Clinic']);
  });

  it('limits top findings to topN and honours a custom unassigned key', () => {
    const r = rollupRisk(records, () => undefined, { topN: 2, unassignedKey: 'all' });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ key: 'all', topFindingIds: ['f-kev', 'f-prn'] });
  });

  it('gives the same result for any order of the same records', () => {
    const expected = rollupRisk(records, ROLLUP_KEYS.unit);
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }), (shuffled) => {
        expect(rollupRisk(shuffled, ROLLUP_KEYS.unit)).toEqual(expected);
        expect(rollupRisk(shuffled, ROLLUP_KEYS.device)).toEqual(rollupRisk(records, ROLLUP_KEYS.device));
      }),
      { numRuns: 200 },
    );
  });

  it('breaks score ties by key and by finding id', () => {
    const same = advisory({ severity: [cvssEntry('3.1', 5)] });
    const tied = ['z', 'a', 'm'].map((id) => record(finding(id), { advisory: same, device: device(`dev-${id}`) }));
    expect(rollupRisk(tied, ROLLUP_KEYS.device).map((r) => r.key)).toEqual(['dev-a', 'dev-m', 'dev-z']);
    expect(rollupRisk(tied, () => 'one')[0]!.topFindingIds).toEqual(['a', 'm', 'z']);
  });
});
