import { describe, expect, it } from 'vitest';
import { allVersions, classifyRange, classifyRanges, constraintsRange, contains, evaluate, exactVersions, formatRange, freeTextRange } from './range.js';

describe('version range containment', () => {
  const interval = constraintsRange('semver', [[{ op: '>=', version: '1.0.0' }, { op: '<', version: '2.0.0' }]]);

  it('answers yes inside a half-open interval and no at its excluded end', () => {
    expect(contains(interval, '1.5.0')).toBe('yes');
    expect(contains(interval, '1.0.0')).toBe('yes');
    expect(contains(interval, '2.0.0')).toBe('no');
    expect(contains(interval, '0.9.9')).toBe('no');
  });

  it('answers unknown for a version the scheme cannot parse', () => {
    expect(contains(interval, 'banana')).toBe('unknown');
  });

  it('explains which group decided', () => {
    const r = constraintsRange('generic', [[{ op: '=', version: '1.0' }], [{ op: '>=', version: '3.0' }]]);
    const e = evaluate(r, '3.1');
    expect(e).toMatchObject({ result: 'yes', group: 1 });
    expect(e.reason).toContain('>= 3.0');
    expect(evaluate(r, '2.0').reason).toMatch(/does not satisfy/);
  });

  it('skips groups on another product line and says no when an applicable group excludes the version', () => {
    const lines = constraintsRange('generic', [[{ op: '<=', version: 'U61' }], [{ op: '<=', version: 'L81' }]]);
    expect(contains(lines, 'L50')).toBe('yes');
    expect(contains(lines, 'L90')).toBe('no');
    expect(contains(lines, 'U62')).toBe('no');
    expect(contains(lines, '3.0')).toBe('unknown');
  });

  it('treats all-versions as yes, free text as unknown and an empty range as no', () => {
    expect(contains(allVersions('generic'), 'anything')).toBe('yes');
    expect(evaluate(freeTextRange('generic', 'Rev J-M'), '1.0')).toMatchObject({ result: 'unknown' });
    expect(contains(constraintsRange('generic', []), '1.0')).toBe('no');
  });

  it('treats an empty tested version as unknown', () => {
    expect(contains(allVersions('generic'), '  ')).toBe('unknown');
  });

  it('classifies exact lists, ranges and free text', () => {
    expect(classifyRange(exactVersions('generic', ['1.0', '2.0']))).toBe('exact');
    expect(classifyRange(interval)).toBe('range');
    expect(classifyRange(allVersions('generic'))).toBe('range');
    expect(classifyRange(freeTextRange('generic', 'x'))).toBe('free-text');
    expect(classifyRanges([exactVersions('generic', ['1']), interval])).toBe('range');
    expect(classifyRanges([])).toBe('free-text');
  });

  it('formats ranges for people', () => {
    expect(formatRange(interval)).toBe('>= 1.0.0 and < 2.0.0');
    expect(formatRange(exactVersions('generic', ['1.0', '2.0']))).toBe('1.0 | 2.0');
  });
});
