import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from './client.js';
import { vexExportHref, vulnsApi } from './vulns.js';

interface Call {
  url: string;
  init: RequestInit;
}

function stubFetch(body: unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
});

describe('vulnerability API client', () => {
  it('sends findings filters as query parameters, needsReview as true/false, and skips unset ones', async () => {
    const calls = stubFetch({ items: [], total: 0 });
    await vulnsApi.listFindings({ status: 'open', triage: 'untriaged', needsReview: false, minRisk: 60, q: 'open ssl', sort: 'risk', limit: 50, cursor: undefined });
    expect(calls[0]?.url).toBe('/api/v1/findings?status=open&triage=untriaged&needsReview=false&minRisk=60&q=open+ssl&sort=risk&limit=50');
    await vulnsApi.listFindings({});
    expect(calls[1]?.url).toBe('/api/v1/findings');
  });

  it('posts triage with the CSRF token to the encoded finding path', async () => {
    const calls = stubFetch({ updated: [] });
    setCsrfToken('tok');
    await vulnsApi.triageFinding('fnd/1', { state: 'not_affected', justification: 'code_not_present' });
    expect(calls[0]?.url).toBe('/api/v1/findings/fnd%2F1/triage');
    expect(calls[0]?.init.method).toBe('POST');
    expect((calls[0]?.init.headers as Record<string, string>)['x-csrf-token']).toBe('tok');
    expect(calls[0]?.init.body).toBe(JSON.stringify({ state: 'not_affected', justification: 'code_not_present' }));
  });

  it('addresses products, SBOMs, portfolio and rollups', async () => {
    const calls = stubFetch({});
    await vulnsApi.listProducts({ q: 'Plum A+', limit: 100 });
    await vulnsApi.getProduct('prd_1');
    await vulnsApi.getSbom('../auth/me');
    await vulnsApi.portfolio(10);
    await vulnsApi.rollups('unit', undefined);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/products?q=Plum+A%2B&limit=100',
      '/api/v1/products/prd_1',
      '/api/v1/sboms/..%2Fauth%2Fme',
      '/api/v1/risk/portfolio?top=10',
      '/api/v1/risk/rollups?by=unit',
    ]);
  });

  it('builds VEX download links per format', () => {
    expect(vexExportHref('prd_1', 'cyclonedx')).toBe('/api/v1/products/prd_1/vex?format=cyclonedx');
    expect(vexExportHref('a b', 'openvex')).toBe('/api/v1/products/a%20b/vex?format=openvex');
  });
});
