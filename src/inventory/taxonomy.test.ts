import { describe, expect, it } from 'vitest';
import { CRITICALITY_LEVELS, criticalityFromRank, criticalityRank } from './criticality.js';
import { CRITICALITIES, PHI_HANDLING } from './model.js';
import { CATEGORY_GROUPS, DEVICE_CATEGORIES, normalizeCategoryText, resolveCategory } from './taxonomy.js';

describe('device taxonomy', () => {
  it('has at least 40 categories with unique slug ids', () => {
    const ids = DEVICE_CATEGORIES.map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('gives every category a label, a known group, a default criticality, a PHI handling and a description', () => {
    for (const c of DEVICE_CATEGORIES) {
      expect(c.label.length, c.id).toBeGreaterThan(0);
      expect(CATEGORY_GROUPS, c.id).toContain(c.group);
      expect(CRITICALITIES, c.id).toContain(c.defaultCriticality);
      expect(PHI_HANDLING, c.id).toContain(c.typicalPhi);
      expect(c.description.length, c.id).toBeGreaterThan(10);
    }
  });

  it('covers medical, IT and IoT groups', () => {
    const groups = new Set(DEVICE_CATEGORIES.map((c) => c.group));
    for (const g of ['infusion', 'monitoring', 'life-support', 'imaging', 'laboratory', 'it', 'iot']) expect(groups).toContain(g);
  });

  it('never gives one name to two categories', () => {
    const owner = new Map<string, string>();
    for (const c of DEVICE_CATEGORIES) {
      for (const name of new Set([c.id, c.label, ...c.synonyms].map(normalizeCategoryText))) {
        const prior = owner.get(name);
        expect(prior === undefined || prior === c.id, `"${name}" is claimed by ${prior} and ${c.id}`).toBe(true);
        owner.set(name, c.id);
      }
    }
  });

  it.each([
    ['Infusion Pump', 'infusion-pump'],
    ['IV pump', 'infusion-pump'],
    ['PUMPS, INFUSION', 'infusion-pump'],
    ['PCA', 'pca-pump'],
    ['Alaris PCA module', 'pca-pump'],
    ['Patient Monitor', 'patient-monitor'],
    ['Ventilators, Intensive Care', 'ventilator'],
    ['CT', 'ct-scanner'],
    ['MRI', 'mri-scanner'],
    ['Ultrasound', 'ultrasound'],
    ['X-Ray', 'x-ray'],
    ['PACS', 'pacs'],
    ['Hematology Analyzers', 'lab-analyzer'],
    ['Blood gas analyser', 'blood-gas-analyzer'],
    ['Glucometer', 'glucose-meter'],
    ['12-lead ECG', 'ecg'],
    ['EKG', 'ecg'],
    ['Telemetry', 'telemetry'],
    ['Pacemaker programmer', 'implant-programmer'],
    ['Nurse Call', 'nurse-call'],
    ['Pyxis MedStation', 'medication-dispensing-cabinet'],
    ['Automated Dispensing Cabinet', 'medication-dispensing-cabinet'],
    ['Wireless Access Point', 'network-infrastructure'],
    ['Badge reader', 'access-control'],
    ['infusion-pump', 'infusion-pump'],
  ])('resolves %j to %s', (text, id) => {
    expect(resolveCategory(text)?.id).toBe(id);
  });

  it('answers undefined for text that names no known type', () => {
    expect(resolveCategory('banana')).toBeUndefined();
    expect(resolveCategory('  ')).toBeUndefined();
  });
});

describe('criticality levels', () => {
  it('defines every level with a meaning and a response, ranked in declaration order', () => {
    expect(CRITICALITY_LEVELS.map((l) => l.id)).toEqual([...CRITICALITIES]);
    CRITICALITY_LEVELS.forEach((l, i) => {
      expect(l.rank).toBe(i);
      expect(l.meaning.length).toBeGreaterThan(40);
      expect(l.response.length).toBeGreaterThan(10);
      expect(criticalityFromRank(criticalityRank(l.id))).toBe(l.id);
    });
  });

  it('ranks an unknown criticality after every known level', () => {
    expect(criticalityRank(undefined)).toBeGreaterThan(criticalityRank('non-clinical'));
    expect(criticalityFromRank(criticalityRank(undefined))).toBeUndefined();
  });
});
