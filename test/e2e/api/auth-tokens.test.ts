/** @module End-to-end tests of API tokens: shown once, scoped, expiring, revocable, session-only management. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseToken } from '../../../src/auth/index.js';
import { fixedClock } from '../../../src/core/index.js';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from './harness.js';

const START = '2025-06-02T08:00:00.000Z';
let clock: ReturnType<typeof fixedClock>;
let t: TestApp;
let ids: Awaited<ReturnType<typeof seedRoleUsers>>;

async function open(policy = {}) {
  clock = fixedClock(START);
  t = await buildFullTestApp({ clock, policy });
  ids = await seedRoleUsers(t);
}
afterEach(async () => {
  await t?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createToken(session: Session, body: object, url = '/api/v1/tokens') {
  return t.app.inject({ method: 'POST', url, headers: session.headers, payload: body });
}

describe('API tokens', () => {
  beforeEach(() => open());

  it('shows the secret once, lists tokens without it, and authenticates with it', async () => {
    const s = await signIn(t.app, 'biomed_engineer');
    const res = await createToken(s, { name: 'cmms sync', scopes: ['devices:read', 'devices:import'], expiresInDays: 90 });
    expect(res.statusCode).toBe(201);
    const { token, secret } = res.json();
    expect(secret).toMatch(new RegExp(`^cg_${token.id}_[A-Za-z0-9_-]{43}$`));
    expect(token).toMatchObject({ name: 'cmms sync', kind: 'user', username: 'biomed_engineer', status: 'active', scopes: ['devices:import', 'devices:read'] });
    expect(token.expiresAt).toBe(new Date(Date.parse(START) + 90 * 86_400_000).toISOString());
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: s.cookie } });
    expect(list.body).not.toContain(parseToken(secret)!.secret);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([token.id]);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(secret) });
    expect(me.json()).toMatchObject({ kind: 'user_token', user: { username: 'biomed_engineer' }, permissions: ['devices:import', 'devices:read'] });
  });

  it('refuses scopes beyond the owner\'s own permissions', async () => {
    const s = await signIn(t.app, 'biomed_engineer');
    const res = await createToken(s, { name: 'x', scopes: ['devices:read', 'users:write'], expiresInDays: 1 });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toContain('users:write');
  });

  it('requires an expiry of 1 to 365 days', async () => {
    const s = await signIn(t.app, 'admin');
    for (const expiresInDays of [0, 366, 1.5]) {
      const res = await createToken(s, { name: 'x', scopes: ['devices:read'], expiresInDays });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].pointer).toBe('/expiresInDays');
    }
    expect((await createToken(s, { name: 'x', scopes: ['devices:read'] })).json().errors).toEqual([{ in: 'body', pointer: '/expiresInDays', detail: 'is required' }]);
  });

  it('enforces scopes: a token does only what its scopes allow', async () => {
    const admin = await signIn(t.app, 'admin');
    const { secret } = (await createToken(admin, { name: 'reader', scopes: ['users:read'], expiresInDays: 1 })).json();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(secret) })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(secret), payload: { username: 'zz', role: 'auditor' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('auth.forbidden');
  });

  it('narrows a user token when its owner is demoted', async () => {
    const analyst = await signIn(t.app, 'security_analyst');
    const { secret } = (await createToken(analyst, { name: 't', scopes: ['alerts:write', 'devices:read'], expiresInDays: 1 })).json();
    const admin = await signIn(t.app, 'admin');
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${ids.security_analyst}`, headers: admin.headers, payload: { role: 'clinician_viewer' } });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(secret) });
    expect(me.json().permissions).toEqual(['devices:read']);
  });

  it('stops a revoked token at once and hides other people\'s tokens from revocation', async () => {
    const analyst = await signIn(t.app, 'security_analyst');
    const { token, secret } = (await createToken(analyst, { name: 't', scopes: ['devices:read'], expiresInDays: 1 })).json();
    const biomed = await signIn(t.app, 'biomed_engineer');
    const foreign = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}`, headers: biomed.headers });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(secret) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}`, headers: analyst.headers })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(secret) });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('auth.token_revoked');
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: analyst.cookie } });
    expect(listed.json().items[0]).toMatchObject({ id: token.id, status: 'revoked' });
  });

  it('stops a token when it expires', async () => {
    const s = await signIn(t.app, 'admin');
    const { secret } = (await createToken(s, { name: 'short', scopes: ['users:read'], expiresInDays: 1 })).json();
    clock.advance(86_400_000 - 1000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(secret) })).statusCode).toBe(200);
    clock.advance(1000);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(secret) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.token_expired');
  });

  it('refuses malformed, unknown and tampered tokens alike', async () => {
    const s = await signIn(t.app, 'admin');
    const { secret } = (await createToken(s, { name: 't', scopes: ['users:read'], expiresInDays: 1 })).json();
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    for (const value of ['Bearer nonsense', `Bearer ${tampered}`, `Bearer cg_${'0'.repeat(26)}_${'a'.repeat(43)}`, 'Basic YWRtaW46YWRtaW4=']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: value, cookie: s.cookie } });
      expect(res.statusCode, value).toBe(401);
      expect(res.json().code).toBe('auth.invalid_token');
    }
  });

  it('lets only a signed-in session manage tokens, never a token', async () => {
    const admin = await signIn(t.app, 'admin');
    const { secret } = (await createToken(admin, { name: 'auto', scopes: ['tokens:write', 'users:write'], expiresInDays: 1 })).json();
    for (const url of ['/api/v1/tokens', '/api/v1/admin/tokens']) {
      const res = await t.app.inject({ method: 'POST', url, headers: bearer(secret), payload: { name: 'more', scopes: ['users:write'], expiresInDays: 365 } });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('auth.session_required');
    }
    expect((await t.services.tokens.list()).length).toBe(1);
  });

  it('lets an admin create machine tokens with any scopes and revoke anyone\'s token', async () => {
    const admin = await signIn(t.app, 'admin');
    const created = await createToken(admin, { name: 'pump gateway', scopes: ['alerts:create'], expiresInDays: 365 }, '/api/v1/admin/tokens');
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json();
    expect(token).toMatchObject({ kind: 'machine', userId: null, username: null });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(secret) });
    expect(me.json()).toMatchObject({ kind: 'machine_token', user: null, permissions: ['alerts:create'] });
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/admin/tokens', headers: { cookie: admin.cookie } });
    expect(all.json().items.map((i: { id: string }) => i.id)).toContain(token.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/tokens/${token.id}`, headers: admin.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(secret) })).statusCode).toBe(401);
    expect(t.audit.events.map((e) => e.action)).toEqual(expect.arrayContaining(['token.create', 'token.revoke']));
  });
});
