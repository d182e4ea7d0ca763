import { describe, expect, it } from 'vitest';
import { contains, formatRange } from '../../../core/versions/index.js';
import { AdvisoryParseError } from '../common/errors.js';
import { assertOnlyTypedErrors } from '../testing/fuzz.js';
import { csafSource, readCsafProducts } from './index.js';

const doc = {
  document: {
    category: 'csaf_security_advisory',
    csaf_version: '2.0',
    title: 'Example infusion pump advisory',
    tracking: { id: 'EX-2024-001', initial_release_date: '2024-01-02T00:00:00Z', current_release_date: '2024-02-03T00:00:00Z' },
    references: [{ category: 'self', url: 'https://example.test/ex-2024-001', summary: 'self' }],
  },
  product_tree: {
    branches: [
      {
        category: 'vendor',
        name: 'Phillips',
        branches: [
          {
            category: 'product_name',
            name: 'PumpOS',
            branches: [
              { category: 'product_version_range', name: 'vers:generic/>=2.0|<2.6A', product: { product_id: 'P1', name: 'PumpOS 2.x before 2.6A', product_identification_helper: { cpe: 'cpe:2.3:o:philips:pumpos:*:*:*:*:*:*:*:*', hashes: [{ filename: 'fw.bin', file_hashes: [{ algorithm: 'sha256', value: 'ab'.repeat(32) }] }], model_numbers: ['M100'] } } },
              { category: 'product_version', name: '2.6A', product: { product_id: 'P2', name: 'PumpOS 2.6A' } },
              { category: 'product_version_range', name: '<= U61 |<= L81', product: { product_id: 'P3', name: 'PumpOS lines' } },
            ],
          },
        ],
      },
    ],
    full_product_names: [{ product_id: 'GW', name: 'Gateway: Version 4.01 and prior', product_identification_helper: { purl: 'pkg:generic/gateway@4.01' } }],
    relationships: [{ category: 'installed_on', product_reference: 'P1', relates_to_product_reference: 'GW', full_product_name: { product_id: 'P1-ON-GW', name: 'PumpOS on Gateway' } }],
    product_groups: [{ group_id: 'G1', product_ids: ['P1', 'P3'] }],
  },
  vulnerabilities: [
    {
      cve: 'CVE-2024-1111',
      ids: [{ system_name: 'vendor', text: 'PSA-1' }],
      cwe: { id: 'CWE-798', name: 'Use of Hard-coded Credentials' },
      notes: [{ category: 'summary', text: 'Hard-coded password.' }],
      product_status: { known_affected: ['P1', 'P3', 'P1-ON-GW'], fixed: ['P2'], under_investigation: ['GW'], known_not_affected: ['NOPE'] },
      remediations: [{ category: 'vendor_fix', details: 'Update to 2.6A', group_ids: ['G1'], product_ids: ['P1-ON-GW'] }],
      scores: [{ cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.1, baseSeverity: 'CRITICAL' }, products: ['P1'] }],
    },
  ],
};

const parse = (d: unknown) => csafSource.parse(JSON.stringify(d), 'ex.json');

function errorOf(d: unknown): AdvisoryParseError {
  try {
    parse(d);
  } catch (e) {
    if (e instanceof AdvisoryParseError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('CSAF source', () => {
  const [a] = parse(doc);

  it('emits one advisory per vulnerability with ids, aliases, CWE, summary and dates', () => {
    expect(a).toMatchObject({ id: 'CVE-2024-1111', sourceId: 'EX-2024-001', aliases: ['EX-2024-001', 'PSA-1'], cwes: ['CWE-798'], summary: 'Hard-coded password.' });
    expect(a?.published).toBe('2024-01-02T00:00:00.000Z');
    expect(a?.modified).toBe('2024-02-03T00:00:00.000Z');
    expect(a?.references[0]).toEqual({ url: 'https://example.test/ex-2024-001', type: 'self', summary: 'self' });
  });

  it('maps every product_status category and warns about unknown product ids', () => {
    expect(a?.affected.map((x) => [x.productId, x.status])).toEqual([
      ['P2', 'fixed'],
      ['P1', 'known_affected'],
      ['P3', 'known_affected'],
      ['P1-ON-GW', 'known_affected'],
      ['GW', 'under_investigation'],
    ]);
    expect(a?.warnings.join(' ')).toContain('product "NOPE" is not in the product tree');
  });

  it('reads vers ranges, helpers and normalized names from the branch path', () => {
    const p1 = a!.affected.find((x) => x.productId === 'P1')!;
    expect(p1).toMatchObject({ vendor: 'Phillips', normalizedVendor: 'philips', product: 'PumpOS', cpe: 'cpe:2.3:o:philips:pumpos:*:*:*:*:*:*:*:*', classification: 'range', confidence: 1 });
    expect(p1.hashes).toEqual([{ algorithm: 'sha256', value: 'ab'.repeat(32), filename: 'fw.bin' }]);
    expect(p1.notes).toContain('model numbers: M100');
    expect(contains(p1.ranges[0]!, '2.5')).toBe('yes');
    expect(contains(p1.ranges[0]!, '2.6A')).toBe('no');
  });

  it('records fixed versions for fixed products and keeps product lines apart', () => {
    expect(a!.affected.find((x) => x.productId === 'P2')).toMatchObject({ classification: 'exact', fixed: ['2.6A'] });
    const p3 = a!.affected.find((x) => x.productId === 'P3')!;
    expect(formatRange(p3.ranges[0]!)).toBe('<= U61 | <= L81');
    expect(p3.needsReview).toBe(true);
  });

  it('takes a relationship product from its component and names the platform', () => {
    const rel = a!.affected.find((x) => x.productId === 'P1-ON-GW')!;
    expect(rel).toMatchObject({ product: 'PumpOS', vendor: 'Phillips', versionText: 'vers:generic/>=2.0|<2.6A' });
    expect(rel.notes).toContain('installed on Gateway: Version 4.01 and prior');
  });

  it('falls back to the purl version for a product without a version branch', () => {
    const gw = readCsafProducts(JSON.stringify(doc), 'ex.json').find((p) => p.productId === 'GW')!;
    expect(gw).toMatchObject({ versionCategory: 'helper', versionText: '4.01', purl: 'pkg:generic/gateway@4.01' });
    expect(gw.version.classification).toBe('exact');
  });

  it('expands product groups in remediations', () => {
    expect(a?.remediations[0]).toMatchObject({ category: 'vendor_fix', details: 'Update to 2.6A', productIds: ['P1-ON-GW', 'P1', 'P3'] });
  });

  it('recomputes the score and flags the document value that disagrees', () => {
    expect(a?.severity[0]).toMatchObject({ baseScore: 9.8, statedScore: 9.1, scoreMismatch: true });
    expect(a?.warnings.join(' ')).toContain('stated base score 9.1 differs from computed 9.8');
  });

  it.each([
    [{ ...doc, document: { ...doc.document, csaf_version: '1.2' } }, '/document/csaf_version', 'not supported'],
    [{ ...doc, document: { ...doc.document, tracking: {} } }, '/document/tracking/id', 'required field is missing'],
    [{ ...doc, product_tree: { full_product_names: [{ product_id: 'A', name: 'a' }, { product_id: 'A', name: 'b' }] } }, '/product_tree/full_product_names/1/product_id', 'defined twice'],
    [{ ...doc, product_tree: { branches: [{ name: 'x' }] } }, '/product_tree/branches/0/category', 'required field is missing'],
    [{ ...doc, product_tree: { relationships: [{ category: 'installed_on', product_reference: 'X', relates_to_product_reference: 'Y', full_product_name: { product_id: 'Z', name: 'z' } }] } }, '/product_tree/relationships/0/full_product_name', 'unknown product "X"'],
  ])('rejects an invalid document at %#', (d, pointer, reason) => {
    const e = errorOf(d);
    expect(e.location?.pointer).toBe(pointer);
    expect(e.reason).toContain(reason);
  });

  it('bounds branch nesting depth', () => {
    let branch: Record<string, unknown> = { category: 'product_version', name: '1.0', product: { product_id: 'D', name: 'deep' } };
    for (let i = 0; i < 40; i++) branch = { category: 'product_family', name: `f${i}`, branches: [branch] };
    expect(errorOf({ ...doc, product_tree: { branches: [branch] } }).reason).toContain('nested deeper than 30');
  });

  it('throws nothing but AdvisoryParseError on random and mutated documents', () => {
    assertOnlyTypedErrors((s) => csafSource.parse(s, 'fuzz.json'), [JSON.stringify(doc)]);
  });
});
