import { describe, expect, it } from 'vitest';
import { matchAdvisory } from './match.js';
import { csaf, csafTree, product, target } from './testing.js';

const pump = (version: string, extra: { id?: string } = {}) => product('Acme Medical', 'PumpOS', version, extra);

describe('CSAF product_status categories', () => {
  const versions: Array<[string, string]> = [
    ['1.0', 'P1'], ['2.0', 'P2'], ['3.0', 'P3'], ['4.0', 'P4'], ['5.0', 'P5'], ['6.0', 'P6'], ['7.0', 'P7'], ['8.0', 'P8'],
  ];
  const a = csaf(csafTree('Acme Medical', 'PumpOS', versions), {
    known_affected: ['P1'], first_affected: ['P2'], last_affected: ['P3'], known_not_affected: ['P4'],
    fixed: ['P5'], first_fixed: ['P6'], recommended: ['P7'], under_investigation: ['P8'],
  });
  const statusAt = (v: string) => {
    const [m, ...rest] = matchAdvisory(a, [pump(v)]);
    expect(rest).toEqual([]);
    return m && [m.status, m.advisoryStatus];
  };

  it.each([
    ['1.0', 'affected', 'known_affected'],
    ['2.0', 'affected', 'first_affected'],
    ['3.0', 'affected', 'last_affected'],
    ['4.0', 'not_affected', 'known_not_affected'],
    ['5.0', 'fixed', 'fixed'],
    ['6.0', 'fixed', 'first_fixed'],
    ['7.0', 'fixed', 'recommended'],
    ['8.0', 'under_investigation', 'under_investigation'],
  ])('a product on %s is reported %s (%s)', (v, status, advisoryStatus) => {
    expect(statusAt(v)).toEqual([status, advisoryStatus]);
  });

  it('reads first_* and last_affected as open ranges and prefers the closest bound', () => {
    expect(statusAt('0.5')).toEqual(['affected', 'last_affected']);
    expect(statusAt('6.5')).toEqual(['fixed', 'first_fixed']);
    const [m] = matchAdvisory(a, [pump('6.5')]);
    expect(m?.evidence.explanation).toContain('CSAF first_fixed 6.0 read as >= 6.0');
  });
});

describe('CSAF free-text version ranges as written in medical advisories', () => {
  const single = (text: string) => csaf(csafTree('Acme Medical', 'PumpOS', [[text, 'P1']]), { known_affected: ['P1'] });
  const at = (text: string, v: string) => matchAdvisory(single(text), [pump(v)]);

  it.each([
    ['<= 2.6A', '2.6', true], ['<= 2.6A', '2.6A', true], ['<= 2.6A', '2.6B', false], ['<= 2.6A', '2.7', false],
    ['>= 4.01 | <= 4.34', '4.1', true], ['>= 4.01 | <= 4.34', '4.34', true], ['>= 4.01 | <= 4.34', '4.35', false], ['>= 4.01 | <= 4.34', '4.0', false],
    ['< 8.2.2', '8.2.1', true], ['< 8.2.2', '8.2.2', false],
    ['<= U61 |<= L81', 'U60', true], ['<= U61 |<= L81', 'L90', false],
  ])('"%s" for version %s: match = %s', (text, v, expected) => {
    const ms = at(text, v);
    expect(ms.length > 0).toBe(expected);
    if (expected) expect(ms[0]).toMatchObject({ status: 'affected', rule: 'vendor-product' });
  });

  it('well-formed numeric ranges are confident; letter product lines keep the normalizer\'s review flag', () => {
    expect(at('< 8.2.2', '8.2.1')[0]).toMatchObject({ confidence: 0.9, needsReview: false });
    const [lines] = at('<= U61 |<= L81', 'U60');
    expect(lines?.needsReview).toBe(single('<= U61 |<= L81').affected[0]?.needsReview);
  });

  it('a version the free text cannot order is matched for review at low confidence, never silently', () => {
    const [m] = at('<= U61 |<= L81', '3.0');
    expect(m).toMatchObject({ needsReview: true, status: 'affected' });
    expect(m!.confidence).toBeLessThanOrEqual(0.4);
  });

  it('ungrammatical free text ("Rev J-M") is matched for review, showing the text as written', () => {
    const [m] = at('Rev J-M', 'K');
    expect(m).toMatchObject({ needsReview: true });
    expect(m!.confidence).toBeLessThanOrEqual(0.2);
    expect(m?.evidence.advisoryValue).toContain('Rev J-M');
    expect(m?.evidence.explanation).toContain('cannot be evaluated');
  });

  it('a product without a version is matched for review', () => {
    const [m] = at('< 8.2.2', '');
    expect(m).toMatchObject({ needsReview: true, confidence: 0.3 });
  });

  it('shows the fixed product version of the same product as the fix', () => {
    const a = csaf(csafTree('Acme Medical', 'PumpOS', [['< 2.6A', 'P1'], ['2.6A', 'P2']]), { known_affected: ['P1'], fixed: ['P2'] });
    const [m] = matchAdvisory(a, [pump('2.5')]);
    expect(m).toMatchObject({ status: 'affected', fixedVersions: ['2.6A'] });
    expect(matchAdvisory(a, [pump('2.6A')])[0]).toMatchObject({ status: 'fixed' });
  });
});

describe('CSAF product_identification_helper', () => {
  it('purl helper with a vers: range (csaf-purl)', () => {
    const a = csaf(csafTree('Acme', 'acme-lib', [['vers:npm/>=1.0.0|<1.4.2', 'P1', { purl: 'pkg:npm/acme-lib' }]]), { known_affected: ['P1'] });
    expect(matchAdvisory(a, [target({ name: 'acme-lib', version: '1.4.1', purl: 'pkg:npm/acme-lib@1.4.1' })])[0]).toMatchObject({ rule: 'csaf-purl', confidence: 1, status: 'affected' });
    expect(matchAdvisory(a, [target({ name: 'acme-lib', version: '1.4.2', purl: 'pkg:npm/acme-lib@1.4.2' })])).toEqual([]);
    expect(matchAdvisory(a, [target({ name: 'acme-lib', version: '1.4.1', purl: 'pkg:pypi/acme-lib@1.4.1' })])).toEqual([]);
  });

  it('CPE helper (csaf-cpe) takes the version from the product branch', () => {
    const a = csaf(csafTree('Acme', 'PumpOS', [['< 3.1', 'P1', { cpe: 'cpe:2.3:o:acme:pumpos:*:*:*:*:*:*:*:*' }]]), { known_affected: ['P1'] });
    expect(matchAdvisory(a, [target({ name: 'pump firmware', version: '3.0', cpes: ['cpe:2.3:o:acme:pumpos:3.0:*:*:*:*:*:*:*'] })])[0]).toMatchObject({ rule: 'csaf-cpe', confidence: 0.95 });
  });

  it('file hashes match exactly, whatever the version or algorithm spelling', () => {
    const hash = 'ab'.repeat(32);
    const a = csaf(csafTree('Acme', 'PumpOS', [['2.0', 'P1', { hashes: [{ filename: 'fw.bin', file_hashes: [{ algorithm: 'sha256', value: hash }] }] }]]), { known_affected: ['P1'] });
    const [m] = matchAdvisory(a, [target({ name: 'fw.bin', hashes: [{ alg: 'SHA-256', value: hash }], flags: [] })]);
    expect(m).toMatchObject({ rule: 'csaf-hash', confidence: 1, needsReview: false, evidence: { componentField: 'hash' } });
    expect(matchAdvisory(a, [target({ name: 'fw.bin', hashes: [{ alg: 'SHA-256', value: 'cd'.repeat(32) }], flags: [] })])).toEqual([]);
  });

  it('relationships: a component installed on a platform needs that platform in the product', () => {
    const tree = {
      ...csafTree('Acme', 'PumpOS', [['2.0', 'P1']]),
      full_product_names: [{ product_id: 'GW', name: 'Acme Gateway', product_identification_helper: { cpe: 'cpe:2.3:h:acme:gateway:-:*:*:*:*:*:*:*' } }],
      relationships: [{ category: 'installed_on', product_reference: 'P1', relates_to_product_reference: 'GW', full_product_name: { product_id: 'P1-ON-GW', name: 'PumpOS 2.0 on Gateway' } }],
    };
    const a = csaf(tree, { known_affected: ['P1-ON-GW'] });
    const os = target({ name: 'PumpOS', version: '2.0', supplier: 'Acme' }, 'with-gw');
    const gw = target({ name: 'Gateway', cpes: ['cpe:2.3:h:acme:gateway:-:*:*:*:*:*:*:*'] }, 'with-gw');
    expect(matchAdvisory(a, [os, gw]).find((m) => m.componentRef === os.componentRef)).toMatchObject({ needsReview: false, confidence: 0.9 });
    const alone = target({ name: 'PumpOS', version: '2.0', supplier: 'Acme' }, 'no-gw');
    expect(matchAdvisory(a, [alone])[0]).toMatchObject({ needsReview: true, confidence: 0.45 });
  });
});

describe('vendor and product names (device products)', () => {
  const a = csaf(csafTree('Philips', 'IntelliVue MX40 Patient Worn Monitor (WLAN only)', [['< B.06.18', 'P1']]), { known_affected: ['P1'] });

  it('an inventory name worded differently matches for review, with the reason', () => {
    const [m] = matchAdvisory(a, [product('Philips Healthcare', 'IntelliVue MX40', 'B.06.17')]);
    expect(m).toMatchObject({ status: 'affected', needsReview: true, rule: 'vendor-product' });
    expect(m?.evidence.explanation).toContain('every identifying word of one occurs in the other');
  });

  it('another vendor or another product line does not match', () => {
    expect(matchAdvisory(a, [product('GE Healthcare', 'IntelliVue MX40', 'B.06.17')])).toEqual([]);
    expect(matchAdvisory(a, [product('Philips', 'IntelliVue MX800', 'B.06.17')])).toEqual([]);
  });

  it('SBOM components match device names only exactly (supplier + name), never fuzzily', () => {
    expect(matchAdvisory(a, [target({ name: 'IntelliVue MX40', version: 'B.06.17', supplier: 'Philips' })])).toEqual([]);
  });

  it('an advisory naming several vendors matches each, for review', () => {
    const multi = csaf(csafTree('Hillrom and ELI, Baxter International Inc.', 'Welch Allyn ELI 380 Resting Electrocardiograph', [['<= 2.6.0', 'P1']]), { known_affected: ['P1'] });
    const [m] = matchAdvisory(multi, [product('Baxter', 'Welch Allyn ELI 380 Resting Electrocardiograph', '2.5.0')]);
    expect(m).toMatchObject({ status: 'affected', needsReview: true });
  });
});
