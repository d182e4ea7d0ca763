import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler, toQueryString } from './client.js';

interface Call {
  url: string;
  init: RequestInit;
}

function stubFetch(status: number, body: unknown, contentType = 'application/json', extraHeaders: Record<string, string> = {}): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': contentType, ...extraHeaders } });
  });
  return calls;
}

const header = (call: Call | undefined, name: string) => (call?.init.headers as Record<string, string> | undefined)?.[name];

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
  setUnauthenticatedHandler(undefined);
});

describe('toQueryString', () => {
  it('skips undefined and empty values and encodes the rest', () => {
    expect(toQueryString({ q: 'a b', category: '', cursor: undefined, limit: 50 })).toBe('?q=a+b&limit=50');
    expect(toQueryString({})).toBe('');
  });
});

describe('api client', () => {
  it('sends the CSRF token on POST but not on GET, always same-origin credentials', async () => {
    const calls = stubFetch(200, { items: [], total: 0 });
    setCsrfToken('tok-1');
    await api.listDevices({ q: 'pump' });
    await api.acknowledgeAlert('alr_1', 'looking');
    expect(calls[0]?.url).toBe('/api/v1/devices?q=pump');
    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(calls[1]?.init.method).toBe('POST');
    expect(header(calls[1], 'x-csrf-token')).toBe('tok-1');
    expect(calls[1]?.init.body).toBe(JSON.stringify({ note: 'looking' }));
  });

  it('turns a problem+json answer into an ApiError carrying its code, detail and Retry-After', async () => {
    stubFetch(429, { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down', code: 'auth.rate_limited' }, 'application/problem+json', { 'retry-after': '30' });
    const err = await api.login('admin', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'auth.rate_limited', message: 'slow down', retryAfter: 30 });
  });

  it('still yields an ApiError when the error body is not JSON', async () => {
    stubFetch(502, '<html>bad gateway</html>', 'text/html');
    await expect(api.deviceFacets()).rejects.toMatchObject({ status: 502, code: 'http.502', retryAfter: undefined });
  });

  it('calls the sign-out handler on 401 from a normal request, but not from login or the session probe', async () => {
    stubFetch(401, { status: 401, code: 'auth.unauthenticated', detail: 'authentication required' });
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    await expect(api.login('a', 'b')).rejects.toBeInstanceOf(ApiError);
    expect(handler).not.toHaveBeenCalled();
    await expect(api.getDevice('dev_1')).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('encodes path segments so an id cannot address another route', async () => {
    const calls = stubFetch(200, {});
    await api.getDevice('../auth/me');
    expect(calls[0]?.url).toBe('/api/v1/devices/..%2Fauth%2Fme');
  });
});
