/**
 * @module The permission matrix, enforced end to end: every registered route is called by an
 * anonymous caller, by each role (session cookie + CSRF token), by a scoped user token and by a
 * scoped machine token, and the answer is checked against the route's declared rule and
 * ROLE_PERMISSIONS. A new route without a rule cannot even start (buildApp throws).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../../src/api/app.js';
import type { RegisteredRoute } from '../../../src/api/framework/route-rules.js';
import { PERMISSIONS, ROLES, roleHas, type Permission, type Role } from '../../../src/auth/index.js';
import { systemActor } from '../../../src/core/index.js';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from './harness.js';

type Caller = { name: 'anonymous' } | { name: Role; role: Role } | { name: string; token: string; scopes: Permission[] };

// built at load time so every route gets its own test (and its own timeout)
const t: TestApp = await buildFullTestApp();
await seedRoleUsers(t);
const MACHINE_SCOPES: Permission[] = ['devices:read', 'alerts:create', 'tokens:write'];
// a biomed engineer's token holds only its scopes, whatever else the role has
const USER_TOKEN_SCOPES: Permission[] = ['devices:read', 'tokens:write'];
const admin = systemActor('test');
const biomed = (await t.services.users.list()).find((u) => u.role === 'biomed_engineer')!;
const callers: Caller[] = [
  { name: 'anonymous' },
  ...ROLES.map((role) => ({ name: role, role })),
  {
    name: 'machine token',
    token: (await t.services.tokens.create(admin, { kind: 'machine' }, { name: 'gateway', scopes: MACHINE_SCOPES, expiresInDays: 1 })).secret,
    scopes: MACHINE_SCOPES,
  },
  {
    name: 'user token',
    token: (await t.services.tokens.create(admin, { kind: 'user', userId: biomed.id }, { name: 'ci', scopes: USER_TOKEN_SCOPES, expiresInDays: 1 })).secret,
    scopes: USER_TOKEN_SCOPES,
  },
];
const routes: RegisteredRoute[] = [...registeredRoutes(t.app)];

afterAll(async () => {
  await t.close();
});

const PLACEHOLDER_ID = 'usr_00000000000000000000000000';
const concreteUrl = (url: string) => url.replace(/:[A-Za-z_]+/g, PLACEHOLDER_ID).replace(/\*$/, 'some/page');

function expectedAnswer(route: RegisteredRoute, caller: Caller): 'allowed' | 401 | 403 {
  const rule = route.rule;
  if (rule.kind === 'public') return 'allowed';
  if (caller.name === 'anonymous') return 401;
  if ('token' in caller && route.sessionOnly) return 403;
  if (rule.kind === 'authenticated') return 'allowed';
  if (rule.kind === 'none') return 403;
  const holds = 'role' in caller ? roleHas(caller.role, rule.permission) : 'scopes' in caller && caller.scopes.includes(rule.permission);
  return holds ? 'allowed' : 403;
}

/** One session per role, signed in again only after a route (logout) may have ended it. */
const sessions = new Map<Role, Session>();

async function call(route: RegisteredRoute, caller: Caller) {
  const headers: Record<string, string> = {};
  if ('role' in caller) {
    let session = sessions.get(caller.role);
    if (!session) sessions.set(caller.role, (session = await signIn(t.app, caller.role)));
    Object.assign(headers, session.headers);
    if (route.url === '/api/v1/auth/logout') sessions.delete(caller.role);
  }
  if ('token' in caller) headers.authorization = `Bearer ${caller.token}`;
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  return t.app.inject({ method: route.method as 'GET', url: concreteUrl(route.url), headers, ...(hasBody ? { payload: {} } : {}) });
}

describe('route permission matrix', () => {
  it('registers the auth, user, token, health and OpenAPI routes, each with a rule', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /healthz',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'GET /api/v1/auth/me',
      'POST /api/v1/auth/password',
      'GET /api/v1/users',
      'POST /api/v1/users',
      'PATCH /api/v1/users/:id',
      'GET /api/v1/tokens',
      'POST /api/v1/admin/tokens',
      'GET /api/v1/openapi.json',
      'GET /api/v1/netmon/captures/:id/packets',
    ]) {
      expect(keys).toContain(expected);
    }
    for (const r of routes.filter((x) => x.url.startsWith('/api/'))) expect(r.rule.kind, `${r.method} ${r.url}`).not.toBe('none');
  });

  it('allows public access only to the health probe and login', () => {
    const publicRoutes = routes.filter((r) => r.rule.kind === 'public').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual(['GET /healthz', 'HEAD /healthz', 'POST /api/v1/auth/login']);
  });

  it('gives the raw packets of captures only to the roles that see raw traffic', () => {
    const route = routes.find((r) => r.method === 'GET' && r.url === '/api/v1/netmon/captures/:id/packets');
    expect(route?.rule).toEqual({ kind: 'permission', permission: 'netmon:packets' });
    expect(ROLES.filter((r) => roleHas(r, 'netmon:packets'))).toEqual(['admin', 'security_analyst']);
  });

  it('names only permissions that exist', () => {
    for (const r of routes) if (r.rule.kind === 'permission') expect(PERMISSIONS).toContain(r.rule.permission);
  });

  it.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))('answers %s for every caller as the matrix says', async (_name, route) => {
    const mismatches: string[] = [];
    for (const caller of callers) {
      const expected = expectedAnswer(route, caller);
      const res = await call(route, caller);
      const ok = expected === 'allowed' ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === expected;
      if (!ok) mismatches.push(`as ${caller.name}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses to build an app with an /api route that has no authorization rule', async () => {
    await expect(
      buildFullTestApp({
        routes: [(app) => app.get('/api/v1/forgotten', async () => ({ leaked: true }))],
      }),
    ).rejects.toThrow(/GET \/api\/v1\/forgotten has no authorization rule/);
  });

  it('documents the same role/permission matrix the code enforces', () => {
    const doc = readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8');
    expect(doc).toContain(`| Permission | ${ROLES.join(' | ')} |`);
    for (const p of PERMISSIONS) {
      expect(doc).toContain(`| \`${p}\` | ${ROLES.map((r) => (roleHas(r, p) ? 'yes' : '-')).join(' | ')} |`);
    }
  });
});
