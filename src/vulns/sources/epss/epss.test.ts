import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { AdvisoryParseError } from '../common/errors.js';
import { assertOnlyTypedErrors } from '../testing/fuzz.js';
import { epssSource, parseEpssStream } from './index.js';

const feed = ['#model_version:v2023.03.01,score_date:2024-08-25T00:00:00+0000', 'cve,epss,percentile', 'CVE-2014-0160,0.97500,0.99990', 'CVE-2024-3094,0.05123,0.92000', ''].join('\n');

function errorOf(text: string): AdvisoryParseError {
  try {
    epssSource.parse(text, 'epss.csv');
  } catch (e) {
    if (e instanceof AdvisoryParseError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('EPSS source', () => {
  it('reads scores with the model version and date from the comment line', () => {
    const out = epssSource.parse(feed, 'epss.csv');
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ id: 'CVE-2014-0160', source: 'epss', epss: { score: 0.975, percentile: 0.9999, date: '2024-08-25', modelVersion: 'v2023.03.01' }, provenance: { pointer: 'line 3' } });
  });

  it('accepts a feed without the comment line but warns that the date is unknown', () => {
    const [a] = epssSource.parse('cve,epss,percentile\nCVE-2020-0001,0.1,0.5', 'e.csv');
    expect(a?.warnings).toEqual(['feed has no score_date comment line']);
  });

  it.each([
    ['cve,score\nCVE-2020-0001,0.1', 1, 'expected header'],
    ['cve,epss,percentile\nCVE-2020-0001,1.5,0.5', 2, 'not a probability'],
    ['cve,epss,percentile\nGHSA-x,0.1,0.5', 2, 'is not a CVE id'],
    ['cve,epss,percentile\nCVE-2020-0001,0.1', 2, 'expected 3 columns'],
    ['cve,epss,percentile\n#late comment', 2, 'comment line after the header'],
    ['#model_version:v1,score_date:never\ncve,epss,percentile', 1, 'is not a date'],
    ['', 1, 'no "cve,epss,percentile" header'],
  ])('rejects %j at line %i', (text, line, reason) => {
    const e = errorOf(text);
    expect(e.location).toEqual({ file: 'epss.csv', line });
    expect(e.reason).toContain(reason);
  });

  it('streams records line by line', async () => {
    const lines = createInterface({ input: Readable.from([feed]) });
    const cves: string[] = [];
    for await (const rec of parseEpssStream(lines, 'epss.csv')) cves.push(rec.cve);
    expect(cves).toEqual(['CVE-2014-0160', 'CVE-2024-3094']);
  });

  it('throws nothing but AdvisoryParseError on random and mutated input', () => {
    assertOnlyTypedErrors((s) => epssSource.parse(s, 'fuzz.csv'), [feed]);
  });
});
