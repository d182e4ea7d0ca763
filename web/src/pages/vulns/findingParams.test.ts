import { describe, expect, it } from 'vitest';
import { activeFilterCount, readFindingParams, toFindingQuery, writeFindingParams } from './findingParams.js';

const read = (qs: string) => readFindingParams(new URLSearchParams(qs));

describe('findings list URL parameters', () => {
  it('defaults to open findings, highest risk first, 50 per page, no filters', () => {
    const p = read('');
    expect(p).toEqual({ status: 'open', triage: '', review: '', minRisk: undefined, q: '', productId: '', vulnerabilityId: '', sort: 'risk', limit: 50 });
    expect(activeFilterCount(p)).toBe(0);
  });

  it('ignores values the API does not accept: unknown status, triage, sort, risk outside 0..100, odd page size', () => {
    expect(read('status=gone&triage=maybe&review=perhaps&sort=name&minRisk=250&limit=7')).toMatchObject({ status: 'open', triage: '', review: '', sort: 'risk', minRisk: undefined, limit: 50 });
    expect(read('minRisk=abc').minRisk).toBeUndefined();
    expect(read('minRisk=-1').minRisk).toBeUndefined();
    expect(read('minRisk=0').minRisk).toBe(0);
  });

  it('round-trips through the URL and leaves defaults out', () => {
    const p = read('status=all&triage=untriaged&review=yes&minRisk=60&q=openssl&productId=prd_1&sort=lastSeen&limit=25');
    const written = writeFindingParams(p);
    expect(written).toEqual({ status: 'all', triage: 'untriaged', review: 'yes', minRisk: '60', q: 'openssl', productId: 'prd_1', vulnerabilityId: undefined, sort: 'lastSeen', limit: '25' });
    const again = new URLSearchParams(Object.entries(written).filter((e): e is [string, string] => Boolean(e[1])));
    expect(readFindingParams(again)).toEqual(p);
    expect(Object.values(writeFindingParams(read(''))).every((v) => v === undefined)).toBe(true);
  });

  it('maps to an API query: status all sends no status, review becomes needsReview, search is trimmed', () => {
    expect(toFindingQuery(read('status=all&review=no&q=%20cve-2024%20&minRisk=35'), 'c2')).toEqual({ sort: 'risk', limit: 50, cursor: 'c2', needsReview: false, q: 'cve-2024', minRisk: 35 });
    expect(toFindingQuery(read('triage=not_affected&vulnerabilityId=CVE-1'), undefined)).toEqual({ sort: 'risk', limit: 50, cursor: undefined, status: 'open', triage: 'not_affected', vulnerabilityId: 'CVE-1' });
  });

  it('counts filters but not the status tab or the search text', () => {
    expect(activeFilterCount(read('status=closed&q=x&triage=fixed&minRisk=80&productId=p'))).toBe(3);
  });
});
