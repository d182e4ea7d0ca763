import { describe, expect, it } from 'vitest';
import { selectCvss, vectorMetrics } from './cvss.js';
import { cvssEntry } from './testing.js';

describe('selectCvss', () => {
  it('returns undefined when there is no usable score', () => {
    expect(selectCvss(undefined)).toBeUndefined();
    expect(selectCvss([])).toBeUndefined();
    expect(selectCvss([{ ...cvssEntry('3.1', 5), baseScore: 11 }])).toBeUndefined();
  });

  it('reads attack vector, privileges and confidentiality from a v4.0 vector, counting subsequent-system impact', () => {
    const s = selectCvss([cvssEntry('4.0', 7.1, 'CVSS:4.0/AV:A/AC:L/AT:N/PR:L/UI:N/VC:N/VI:H/VA:H/SC:L/SI:N/SA:N')]);
    expect(s).toMatchObject({ version: '4.0', attackVector: 'A', privilegesRequired: 'L', confidentiality: 'low', legacy: false });
  });

  it('maps v2 authentication and confidentiality onto the v3 terms', () => {
    const s = selectCvss([cvssEntry('2.0', 6.5, 'AV:N/AC:L/Au:S/C:C/I:N/A:N')]);
    expect(s).toMatchObject({ attackVector: 'N', privilegesRequired: 'L', confidentiality: 'high', legacy: true });
  });

  it('parses a vector into metrics, keeping the first of a repeated key', () => {
    expect(vectorMetrics('CVSS:3.1/AV:N/AC:L/AV:P')).toEqual({ AV: 'N', AC: 'L' });
    expect(vectorMetrics('(AV:L/AC:H/Au:N)')).toEqual({ AV: 'L', AC: 'H', Au: 'N' });
  });
});
