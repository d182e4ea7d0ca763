/**
 * @module Conformance of the CSAF source on the 94 real CISA medical advisories (ICSMA).
 *
 * EXPECTED holds, per file, how many products' version ranges classify as exact / range /
 * free text. The counts were derived by reading each document's product_version and
 * product_version_range branch names and applying the grammar in docs/vulns-versions.md by hand
 * (not by running the parser). These were re-read directly in the raw JSON: 17-082-02, 17-255-01,
 * 17-332-01, 18-142-01, 18-156-01, 19-029-01, 19-164-01, 19-190-01, 19-255-01, 19-297-01, 20-023-01,
 * 20-163-01, 20-233-01, 21-019-01, 21-313-01, 22-151-02, 22-335-01, 23-061-01, 24-249-01.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contains, formatRange } from '../../../src/core/versions/index.js';
import { csafSource, readCsafProducts } from '../../../src/vulns/sources/csaf/index.js';
import { sharedDataAvailable, sharedDataPath } from './shared-data.js';

const run = sharedDataAvailable('CSAF conformance');
const dir = sharedDataPath('csaf', 'icsma');
const read = (f: string) => readFileSync(`${dir}/${f}`, 'utf8');

/** [exact, range, free-text] per file (file name without 'icsma-' and '.json'). */
const EXPECTED: Record<string, [number, number, number]> = {
  '17-017-01': [0, 1, 0], '17-082-01': [0, 2, 0], '17-082-02': [0, 2, 0], '17-215-01': [0, 4, 0],
  '17-215-02': [0, 4, 0], '17-229-01': [1, 0, 0], '17-250-01': [0, 1, 0], '17-255-01': [0, 1, 0],
  '17-292-01': [0, 1, 0], '17-332-01': [0, 0, 1], '18-025-01': [0, 1, 0], '18-037-01': [0, 1, 0],
  '18-114-01': [0, 12, 0], '18-123-01': [0, 4, 0], '18-137-01': [0, 2, 0], '18-137-02': [0, 1, 0],
  '18-142-01': [2, 4, 0], '18-144-01': [0, 1, 0], '18-156-01': [1, 0, 2], '18-165-01': [1, 0, 0],
  '18-179-01': [0, 2, 0], '18-219-01': [0, 2, 0], '18-219-02': [0, 0, 10], '18-226-01': [0, 2, 0],
  '18-228-01': [0, 0, 1], '18-235-01': [0, 4, 0], '18-277-02': [0, 1, 0], '18-310-01': [0, 0, 8],
  '18-312-01': [0, 2, 0], '18-340-01': [0, 1, 0], '18-347-01': [0, 3, 0], '19-022-01': [0, 4, 0],
  '19-029-01': [2, 0, 1], '19-029-02': [0, 0, 2], '19-113-01': [0, 0, 3], '19-120-01': [0, 2, 0],
  '19-164-01': [7, 4, 0], '19-190-01': [1, 0, 3], '19-192-01': [0, 1, 0], '19-241-02': [0, 0, 1],
  '19-255-01': [0, 0, 4], '19-297-01': [0, 1, 0], '19-311-01': [0, 3, 0], '19-311-02': [0, 3, 0],
  '19-318-01': [0, 2, 0], '19-353-01': [0, 0, 4], '20-023-01': [1, 10, 0], '20-049-01': [1, 9, 0],
  '20-049-02': [0, 6, 0], '20-091-01': [2, 0, 0], '20-163-01': [2, 1, 1], '20-170-01': [2, 0, 0],
  '20-170-03': [1, 0, 0], '20-170-06': [1, 0, 0], '20-196-01': [0, 1, 0], '20-212-01': [0, 1, 0],
  '20-233-01': [0, 0, 1], '20-261-01': [0, 1, 0], '20-296-01': [0, 1, 0], '20-317-01': [0, 2, 0],
  '20-345-01': [0, 1, 0], '21-007-01': [0, 1, 0], '21-019-01': [3, 0, 0], '21-047-01': [0, 1, 0],
  '21-084-01': [0, 0, 11], '21-152-01': [0, 9, 0], '21-161-01': [0, 1, 0], '21-196-01': [0, 2, 0],
  '21-215-01': [0, 1, 0], '21-273-01': [1, 0, 0], '21-308-01': [0, 1, 0], '21-313-01': [0, 2, 0],
  '21-322-01': [0, 2, 0], '22-006-01': [0, 1, 0], '22-062-01': [0, 24, 0], '22-062-02': [0, 1, 0],
  '22-088-01': [0, 1, 0], '22-095-01': [0, 0, 1], '22-151-01': [0, 16, 0], '22-151-02': [1, 0, 0],
  '22-167-01': [0, 4, 0], '22-263-01': [0, 0, 4], '22-277-01': [0, 1, 0], '22-335-01': [0, 1, 4],
  '23-061-01': [2, 0, 0], '23-180-01': [0, 1, 0], '23-285-01': [0, 1, 0], '23-285-02': [0, 1, 0],
  '24-058-01': [0, 1, 0], '24-065-01': [0, 1, 0], '24-151-01': [0, 1, 0], '24-151-02': [0, 1, 0],
  '24-163-01': [0, 1, 0], '24-249-01': [0, 0, 1],
};

describe.runIf(run)('CSAF medical advisories (real data)', () => {
  const files = run ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];

  it('finds all 94 advisories, each with an expectations row', () => {
    expect(files).toHaveLength(94);
    expect(Object.keys(EXPECTED)).toHaveLength(94);
    expect(files.map((f) => f.slice(6, -5)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('totals 32 exact, 189 range and 63 free-text products across the corpus', () => {
    const totals = Object.values(EXPECTED).reduce((a, [e, r, f]) => [a[0] + e, a[1] + r, a[2] + f], [0, 0, 0]);
    expect(totals).toEqual([32, 189, 63]);
  });

  it.each(Object.entries(EXPECTED))('classifies the products of icsma-%s as [exact, range, free-text] = %j', (key, want) => {
    const products = readCsafProducts(read(`icsma-${key}.json`), `icsma-${key}.json`);
    const counts = [0, 0, 0];
    for (const p of products) counts[p.version.classification === 'exact' ? 0 : p.version.classification === 'range' ? 1 : 2]! += 1;
    expect(counts).toEqual(want);
    for (const p of products) if (p.version.classification === 'free-text') expect(p.version.needsReview).toBe(true);
  });

  it('normalizes every document: one advisory per vulnerability, every known_affected product present', () => {
    for (const f of files) {
      const doc = JSON.parse(read(f)) as { vulnerabilities: Array<{ cve?: string; product_status?: { known_affected?: string[] } }> };
      const advisories = csafSource.parse(read(f), f);
      expect(advisories).toHaveLength(doc.vulnerabilities.length);
      advisories.forEach((a, i) => {
        const v = doc.vulnerabilities[i]!;
        expect(a.source).toBe('csaf');
        expect(a.provenance.parser).toBe('csaf@1.0.0');
        if (v.cve) expect(a.id).toBe(v.cve);
        expect(a.aliases).toContain(a.sourceId);
        expect(a.affected.map((x) => x.productId)).toEqual(v.product_status?.known_affected ?? []);
        expect(a.affected.every((x) => x.status === 'known_affected')).toBe(true);
        expect(a.severity.length).toBeGreaterThan(0);
      });
    }
  });

  it('scores the document vector and keeps the stated score (ICSMA-20-163-01: 2.0, computed by hand)', () => {
    const [a] = csafSource.parse(read('icsma-20-163-01.json'), 'icsma-20-163-01.json');
    expect(a?.severity[0]).toMatchObject({ version: '3.0', vector: 'CVSS:3.0/AV:A/AC:H/PR:H/UI:N/S:U/C:L/I:N/A:N', baseScore: 2, statedScore: 2, scoreMismatch: false });
    expect(a?.cwes).toEqual(['CWE-532']);
    expect(a?.remediations[0]?.productIds).toEqual(['CSAFPID-0001', 'CSAFPID-0002', 'CSAFPID-0003', 'CSAFPID-0004']);
  });

  it('turns IntelliVue MX40 "< B.06.18" into a range that decides firmware versions on the same line', () => {
    const [a] = csafSource.parse(read('icsma-17-255-01.json'), 'icsma-17-255-01.json');
    const entry = a!.affected[0]!;
    expect(entry).toMatchObject({ vendor: 'Philips', normalizedVendor: 'philips', classification: 'range', versionText: '< B.06.18', needsReview: true });
    expect(formatRange(entry.ranges[0]!)).toBe('< B.06.18');
    expect(contains(entry.ranges[0]!, 'B.06.10')).toBe('yes');
    expect(contains(entry.ranges[0]!, 'B.06.18')).toBe('no');
    expect(contains(entry.ranges[0]!, 'A.01.09')).toBe('unknown');
  });

  it('keeps a date-based bound as free text for review (ICSMA-17-332-01)', () => {
    const [a] = csafSource.parse(read('icsma-17-332-01.json'), 'icsma-17-332-01.json');
    expect(a!.affected[0]).toMatchObject({ classification: 'free-text', needsReview: true, versionText: '<  november 29 2017', normalizedVendor: 'johnson and johnson' });
  });

  it('normalizes the vendor spellings found in the corpus', () => {
    const vendors = new Map<string, Set<string>>();
    for (const f of files) {
      for (const a of csafSource.parse(read(f), f)) for (const x of a.affected) if (x.vendor) (vendors.get(x.normalizedVendor!) ?? vendors.set(x.normalizedVendor!, new Set()).get(x.normalizedVendor!)!).add(x.vendor.trim());
    }
    expect([...(vendors.get('philips') ?? [])].sort()).toEqual(['Philips', 'Phillips']);
    expect([...(vendors.get('ge healthcare') ?? [])].sort()).toEqual(['GE Healthcare', 'General Electric (GE)']);
    expect([...(vendors.get('b braun') ?? [])].sort()).toEqual(['B. Braun', 'B. Braun Medical']);
    expect(vendors.get('medtronic')?.size).toBe(1);
    expect(vendors.has('innokas yhtyma')).toBe(true);
  });
});
