/**
 * @module The HTTP framework itself: security headers, request ids, problem+json for every
 * failure, 500s that hide internals, the health probe, TLS-dependent behaviour behind a
 * trusted proxy, and the static dashboard.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFullTestApp, seedRoleUsers, signIn, type TestApp } from './harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

function expectCommonHeaders(headers: Record<string, unknown>) {
  expect(headers).toMatchObject({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  });
  expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

describe('HTTP framework', () => {
  it('sends security headers and no-store on API responses, successes and errors alike', async () => {
    t = await buildFullTestApp();
    for (const res of [
      await t.app.inject({ method: 'GET', url: '/healthz' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/users' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
    ]) {
      expectCommonHeaders(res.headers);
      expect(res.headers['content-security-policy']).toBe(API_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('answers unknown routes with a problem+json 404, to everyone', async () => {
    t = await buildFullTestApp();
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/nothing/here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'urn:careguard:problem:route.not_found',
      title: 'Not Found',
      status: 404,
      detail: 'no route for DELETE /api/v1/nothing/here',
      code: 'route.not_found',
      instance: '/api/v1/nothing/here',
      requestId: res.headers['x-request-id'],
    });
  });

  it('hides internals of unexpected errors and logs them under the request id', async () => {
    t = await buildFullTestApp({
      routes: [
        (app) =>
          app.get('/api/v1/test/boom', { config: { permission: 'system:read' } }, async () => {
            throw new Error('connection string postgres://u:hunter2@db failed');
          }),
      ],
    });
    await seedRoleUsers(t);
    const s = await signIn(t.app, 'auditor');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/boom', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'internal', status: 500, title: 'Internal Server Error' });
    expect(res.body).not.toContain('hunter2');
    const line = t
      .logs()
      .split('\n')
      .find((l) => l.includes('unhandled error'));
    expect(line).toContain(res.headers['x-request-id'] as string);
  });

  it('reports the health of the database without revealing the failure', async () => {
    let healthy = true;
    t = await buildFullTestApp({
      checkDatabase: async () => {
        if (!healthy) throw new Error('database is gone');
      },
    });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    healthy = false;
    const down = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable' });
    expect(t.logs()).toContain('database is gone');
  });

  it('ignores a client-supplied request id unless a trusted proxy set it', async () => {
    t = await buildFullTestApp();
    const direct = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'forged-id-1234' } });
    expect(direct.headers['x-request-id']).not.toBe('forged-id-1234');
    await t.close();
    t = await buildFullTestApp({ trustProxy: true });
    const proxied = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'proxy-id-1234' } });
    expect(proxied.headers['x-request-id']).toBe('proxy-id-1234');
    const unsafe = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\r\nwith spaces' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends HSTS and a Secure session cookie over TLS behind a trusted proxy', async () => {
    t = await buildFullTestApp({ trustProxy: true });
    await seedRoleUsers(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'auditor', password: 'correct-horse-battery-staple-9' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.cookies.find((c) => c.name === 'cg_session')?.secure).toBe(true);
  });
});

describe('HTTPS', () => {
  it('serves TLS directly with HSTS and a Secure session cookie (bound to 127.0.0.1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const cert = readFileSync(join(dir, 'cert.pem'));
      t = await buildFullTestApp({ https: { cert, key: readFileSync(join(dir, 'key.pem')) } });
      await seedRoleUsers(t);
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const body = JSON.stringify({ username: 'auditor', password: 'correct-horse-battery-staple-9' });
      const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolveRes, reject) => {
        const req = request(`${address}/api/v1/auth/login`, { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } }, (r) => {
          r.resume();
          r.on('end', () => resolveRes({ status: r.statusCode ?? 0, headers: r.headers }));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(address.startsWith('https://127.0.0.1:')).toBe(true);
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(String(res.headers['set-cookie'])).toMatch(/cg_session=[^;]+;.*Secure/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dashboard', () => {
  let webRoot: string;
  beforeAll(() => {
    webRoot = mkdtempSync(join(tmpdir(), 'cg-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>CareGuard</title><div id="root"></div>');
    writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log("app")');
    writeFileSync(join(webRoot, '.env'), 'SECRET=1');
  });
  afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

  it('serves files and falls back to index.html for client-side routes, with the dashboard CSP', async () => {
    t = await buildFullTestApp({ webRoot });
    const index = await t.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>CareGuard</title>');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expectCommonHeaders(index.headers);
    const deep = await t.app.inject({ method: 'GET', url: '/devices/123?tab=risk' });
    expect(deep.body).toContain('<title>CareGuard</title>');
    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(asset.body).toBe('console.log("app")');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('never serves dotfiles or anything outside the web root, and keeps API 404s as problems', async () => {
    t = await buildFullTestApp({ webRoot });
    for (const url of ['/.env', '/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f.env']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('SECRET');
      expect(res.body, url).not.toContain('root:');
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/unknown' });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('route.not_found');
  });
});
