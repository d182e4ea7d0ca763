/** @module End-to-end tests of sign-in, lockout, per-address rate limiting, first-start bootstrap and log hygiene. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseToken } from '../../../src/auth/index.js';
import { fixedClock } from '../../../src/core/index.js';
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

describe('sign-in', () => {
  beforeEach(() => open());

  it('signs in with the right password and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await login('Auditor', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cg_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'auditor', role: 'auditor' });
    expect(body.user.permissions).toContain('audit:read');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a wrong password and an unknown name identically', async () => {
    const wrong = await login('auditor', 'not-the-password-at-all');
    const unknown = await login('nobody-here', 'not-the-password-at-all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: { requestId: string }) => ({ ...b, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().code).toBe('auth.invalid_credentials');
  });

  it('locks an account after 5 failures for 15 minutes, even for the right password, then lets it in', async () => {
    for (let i = 0; i < 5; i++) expect((await login('biomed_engineer', `wrong-password-${i}`)).statusCode).toBe(401);
    const locked = await login('biomed_engineer', TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('auth.account_locked');
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    clock.advance(minutes(14));
    expect((await login('biomed_engineer', TEST_PASSWORD)).statusCode).toBe(429);
    clock.advance(minutes(1));
    expect((await login('biomed_engineer', TEST_PASSWORD)).statusCode).toBe(200);
    expect(t.audit.events.filter((e) => e.action === 'auth.account_locked' && e.targetId === ids.biomed_engineer)).toHaveLength(1);
  });

  it('locks unknown names the same way, so lockout does not reveal which names exist', async () => {
    for (let i = 0; i < 5; i++) await login('ghost', `wrong-password-${i}`);
    expect((await login('ghost', 'anything-at-all')).json().code).toBe('auth.account_locked');
  });

  it('restarts the failure count after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) await login('auditor', `wrong-password-${i}`);
    expect((await login('auditor', TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('auditor', `wrong-password-${i}`)).statusCode).toBe(401);
    expect((await login('auditor', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('lets an admin lift a lockout early', async () => {
    for (let i = 0; i < 5; i++) await login('auditor', `wrong-password-${i}`);
    const admin = await signIn(t.app, 'admin');
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/users/${ids.auditor}`, headers: admin.headers });
    expect(detail.json().lockout.failures).toBe(5);
    const unlock = await t.app.inject({ method: 'POST', url: `/api/v1/users/${ids.auditor}/unlock`, headers: admin.headers });
    expect(unlock.statusCode).toBe(204);
    expect((await login('auditor', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('audits failed sign-ins of existing users without recording the attempted password', async () => {
    await login('auditor', 'hunter2-the-wrong-one');
    await login('not-a-user', 'hunter3-the-wrong-one');
    const failed = t.audit.events.filter((e) => e.action === 'auth.login_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ targetId: ids.auditor, details: { reason: 'bad_credentials', failures: 1 } });
    expect(JSON.stringify(t.audit.events)).not.toMatch(/hunter|not-a-user|correct-horse/);
  });
});

describe('per-address rate limiting', () => {
  beforeEach(() => open({ ipFailureLimit: 3 }));

  it('refuses an address after too many failures across names, while other addresses still sign in', async () => {
    for (const name of ['a1', 'a2', 'a3']) expect((await login(name, 'wrong-password-x', '10.9.9.9')).statusCode).toBe(401);
    const limited = await login('admin', TEST_PASSWORD, '10.9.9.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('auth.rate_limited');
    expect(Number(limited.headers['retry-after'])).toBe(15 * 60);
    expect((await login('admin', TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    clock.advance(minutes(15));
    expect((await login('admin', TEST_PASSWORD, '10.9.9.9')).statusCode).toBe(200);
  });
});

describe('first start', () => {
  it('creates the initial admin once with a random password that signs in', async () => {
    clock = fixedClock(START);
    t = await buildFullTestApp({ clock });
    const first = await t.services.users.ensureInitialAdmin();
    expect(first?.username).toBe('admin');
    expect(first!.password.length).toBeGreaterThanOrEqual(24);
    expect(await t.services.users.ensureInitialAdmin()).toBeNull();
    expect((await login('admin', first!.password)).statusCode).toBe(200);
    expect(JSON.stringify(t.audit.events)).not.toContain(first!.password);
  });
});

describe('logs', () => {
  beforeEach(() => open());

  it('never contain passwords, session ids, CSRF tokens or token secrets', async () => {
    const password = 'Pa55word-that-must-not-leak';
    const admin = await signIn(t.app, 'admin');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { username: 'leaky', role: 'admin', password } });
    expect(created.statusCode).toBe(201);
    await login('leaky', password);
    await login('leaky', `${password}-wrong`);
    const { secret } = (await createToken(admin, { name: 't', scopes: ['users:read'], expiresInDays: 1 })).json();
    await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(secret) });
    await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(`${secret}x`) });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"username":"leaky","password":"${password}"` });
    const logs = t.logs();
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain(created.headers['x-request-id']);
    for (const secretValue of [password, admin.cookie.split('=')[1]!, admin.csrf, secret, parseToken(secret)!.secret]) {
      expect(logs).not.toContain(secretValue);
    }
  });
});
