import { describe, expect, it } from 'vitest';
import { formatRange } from '../../../core/versions/index.js';
import { AdvisoryParseError } from '../common/errors.js';
import { assertOnlyTypedErrors } from '../testing/fuzz.js';
import { cve5Source } from './index.js';

const record = {
  dataType: 'CVE_RECORD',
  dataVersion: '5.1',
  cveMetadata: { cveId: 'CVE-2024-9999', state: 'PUBLISHED', datePublished: '2024-05-01T00:00:00Z', dateUpdated: '2024-06-01T00:00:00Z' },
  containers: {
    cna: {
      title: 'Example pump firmware flaw',
      descriptions: [{ lang: 'en', value: 'Buffer overflow.' }],
      affected: [
        {
          vendor: 'Example',
          product: 'Pump',
          collectionURL: 'https://pypi.org',
          packageName: 'pumpctl',
          cpes: ['cpe:2.3:a:example:pumpctl:*:*:*:*:*:*:*:*'],
          versions: [
            { version: '1.0', lessThan: '1.4.2', status: 'affected', versionType: 'python' },
            { version: '2.0', lessThanOrEqual: '2.1.*', status: 'unaffected', versionType: 'python' },
          ],
        },
      ],
      metrics: [{ cvssV3_1: { vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 } }],
      problemTypes: [{ descriptions: [{ lang: 'en', description: 'CWE-787 Out-of-bounds Write' }] }],
      references: [{ url: 'https://example.test/psa', tags: ['vendor-advisory'], name: 'PSA' }],
      solutions: [{ lang: 'en', value: 'Update to 1.4.2.' }],
    },
    adp: [{ providerMetadata: { shortName: 'CISA-ADP' }, metrics: [{ cvssV3_1: { vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5 } }] }],
  },
};

const parse = (d: unknown) => cve5Source.parse(JSON.stringify(d), 'cve.json');

describe('CVE JSON 5 source', () => {
  const [a] = parse(record);

  it('reads ids, title, description, CWE, references and solutions', () => {
    expect(a).toMatchObject({ id: 'CVE-2024-9999', title: 'Example pump firmware flaw', summary: 'Buffer overflow.', cwes: ['CWE-787'] });
    expect(a?.references).toEqual([{ url: 'https://example.test/psa', type: 'vendor-advisory', summary: 'PSA' }]);
    expect(a?.remediations).toEqual([{ category: 'vendor_fix', details: 'Update to 1.4.2.' }]);
  });

  it('scores CNA and ADP metrics, attributing each', () => {
    expect(a?.severity.map((s) => [s.source, s.baseScore])).toEqual([
      ['CNA', 9.8],
      ['CISA-ADP', 7.5],
    ]);
  });

  it('orders versions by their versionType and reads X.Y.* bounds', () => {
    expect(a?.affected.map((e) => [e.status, e.ecosystem, e.cpe, e.ranges.map(formatRange).join(' ; ')])).toEqual([
      ['known_affected', 'PyPI', 'cpe:2.3:a:example:pumpctl:*:*:*:*:*:*:*:*', '>= 1.0 and < 1.4.2'],
      ['known_not_affected', 'PyPI', 'cpe:2.3:a:example:pumpctl:*:*:*:*:*:*:*:*', '>= 2.0 and < 2.2'],
    ]);
    expect(a?.affected[0]?.ranges[0]?.scheme).toBe('pypi');
    expect(a?.affected[0]?.fixed).toEqual(['1.4.2']);
  });

  it('ignores a versionType that is not a string (the entry follows its typed neighbours) instead of failing', () => {
    const versions = [
      { version: '1.0', lessThan: '1.4.2', status: 'affected', versionType: {} },
      { version: '2.0', lessThanOrEqual: '2.1.*', status: 'unaffected', versionType: 'python' },
    ];
    const cna = { ...record.containers.cna, affected: [{ ...record.containers.cna.affected[0], versions }] };
    const [r] = parse({ ...record, containers: { ...record.containers, cna } });
    expect(r?.affected.map((e) => [e.status, e.ranges.map(formatRange).join(' ; ')])).toEqual([
      ['known_affected', '>= 1.0 and < 1.4.2'],
      ['known_not_affected', '>= 2.0 and < 2.2'],
    ]);
    expect(r?.affected[0]?.ranges[0]?.scheme).toBe('pypi');
  });

  it('marks a rejected record as withdrawn', () => {
    const [r] = parse({ ...record, cveMetadata: { ...record.cveMetadata, state: 'REJECTED', dateRejected: '2024-07-01T00:00:00Z' } });
    expect(r?.withdrawn).toBe('2024-07-01T00:00:00.000Z');
  });

  it.each([
    [{ ...record, dataType: 'CVE' }, '/dataType'],
    [{ ...record, dataVersion: '4.0' }, '/dataVersion'],
    [{ ...record, cveMetadata: { ...record.cveMetadata, cveId: 'CVE-24-1' } }, '/cveMetadata/cveId'],
    [{ ...record, containers: { cna: { affected: [{ versions: 'x' }] } } }, '/containers/cna/affected/0/versions'],
  ])('rejects an invalid record at %#', (d, pointer) => {
    try {
      parse(d);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(AdvisoryParseError);
      expect((e as AdvisoryParseError).location?.pointer).toBe(pointer);
    }
  });

  it('throws nothing but AdvisoryParseError on random and mutated input', () => {
    assertOnlyTypedErrors((s) => cve5Source.parse(s, 'fuzz.json'), [JSON.stringify(record)]);
  });
});
