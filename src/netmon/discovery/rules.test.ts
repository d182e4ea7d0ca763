import { describe, expect, it } from 'vitest';
import { addFact, addService, newProfile } from './profile.js';
import { DISCOVERY_RULES, inferProfile, type InferenceRule } from './rules.js';

const noVendor = { vendorOf: () => undefined };

describe('discovery inference rules', () => {
  it('have unique ids and a description each', () => {
    const ids = DISCOVERY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of DISCOVERY_RULES) expect(r.description.length, r.id).toBeGreaterThan(10);
  });

  it('infer nothing from an empty profile', () => {
    expect(inferProfile(newProfile('ip:10.0.0.1', 1, 1), noVendor)).toEqual({ fired: [] });
  });

  it('call a DICOM server on port 104 without stores a likely PACS at lower confidence than one receiving stores', () => {
    const p = newProfile('ip:10.0.0.2', 1, 1);
    addService(p, 'dicom', 'server', 104, 7);
    expect(inferProfile(p, noVendor).category).toMatchObject({ value: 'pacs', confidence: 0.45, rule: 'dicom.scp-port', evidence: [{ frame: 7, field: 'services', value: 'dicom/server/104' }] });
    p.dicom.acceptedAssociation = 8;
    addFact(p.dicom.storesReceived, 'MR', 12);
    expect(inferProfile(p, noVendor).category).toMatchObject({ value: 'pacs', confidence: 0.8, rule: 'dicom.store-scp' });
  });

  it('do not call a sender of several modalities a scanner of any one of them', () => {
    const p = newProfile('ip:10.0.0.3', 1, 1);
    addFact(p.dicom.storesSent, 'CT', 30);
    addFact(p.dicom.storesSent, 'MR', 38);
    const inf = inferProfile(p, noVendor);
    expect(inf.category).toMatchObject({ value: 'imaging-workstation', rule: 'dicom.multi-modality-sender' });
    expect(inf.fired.map((f) => f.rule)).not.toContain('dicom.modality-store');
  });

  it('need both a results message and a laboratory-like application name for a lab analyzer', () => {
    const p = newProfile('ip:10.0.0.4', 1, 1);
    addFact(p.hl7MessagesSent, 'ORU^R01', 4);
    addFact(p.hl7Applications, 'MONITOR_GW', 4);
    expect(inferProfile(p, noVendor).category).toBeUndefined();
    addFact(p.hl7Applications, 'SYSMEX_XN^LAB', 9);
    expect(inferProfile(p, noVendor).category).toMatchObject({ value: 'lab-analyzer', evidence: [{ frame: 4, value: 'ORU^R01' }, { frame: 9, value: 'SYSMEX_XN^LAB' }] });
  });

  it('take the manufacturer from the OUI vendor in canonical spelling, at low confidence', () => {
    const p = newProfile('mac:00:09:5c:00:00:01', 1, 1);
    addFact(p.macs, '00:09:5c:00:00:01', 3);
    const inf = inferProfile(p, { vendorOf: (m) => (m.startsWith('00:09:5c') ? 'Philips Medical Systems' : undefined) });
    expect(inf.manufacturer).toMatchObject({ value: 'Philips', confidence: 0.3, rule: 'oui.vendor', evidence: [{ frame: 3, field: 'macs' }] });
  });

  it('keep the most confident conclusion per attribute and the earlier rule on a tie, listing every rule that fired', () => {
    const p = newProfile('ip:10.0.0.5', 1, 1);
    const rule = (id: string, category: string, confidence: number): InferenceRule => ({ id, description: id, when: () => ({ category, confidence, evidence: [] }) });
    const inf = inferProfile(p, noVendor, [rule('a', 'server', 0.4), rule('b', 'workstation', 0.6), rule('c', 'printer', 0.6)]);
    expect(inf.category).toMatchObject({ value: 'workstation', rule: 'b' });
    expect(inf.fired.map((f) => f.rule)).toEqual(['a', 'b', 'c']);
  });
});
