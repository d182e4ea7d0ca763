import { describe, expect, it } from 'vitest';
import { dedupeScores, scoreVector, severityOf } from './cvss.js';

describe('CVSS scoring with ae-cvss-calculator', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8, 'CRITICAL'],
    ['CVSS:3.0/AV:A/AC:H/PR:H/UI:N/S:U/C:L/I:N/A:N', '3.0', 2, 'LOW'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0', 7.5, 'HIGH'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3, 'CRITICAL'],
  ])('scores %s', (vector, version, base, severity) => {
    expect(scoreVector(vector).score).toMatchObject({ version, vector, baseScore: base, baseSeverity: severity });
  });

  it('flags a stated score that disagrees with the vector', () => {
    const out = scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', { statedScore: 7.5, source: 'doc' });
    expect(out.score).toMatchObject({ statedScore: 7.5, scoreMismatch: true, source: 'doc' });
    expect(out.warning).toContain('differs from computed 9.8');
  });

  it('accepts a v3 vector without its prefix when the document states the version', () => {
    expect(scoreVector('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', { statedVersion: '3.1' }).score?.baseScore).toBe(9.8);
    expect(scoreVector('(AV:N/AC:L/Au:N/C:P/I:P/A:P)').score?.baseScore).toBe(7.5);
  });

  it.each(['', 'garbage', 'CVSS:3.1/AV:X/AC:L', 'CVSS:3.1/AV:N', 'CVSS:9.9/AV:N'])('warns instead of throwing on %j', (vector) => {
    const out = scoreVector(vector);
    expect(out.score).toBeUndefined();
    expect(out.warning).toBeDefined();
  });

  it('rates severities per CVSS version and dedupes identical scores', () => {
    expect(severityOf('2.0', 10)).toBe('HIGH');
    expect(severityOf('3.1', 0)).toBe('NONE');
    const s = scoreVector('AV:N/AC:L/Au:N/C:P/I:P/A:P').score!;
    expect(dedupeScores([s, { ...s }])).toHaveLength(1);
  });
});
