import { describe, expect, it } from 'vitest';
import { parseSbom } from '../../sbom/index.js';
import { demoCsafAdvisories, demoEpss, demoKevCatalog, demoNvdBundle, demoSbomModels, demoSboms } from './documents.js';
import { parseDemoDocument } from './seed.js';

describe('demo vulnerability documents', () => {
  it('NVD bundle parses with the NVD 2.0 parser into CPE-ranged advisories', () => {
    const advisories = parseDemoDocument(demoNvdBundle());
    expect(advisories).toHaveLength(8);
    for (const a of advisories) {
      expect(a.source).toBe('nvd');
      expect(a.id).toMatch(/^CVE-2099-01\d\d$/);
      expect(a.affected.length).toBeGreaterThan(0);
      expect(a.affected[0]!.cpe).toMatch(/^cpe:2\.3:[ao]:/);
      expect(a.severity[0]?.baseScore).toBeGreaterThan(0);
    }
  });

  it('CSAF advisories parse with the CSAF parser, affected and fixed firmware apart', () => {
    const docs = demoCsafAdvisories();
    expect(docs.length).toBeGreaterThanOrEqual(8);
    for (const doc of docs) {
      const [a] = parseDemoDocument(doc);
      expect(a!.source).toBe('csaf');
      expect(a!.aliases).toContain(JSON.parse(doc.text).document.tracking.id);
      const statuses = new Set(a!.affected.map((p) => p.status));
      expect(statuses.has('known_affected')).toBe(true);
      expect(statuses.has('fixed')).toBe(true);
    }
  });

  it('KEV and EPSS files parse into enrichment records for the demo CVEs', () => {
    const kev = parseDemoDocument(demoKevCatalog());
    expect(kev.map((a) => a.id).sort()).toEqual(['CVE-2099-0101', 'CVE-2099-0106']);
    expect(kev.every((a) => a.kev?.dueDate === '2099-02-15')).toBe(true);
    const epss = parseDemoDocument(demoEpss());
    expect(epss).toHaveLength(8);
    expect(epss.find((a) => a.id === 'CVE-2099-0106')?.epss?.score).toBeCloseTo(0.61);
  });

  it('SBOMs are valid CycloneDX 1.6 naming the product and its CPE-identified components', () => {
    const docs = demoSboms();
    expect(demoSbomModels().length).toBe(6);
    expect(docs.length).toBeGreaterThanOrEqual(12);
    for (const doc of docs) {
      const sbom = parseSbom(doc.text, { file: doc.name });
      expect(sbom.specVersion).toBe('1.6');
      expect(sbom.metadataComponent?.supplier).toBeTruthy();
      expect(sbom.components.length).toBeGreaterThanOrEqual(7);
      expect(sbom.components.every((c) => c.cpes.length === 1)).toBe(true);
    }
  });
});
