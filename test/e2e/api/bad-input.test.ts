/**
 * @module Hostile and malformed requests: each gets a clear problem+json error naming what and
 * where, and none changes stored data (users and sessions are counted before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from './harness.js';

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await buildFullTestApp();
  await seedRoleUsers(t);
  admin = await signIn(t.app, 'admin');
});
afterAll(async () => {
  await t?.close();
});

async function snapshot() {
  const users = await t.services.users.list();
  const sessions = await t.db.db.selectFrom('auth_sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { users: users.map((u) => `${u.username}:${u.role}:${u.displayName}:${u.disabled}`), sessions: Number(sessions.n) };
}

async function expectUnchanged(run: () => Promise<void>) {
  const before = await snapshot();
  await run();
  expect(await snapshot()).toEqual(before);
}

const createUser = (payload: string | object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...admin.headers, ...headers }, payload });

describe('bad input', () => {
  it('answers malformed JSON with 400 request.malformed_json naming line, column and byte', async () => {
    await expectUnchanged(async () => {
      const res = await createUser('{\n  "username": "mallory",\n  "role": admin\n}', { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        type: 'urn:careguard:problem:request.malformed_json',
        code: 'request.malformed_json',
        status: 400,
        instance: '/api/v1/users',
        location: { line: 3, column: 11, byteOffset: 37 },
      });
      expect(res.json().detail).toContain('line 3 column 11');
      expect(res.json().requestId).toBe(res.headers['x-request-id']);
    });
  });

  it('answers a body over the limit with 413 request.too_large', async () => {
    await expectUnchanged(async () => {
      const res = await createUser({ username: 'big', role: 'auditor', displayName: 'x'.repeat(1024 * 1024) });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('request.too_large');
    });
  });

  it('honours a smaller configured body limit', async () => {
    const small = await buildFullTestApp({ bodyLimit: 64 });
    try {
      await seedRoleUsers(small);
      const res = await small.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'p'.repeat(100) } });
      expect(res.statusCode).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('answers wrong types with 400 request.invalid listing each field by JSON pointer, without coercing', async () => {
    await expectUnchanged(async () => {
      const res = await createUser({ username: 12345, role: ['admin'], displayName: true, password: null });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('request.invalid');
      expect(res.json().errors).toEqual([
        { in: 'body', pointer: '/username', detail: 'must be string' },
        { in: 'body', pointer: '/role', detail: 'must be one of: "admin", "security_analyst", "biomed_engineer", "clinician_viewer", "auditor"' },
        { in: 'body', pointer: '/displayName', detail: 'must be string' },
        { in: 'body', pointer: '/password', detail: 'must be string' },
      ]);
      const asNumber = await t.app.inject({ method: 'PATCH', url: '/api/v1/users/usr_X', headers: admin.headers, payload: { disabled: 'true' } });
      expect(asNumber.json().errors).toEqual([{ in: 'body', pointer: '/disabled', detail: 'must be boolean' }]);
    });
  });

  it('rejects unknown fields instead of dropping them', async () => {
    await expectUnchanged(async () => {
      const res = await createUser({ username: 'eve', role: 'auditor', isAdmin: true, 'a/b~c': 1 });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        { in: 'body', pointer: '/isAdmin', detail: 'is not an allowed field' },
        { in: 'body', pointer: '/a~1b~0c', detail: 'is not an allowed field' },
      ]);
    });
  });

  it('names missing fields and an empty PATCH', async () => {
    await expectUnchanged(async () => {
      expect((await createUser({ role: 'auditor' })).json().errors).toEqual([{ in: 'body', pointer: '/username', detail: 'is required' }]);
      const empty = await t.app.inject({ method: 'PATCH', url: '/api/v1/users/usr_X', headers: admin.headers, payload: {} });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().errors[0].pointer).toBe('');
    });
  });

  it('treats SQL metacharacters as plain characters: a bad username is refused, data stays intact', async () => {
    await expectUnchanged(async () => {
      for (const username of ["admin'--", "x'; DROP TABLE auth_users;--", 'a" OR "1"="1', 'bob\u0000']) {
        const res = await createUser({ username, role: 'auditor' });
        expect(res.statusCode, username).toBe(400);
        expect(res.json()).toMatchObject({ code: 'user.invalid_username', errors: [{ pointer: '/username' }] });
      }
      for (const username of ["admin' OR '1'='1", "admin'--", "' UNION SELECT password_hash FROM auth_users--"]) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: "' OR '1'='1" }, remoteAddress: '10.3.3.3' });
        expect(res.statusCode, username).toBe(401);
        expect(res.json().code).toBe('auth.invalid_credentials');
      }
    });
  });

  it('stores SQL metacharacters in free text verbatim', async () => {
    const displayName = "Robert'); DROP TABLE auth_users;-- \"quoted\" 100% _under_";
    const res = await createUser({ username: 'bobby', role: 'auditor', displayName });
    expect(res.statusCode).toBe(201);
    expect((await t.services.users.get(res.json().user.id)).displayName).toBe(displayName);
    expect((await t.services.users.list()).length).toBe(6);
  });

  it('survives deeply nested bodies, valid or truncated', async () => {
    await expectUnchanged(async () => {
      const deep = '['.repeat(400_000) + ']'.repeat(400_000);
      const valid = await createUser(deep, { 'content-type': 'application/json' });
      expect(valid.statusCode).toBe(400);
      expect(valid.json()).toMatchObject({ code: 'request.invalid', errors: [{ pointer: '', detail: 'must be object' }] });
      const truncated = await createUser(deep.slice(0, -1), { 'content-type': 'application/json' });
      expect(truncated.statusCode).toBe(400);
      expect(truncated.json()).toMatchObject({ code: 'request.malformed_json', location: { byteOffset: 799_999 } });
    });
  });

  it('refuses a prototype-pollution key', async () => {
    await expectUnchanged(async () => {
      const res = await createUser('{"username":"proto","role":"auditor","__proto__":{"role":"admin"}}', { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('request.forbidden_property');
    });
  });

  it('answers other media types with 415 and an empty JSON body with 400', async () => {
    await expectUnchanged(async () => {
      const text = await createUser('username=x&role=admin', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(text.statusCode).toBe(415);
      expect(text.json().code).toBe('request.unsupported_media_type');
      const plain = await createUser('{"username":"x","role":"admin"}', { 'content-type': 'text/plain' });
      expect(plain.statusCode).toBe(415);
      const empty = await createUser('', { 'content-type': 'application/json' });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().code).toBe('request.empty_body');
    });
  });

  it('validates path parameters', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/users/${encodeURIComponent("1' OR '1'='1")}`, headers: admin.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ in: 'params', pointer: '/id' });
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/users/usr_00000000000000000000000000', headers: admin.headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('user.not_found');
  });

  it('checks authentication before the body, so strangers learn nothing about schemas', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: '{not json', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.unauthenticated');
  });
});
