/** @module End-to-end tests of sessions: cookies, CSRF, logout, idle and absolute expiry, password change, disabled users. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, systemActor } from '../../../src/core/index.js';
import { buildFullTestApp, seedRoleUsers, signIn, TEST_PASSWORD, type Session, type TestApp } from './harness.js';

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

const login = (username: string, password: string, remoteAddress = '10.1.1.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const minutes = (n: number) => n * 60_000;

async function createToken(session: Session, body: object, url = '/api/v1/tokens') {
  return t.app.inject({ method: 'POST', url, headers: session.headers, payload: body });
}

describe('sessions and CSRF', () => {
  beforeEach(() => open());

  it('requires the CSRF token on a cookie-authenticated POST, and only the session\'s own', async () => {
    const admin = await signIn(t.app, 'admin');
    const other = await signIn(t.app, 'admin');
    const payload = { username: 'nurse1', role: 'clinician_viewer' };
    const without = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: admin.cookie }, payload });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('auth.csrf_failed');
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: admin.cookie, 'x-csrf-token': other.csrf }, payload });
    expect(foreign.statusCode).toBe(403);
    expect((await t.services.users.list()).some((u) => u.username === 'nurse1')).toBe(false);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload });
    expect(ok.statusCode).toBe(201);
  });

  it('does not require CSRF for safe methods or for bearer tokens', async () => {
    const admin = await signIn(t.app, 'admin');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
    const { secret } = await t.services.tokens.create(systemActor('test'), { kind: 'machine' }, { name: 'prov', scopes: ['users:write'], expiresInDays: 1 });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(secret), payload: { username: 'nurse2', role: 'clinician_viewer' } });
    expect(res.statusCode).toBe(201);
  });

  it('ends the session at logout and clears the cookie', async () => {
    const s = await signIn(t.app, 'auditor');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'cg_session')?.value).toBe('');
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('auth.session_expired');
  });

  it('ends a session after 30 idle minutes', async () => {
    const s = await signIn(t.app, 'auditor');
    clock.advance(minutes(29));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    clock.advance(minutes(29));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    clock.advance(minutes(31));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('ends a busy session after 12 hours', async () => {
    const s = await signIn(t.app, 'auditor');
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      clock.advance(minutes(20));
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    }
    clock.advance(minutes(20));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('changes the password after checking the current one, ending the other sessions only', async () => {
    const current = await signIn(t.app, 'biomed_engineer');
    const elsewhere = await signIn(t.app, 'biomed_engineer');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: current.headers,
      payload: { currentPassword: 'not-my-password', newPassword: 'a-brand-new-passphrase-7' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('auth.wrong_current_password');
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: current.headers, payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' } });
    expect(weak.json()).toMatchObject({ status: 400, code: 'user.weak_password', errors: [{ pointer: '/newPassword' }] });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: current.headers,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-passphrase-7' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: current.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: elsewhere.cookie } })).statusCode).toBe(401);
    expect((await login('biomed_engineer', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login('biomed_engineer', 'a-brand-new-passphrase-7')).statusCode).toBe(200);
  });

  it('signs a disabled user out everywhere and stops their tokens', async () => {
    const analyst = await signIn(t.app, 'security_analyst');
    const created = await createToken(analyst, { name: 'laptop', scopes: ['devices:read'], expiresInDays: 30 });
    const token = created.json().secret as string;
    const admin = await signIn(t.app, 'admin');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${ids.security_analyst}`, headers: admin.headers, payload: { disabled: true } });
    expect(patch.json().user.disabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: analyst.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    expect((await login('security_analyst', TEST_PASSWORD)).statusCode).toBe(401);
  });

  it('refuses to demote or disable the last enabled admin', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${ids.admin}`, headers: admin.headers, payload: { role: 'auditor' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('user.last_admin');
    expect((await t.services.users.get(ids.admin)).role).toBe('admin');
  });
});
