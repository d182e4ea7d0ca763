import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contains, formatRange } from './range.js';
import { formatVers, parseVers, versToRange } from './vers.js';

describe('vers parsing', () => {
  it('parses, sorts and pairs bounds into intervals', () => {
    const r = parseVers('vers:npm/<5.0.0|>=2.0.0|1.2.3');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.constraints).toEqual([
      { op: '=', version: '1.2.3' },
      { op: '>=', version: '2.0.0' },
      { op: '<', version: '5.0.0' },
    ]);
    const range = versToRange(r.value);
    expect(formatRange(range)).toBe('1.2.3 | >= 2.0.0 and < 5.0.0');
    expect(contains(range, '3.0.0')).toBe('yes');
    expect(contains(range, '1.5.0')).toBe('no');
  });

  it('applies != exclusions to every interval', () => {
    const r = parseVers('vers:pypi/>=1.0|!=1.5|<2.0');
    if (!r.ok) throw new Error(r.error.message);
    const range = versToRange(r.value);
    expect(contains(range, '1.5')).toBe('no');
    expect(contains(range, '1.6')).toBe('yes');
  });

  it('ignores blanks and treats the star as all versions', () => {
    const r = parseVers(' vers:deb / * ');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.constraints).toBe('*');
    expect(contains(versToRange(r.value), '1:2.3-4')).toBe('yes');
  });

  it('reads vers:all/* as all and vers:none/* as nothing', () => {
    const all = parseVers('vers:all/*');
    const none = parseVers('vers:none/*');
    if (!all.ok || !none.ok) throw new Error('should parse');
    expect(versToRange(all.value).kind).toBe('all');
    expect(contains(versToRange(none.value), '1.0')).toBe('no');
  });

  it('decodes percent-quoted versions and quotes them back when formatting', () => {
    const r = parseVers('vers:generic/1.0%7C2');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.constraints).toEqual([{ op: '=', version: '1.0|2' }]);
    expect(formatVers('generic', r.value.constraints)).toBe('vers:generic/1.0%7C2');
  });

  it('keeps constraints of schemes it cannot order, in the written order', () => {
    const r = parseVers('vers:tomee/>=8.0.0-M1|<=8.0.1');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.scheme).toBeUndefined();
    expect(r.value.constraints).toHaveLength(2);
  });

  it.each([
    ['npm/1.0', 'missing "vers:" URI scheme'],
    ['VERS:npm/1.0', 'URI scheme must be "vers"'],
    ['vers:npm', 'missing "/"'],
    ['vers:NPM/1.0', 'must be non-empty lowercase'],
    ['vers:npm/', 'no version constraints'],
    ['vers:npm/||', 'no version constraints'],
    ['vers:npm/*|1.0', '"*" must be used alone'],
    ['vers:npm/>=', 'has no version'],
    ['vers:npm/1.0|1.0', 'occurs more than once'],
    ['vers:npm/>=1.0.0|>=2.0.0', 'bounds must alternate'],
    ['vers:npm/<1.0.0|<2.0.0', 'bounds must alternate'],
    ['vers:npm/1.0.0|banana', 'cannot be ordered'],
    ['vers:generic/%E0%A4%A', 'invalid percent-encoding'],
    ['vers:all/1.0', 'only allows "*"'],
  ])('rejects %j with a clear error', (input, message) => {
    const r = parseVers(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain(message);
      expect(r.error.offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('never throws on random or mutated input', () => {
    const seeds = ['vers:npm/>=1.0.0|<2.0.0', 'vers:deb/1:2.0-1', 'vers:pypi/*', 'vers:generic/1.0%7C2'];
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.nat(), fc.string({ maxLength: 4 }))
      .map(([s, i, ins]) => s.slice(0, i % (s.length + 1)) + ins + s.slice(i % (s.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mutated), (s) => {
        const r = parseVers(s);
        if (r.ok) versToRange(r.value);
      }),
      { numRuns: 2000 },
    );
  });
});
