import { describe, expect, it } from 'vitest';
import { formatRange } from '../../../core/versions/index.js';
import { AdvisoryParseError } from '../common/errors.js';
import { assertOnlyTypedErrors } from '../testing/fuzz.js';
import { nvdSource } from './index.js';

const cve = {
  id: 'CVE-2024-8888',
  published: '2024-01-01T10:00:00.000',
  lastModified: '2024-02-01T10:00:00.000',
  vulnStatus: 'Analyzed',
  descriptions: [{ lang: 'en', value: 'wolfSSL before 5.6.6 has a flaw.' }],
  metrics: { cvssMetricV31: [{ source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 5.9 } }] },
  weaknesses: [{ description: [{ lang: 'en', value: 'CWE-203' }, { lang: 'en', value: 'NVD-CWE-Other' }] }],
  configurations: [
    {
      operator: 'AND',
      nodes: [
        { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*', versionEndExcluding: '5.6.6' }] },
        { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:o:amazon:freertos:-:*:*:*:*:*:*:*' }] },
      ],
    },
    { nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:bad', matchCriteriaId: 'x' }] }] },
  ],
  references: [{ url: 'https://example.test/wolfssl', tags: ['Release Notes'] }],
};
const envelope = { resultsPerPage: 1, startIndex: 0, totalResults: 1, format: 'NVD_CVE', version: '2.0', vulnerabilities: [{ cve }] };

describe('NVD API 2.0 source', () => {
  const [a] = nvdSource.parse(JSON.stringify(envelope), 'nvd.json');

  it('reads metrics, CWE (skipping NVD-CWE placeholders), description and references', () => {
    expect(a).toMatchObject({ id: 'CVE-2024-8888', cwes: ['CWE-203'], summary: 'wolfSSL before 5.6.6 has a flaw.', references: [{ url: 'https://example.test/wolfssl', type: 'Release Notes' }] });
    expect(a?.severity[0]).toMatchObject({ source: 'nvd@nist.gov', baseScore: 5.9, scoreMismatch: false });
  });

  it('turns an AND configuration into a range that requires the platform', () => {
    expect(a?.affected).toHaveLength(1);
    const e = a!.affected[0]!;
    expect(formatRange(e.ranges[0]!)).toBe('< 5.6.6');
    expect(e).toMatchObject({ vendor: 'wolfssl', normalizedVendor: 'wolfssl', requires: ['cpe:2.3:o:amazon:freertos:-:*:*:*:*:*:*:*'], fixed: ['5.6.6'] });
  });

  it('warns about an unparseable CPE criterion instead of failing the record', () => {
    expect(a?.warnings.join(' ')).toContain('/vulnerabilities/0/cve/configurations/1/nodes/0/cpeMatch/0/criteria');
  });

  it('marks rejected CVEs as withdrawn and excludes negated nodes', () => {
    const negated = { ...cve, vulnStatus: 'Rejected', configurations: [{ nodes: [{ operator: 'OR', negate: true, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*' }] }] }] };
    const [r] = nvdSource.parse(JSON.stringify({ ...envelope, vulnerabilities: [{ cve: negated }] }), 'nvd.json');
    expect(r?.withdrawn).toBe('2024-02-01T10:00:00.000Z');
    expect(r?.affected[0]?.status).toBe('known_not_affected');
  });

  it('rejects a response that is not an NVD 2.0 envelope', () => {
    expect(() => nvdSource.parse(JSON.stringify({ ...envelope, format: 'OSV' }), 'nvd.json')).toThrow(AdvisoryParseError);
    expect(() => nvdSource.parse(JSON.stringify({ ...envelope, vulnerabilities: [{}] }), 'nvd.json')).toThrow('(nvd.json at /vulnerabilities/0/cve)');
  });

  it('throws nothing but AdvisoryParseError on random and mutated input', () => {
    assertOnlyTypedErrors((s) => nvdSource.parse(s, 'fuzz.json'), [JSON.stringify(envelope)]);
  });
});
