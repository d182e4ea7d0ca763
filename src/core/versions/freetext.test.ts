import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFreeTextVersion, parseProductNameVersion } from './freetext.js';
import { contains, formatRange } from './range.js';

describe('free-text version ranges', () => {
  it.each([
    ['<= 2.6A', 'range', '<= 2.6A'],
    ['< 8.2.2', 'range', '< 8.2.2'],
    ['>= 4.01 | <= 4.34', 'range', '>= 4.01 and <= 4.34'],
    ['<= U61 |<= L81', 'range', '<= U61 | <= L81'],
    ['5.0|5.1', 'exact', '5.0 | 5.1'],
    ['All versions', 'range', 'all versions'],
    ['prior to 3.1', 'range', '< 3.1'],
    ['All versions prior to 2.2', 'range', '< 2.2'],
    ['versions 2.1 through 2.4', 'range', '>= 2.1 and <= 2.4'],
    ['v7.2 and earlier', 'range', '<= 7.2'],
    ['2.3.6 and  below', 'range', '<= 2.3.6'],
    ['2.0 and later', 'range', '>= 2.0'],
    ['4.X and 5.X', 'range', '>= 4 and < 5 | >= 5 and < 6'],
    ['5.x.x', 'range', '>= 5 and < 6'],
    ['(Release 1.3.2 1.4.0 1.4.1)', 'exact', '1.3.2 | 1.4.0 | 1.4.1'],
    ['4.20 | 4.20 SR1 | 4.30', 'exact', '4.20 | 4.20 SR1 | 4.30'],
    ['< 1.8.4 Service Pack 01', 'range', '< 1.8.4 Service Pack 01'],
    ['<= K', 'range', '<= K'],
    ['vers:generic/>=1.0|<2.0', 'range', '>= 1.0 and < 2.0'],
    ['vers:all/*', 'range', 'all versions'],
  ])('reads %j as %s %s', (text, classification, range) => {
    const r = parseFreeTextVersion(text);
    expect(r.classification).toBe(classification);
    expect(formatRange(r.range)).toBe(range);
  });

  it.each([
    ['distributed < april 1, 2018', 'date'],
    ['<May 2018', 'date-based bound'],
    ['<8/30/2024', 'date-based bound'],
    ['<= S4 A.07.107', 'is not a version'],
    ['Rev J-M', 'is not a version'],
    ['3002 S3 | 3005 S3', 'is not a version'],
    ['MMT-512 / MMT-712 Paradigm x12', 'is not a version'],
    ['Version A, Firmware A.03.09', 'is not a version'],
    ['vers:npm/>=1.0.0|>=2.0.0', 'invalid vers'],
  ])('keeps %j as free text marked for review (%s)', (text, note) => {
    const r = parseFreeTextVersion(text);
    expect(r.classification).toBe('free-text');
    expect(r.needsReview).toBe(true);
    expect(r.confidence).toBeLessThanOrEqual(0.2);
    expect(r.notes.join(' ')).toContain(note);
    expect(contains(r.range, '1.0')).toBe('unknown');
  });

  it('gives full confidence to operators on dotted versions and less to letter codes and ambiguous words', () => {
    expect(parseFreeTextVersion('< 8.2.2')).toMatchObject({ confidence: 1, needsReview: false });
    expect(parseFreeTextVersion('<= U61 |<= L81')).toMatchObject({ confidence: 0.75, needsReview: true });
    expect(parseFreeTextVersion('up to 7.6.2')).toMatchObject({ confidence: 0.6, needsReview: true });
    expect(parseFreeTextVersion('8')).toMatchObject({ classification: 'exact', confidence: 0.85 });
  });

  it('pairs a lower bound with the following upper bound into one interval', () => {
    const r = parseFreeTextVersion('>= 4.01 | <= 4.34').range;
    expect(contains(r, '4.20')).toBe('yes');
    expect(contains(r, '4.35')).toBe('no');
    expect(contains(r, '3.99')).toBe('no');
  });

  it('keeps separate product lines as separate groups', () => {
    const r = parseFreeTextVersion('<= U61 |<= L81').range;
    expect(contains(r, 'L80')).toBe('yes');
    expect(contains(r, 'L82')).toBe('no');
    expect(contains(r, '2.0')).toBe('unknown');
  });

  it('reads versions out of a product name with reduced confidence', () => {
    const r = parseProductNameVersion('PerformA: Version 2.0.14.0 and prior versions');
    expect(formatRange(r.range)).toBe('<= 2.0.14.0');
    expect(r.confidence).toBeLessThan(0.8);
    expect(r.needsReview).toBe(true);
    expect(parseProductNameVersion('Accu-Chek Inform II').classification).toBe('free-text');
  });

  it('refuses oversized input without parsing it', () => {
    const r = parseFreeTextVersion(`<= ${'1.'.repeat(400)}0`);
    expect(r).toMatchObject({ classification: 'free-text', confidence: 0 });
  });

  it('never throws, and always returns a coherent result, on random or mutated text', () => {
    const seeds = ['<= 2.6A', '>= 4.01 | <= 4.34', 'versions 2.1 through 2.4', 'v7.2 and earlier', '4.X and 5.X', 'vers:npm/>=1.0.0|<2.0.0'];
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.nat(), fc.string({ maxLength: 4 }))
      .map(([s, i, ins]) => s.slice(0, i % (s.length + 1)) + ins + s.slice(i % (s.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mutated), fc.string({ maxLength: 8 }), (s, probe) => {
        const r = parseFreeTextVersion(s);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        expect(r.needsReview || r.classification !== 'free-text').toBe(true);
        expect(['yes', 'no', 'unknown']).toContain(contains(r.range, probe));
        parseProductNameVersion(s);
      }),
      { numRuns: 2000 },
    );
  });
});
