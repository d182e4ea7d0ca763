/**
 * @module The OpenAPI 3.1 document: served to authorized callers only, consistent with the
 * route table, and snapshot-tested (update with `npx vitest run test/e2e/api/openapi.test.ts -u`
 * after an intended API change, and review the diff).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../../src/api/app.js';
import { buildFullTestApp, seedRoleUsers, signIn, type TestApp } from './harness.js';

let t: TestApp;
let doc: { openapi: string; paths: Record<string, Record<string, { security?: unknown[]; 'x-required-permission'?: string; responses?: object }>> };

beforeAll(async () => {
  t = await buildFullTestApp();
  await seedRoleUsers(t);
  const s = await signIn(t.app, 'auditor');
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { cookie: s.cookie } });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await t?.close();
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and matches the reviewed snapshot', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(JSON.stringify(doc, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/openapi.json');
  });

  it('is not public, and needs system:read', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(401);
    const viewer = await signIn(t.app, 'clinician_viewer');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { cookie: viewer.cookie } })).statusCode).toBe(403);
  });

  it('documents every API route with the permission it needs, and public ones without security', () => {
    for (const route of registeredRoutes(t.app)) {
      if (route.method === 'HEAD' || route.url === '/api/v1/openapi.json') continue;
      const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      if (route.rule.kind === 'public') expect(op!.security).toEqual([]);
      if (route.rule.kind === 'permission') expect(op!['x-required-permission']).toBe(route.rule.permission);
      if (route.rule.kind === 'authenticated') expect(op!['x-required-permission']).toBe('authenticated');
      expect(Object.keys(op!.responses ?? {}).length).toBeGreaterThan(0);
    }
  });
});
