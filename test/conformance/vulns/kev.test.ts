/** @module Conformance of the KEV sources on the real CISA catalog (JSON and CSV, 2025.08.25). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKevCsv, parseKevJson } from '../../../src/vulns/sources/index.js';
import { sharedDataAvailable, sharedDataPath } from './shared-data.js';

const run = sharedDataAvailable('KEV conformance');

describe.runIf(run)('CISA KEV catalog (real data)', () => {
  const jsonText = run ? readFileSync(sharedDataPath('kev', 'known_exploited_vulnerabilities.json'), 'utf8') : '';
  const csvText = run ? readFileSync(sharedDataPath('kev', 'known_exploited_vulnerabilities.csv'), 'utf8') : '';

  it('loads the JSON catalog with as many advisories as its count field says', () => {
    const declared = (JSON.parse(jsonText) as { count: number }).count;
    const catalog = parseKevJson(jsonText, 'known_exploited_vulnerabilities.json');
    expect(catalog.count).toBe(declared);
    expect(catalog.advisories).toHaveLength(declared);
    expect(catalog.catalogVersion).toBe('2025.08.25');
  });

  it('reads Heartbleed with its dates, action and CWE', () => {
    const a = parseKevJson(jsonText, 'kev.json').advisories.find((x) => x.id === 'CVE-2014-0160');
    expect(a?.kev).toMatchObject({ dateAdded: '2022-05-04', dueDate: '2022-05-25', requiredAction: 'Apply updates per vendor instructions.', knownRansomware: 'unknown' });
    expect(a?.cwes).toEqual(['CWE-125']);
    expect(a?.affected[0]).toMatchObject({ vendor: 'OpenSSL', normalizedVendor: 'openssl', classification: 'free-text', needsReview: true });
    expect(a?.references).toEqual([{ url: 'https://nvd.nist.gov/vuln/detail/CVE-2014-0160', type: 'kev-note' }]);
  });

  it('counts 293 entries with known ransomware use', () => {
    expect(parseKevJson(jsonText, 'kev.json').advisories.filter((a) => a.kev?.knownRansomware === true)).toHaveLength(293);
  });

  it('reads the CSV form to the same entries as the JSON form', () => {
    const fromCsv = parseKevCsv(csvText, 'known_exploited_vulnerabilities.csv');
    const fromJson = parseKevJson(jsonText, 'kev.json').advisories;
    expect(fromCsv).toHaveLength(fromJson.length);
    expect(fromCsv.map((a) => a.id)).toEqual(fromJson.map((a) => a.id));
    expect(fromCsv.map((a) => a.kev?.dueDate)).toEqual(fromJson.map((a) => a.kev?.dueDate));
    expect(fromCsv[0]?.cwes).toEqual(['CWE-59', 'CWE-436']);
    expect(fromCsv[0]?.provenance.pointer).toBe('line 2');
  });
});
