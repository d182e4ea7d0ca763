import { describe, expect, it } from 'vitest';
import type { Device } from '../inventory/index.js';
import type { Advisory } from '../vulns/index.js';
import type { Finding } from '../vulns/findings/model.js';
import type { Product } from '../vulns/ports.js';
import type { RiskInput, RiskRecord } from './model.js';
import { advisory, cvssEntry, device, epssEntry, finding, kevEntry, record } from './testing.js';
import { epssDistribution, kevExposure, severityCounts, topRisks } from './views.js';

const pumpA = device('pump-a', { criticality: 'life-sustaining' });
const pumpB = device('pump-b', { criticality: 'life-sustaining' });
const printer = device('prn-1', { criticality: 'non-clinical' });
const lab = device('lab-1');

const kevFix = advisory({ kev: kevEntry(true), epss: epssEntry(0.99, 0.7), remediations: [{ category: 'vendor_fix', details: 'Install 5.1', url: 'https://psirt.example/a' }] });
const medium = advisory({ severity: [cvssEntry('3.1', 6.5)], epss: epssEntry(0.6, 0.05) });
const low = advisory({ severity: [cvssEntry('3.1', 3.1)], epss: epssEntry(0.1, 0.001) });

const records: RiskRecord[] = [
  record(finding('f1'), { advisory: kevFix, device: pumpA }),
  record(finding('f1'), { advisory: kevFix, device: pumpB }),
  record(finding('f2'), { advisory: kevFix, device: printer }),
  record(finding('f3'), { advisory: medium, device: pumpA }),
  record(finding('f4'), { advisory: low, device: lab }),
  record(finding('f5'), { advisory: medium }),
  record(finding('f6', { triage: { state: 'fixed' } }), { advisory: kevFix, device: lab }),
];

describe('severityCounts', () => {
  it('counts records, distinct findings and devices by their highest band', () => {
    const c = severityCounts(records);
    expect(c.records).toEqual({ critical: 2, high: 2, medium: 1, low: 1, none: 1 });
    expect(c.findings).toEqual({ critical: 1, high: 2, medium: 1, low: 1, none: 1 });
    // lab-1 has a low finding and a fixed one: it counts as low
    expect(c.devices).toEqual({ critical: 2, high: 1, medium: 0, low: 1, none: 0 });
  });
});

describe('kevExposure', () => {
  it('says how many devices are exposed to KEV-listed vulnerabilities, by criticality', () => {
    const k = kevExposure(records);
    expect(k).toMatchObject({ devices: 3, deviceIds: ['prn-1', 'pump-a', 'pump-b'], findings: 2, vulnerabilities: 2 });
    expect(k.byCriticality).toEqual({ 'life-sustaining': 2, 'life-supporting': 0, diagnostic: 0, 'therapeutic-non-critical': 0, 'non-clinical': 1, unknown: 0 });
    expect(k.summary).toBe('3 devices exposed to KEV-listed vulnerabilities (2 life-sustaining, 1 non-clinical); 2 KEV vulnerabilities in 2 open findings');
  });

  it('does not count a KEV finding triaged fixed', () => {
    expect(kevExposure(records.filter((r) => r.finding.id === 'f6')).summary).toBe('0 devices exposed to KEV-listed vulnerabilities; 0 KEV vulnerabilities in 0 open findings');
  });
});

describe('epssDistribution', () => {
  it('buckets open findings by EPSS probability, with a bucket for missing EPSS', () => {
    const extra = record(finding('f7'), { advisory: advisory({ severity: [cvssEntry('3.1', 5)] }), device: lab });
    const b = epssDistribution([...records, extra]);
    expect(b.map((x) => [x.label, x.vulnerabilities, x.findings, x.devices])).toEqual([
      ['< 1%', 1, 1, 1],
      ['1% to < 10%', 2, 2, 1],
      ['10% to < 50%', 0, 0, 0],
      ['>= 50%', 2, 2, 3],
      ['no EPSS', 1, 1, 1],
    ]);
  });

  it('buckets by percentile with custom edges', () => {
    const b = epssDistribution(records, { by: 'percentile', edges: [0.5] });
    expect(b.map((x) => [x.label, x.findings])).toEqual([
      ['< p0.5', 1],
      ['>= p0.5', 4],
      ['no EPSS', 0],
    ]);
  });

  it('rejects edges that do not ascend inside (0, 1)', () => {
    expect(() => epssDistribution(records, { edges: [0.5, 0.2] })).toThrow(/must ascend strictly inside \(0, 1\), got \[0.5, 0.2\]/);
    expect(() => epssDistribution(records, { edges: [1] })).toThrow(RangeError);
  });
});

describe('topRisks', () => {
  it('lists findings by risk with their devices and recommended action', () => {
    const t = topRisks(records, { limit: 3 });
    expect(t.map((r) => [r.findingId, r.score, r.band])).toEqual([
      ['f1', 100, 'critical'],
      ['f2', 78.9, 'high'],
      ['f3', 70.9, 'high'],
    ]);
    expect(t[0]).toMatchObject({ deviceIds: ['pump-a', 'pump-b'], kev: true, knownRansomware: true, epssPercentile: 0.99, criticality: 'life-sustaining' });
    expect(t[0]!.recommendation.action).toBe('patch');
    expect(t[0]!.recommendation.basis[0]?.url).toBe('https://psirt.example/a');
    expect(t[2]!.recommendation.action).toBe('compensating-control');
  });

  it('leaves out findings scored 0 and can list one row per (finding, device)', () => {
    expect(topRisks(records, { limit: 50 }).map((r) => r.findingId)).not.toContain('f6');
    const perRecord = topRisks(records, { distinct: 'record', limit: 2 });
    expect(perRecord.map((r) => r.deviceIds)).toEqual([['pump-a'], ['pump-b']]);
  });

  it('recommends accept/monitor for a low-risk finding', () => {
    const t = topRisks(records, { limit: 50 }).find((r) => r.findingId === 'f4')!;
    expect(t).toMatchObject({ band: 'low', recommendation: { action: 'accept/monitor' } });
  });
});

describe('input types', () => {
  it('accepts the stored vulns and inventory objects as they are', () => {
    // compile-time check: the risk input types are structural picks of the real models
    const f = { id: 'f', productId: 'p', vulnerabilityId: 'CVE-1', status: 'open', fixedVersions: [] } as unknown as Finding;
    const a = { id: 'CVE-1', severity: [], remediations: [], affected: [] } as unknown as Advisory;
    const d = { id: 'd', criticality: 'diagnostic' } as unknown as Device;
    const p = { id: 'p', rubric: { XAVN: 'yes' } } as unknown as Product;
    const input: RiskInput = { finding: f, advisory: a, device: d, rubric: p.rubric };
    const r: RiskRecord = record(f, input);
    expect(r.score.facts.criticality).toBe('diagnostic');
  });
});
