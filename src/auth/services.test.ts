/**
 * @module Tests of the auth services over real storage (SQLite and PostgreSQL): bootstrap races,
 * audit atomicity, lockout shared between server instances, hash upgrades, write throttling.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AuditRecorder } from '../audit/index.js';
import { auditServiceFor } from '../audit/testing.js';
import { fixedClock, systemActor } from '../core/index.js';
import type { DatabaseHandle } from '../storage/index.js';
import { createAuthStore } from '../storage/repositories/auth.js';
import { describeEachEngine } from '../storage/testing/engines.js';
import { createAuthServices, parseToken, PasswordHasher, type AuthServices } from './index.js';

const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });
const admin = systemActor('test');
const PASSWORD = 'a-long-test-passphrase';

describeEachEngine('auth services', ({ open }) => {
  let h: DatabaseHandle;
  let clock: ReturnType<typeof fixedClock>;
  const services = (audit: AuditRecorder, extra: Partial<Parameters<typeof createAuthServices>[0]> = {}): AuthServices =>
    createAuthServices({ store: createAuthStore(h.db), audit, clock, hasher, ...extra });

  beforeEach(async () => {
    h = await open();
    clock = fixedClock('2025-06-02T08:00:00.000Z');
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates exactly one initial admin when two servers start at once', async () => {
    const log = auditServiceFor(h);
    const [a, b] = await Promise.all([services(log).users.ensureInitialAdmin(), services(log).users.ensureInitialAdmin()]);
    expect([a, b].filter((x) => x !== null)).toHaveLength(1);
    const users = await services(log).users.list();
    expect(users.map((u) => `${u.username}:${u.role}`)).toEqual(['admin:admin']);
  });

  it('writes the audit entry in the same transaction as the change, and rolls back both on failure', async () => {
    const log = auditServiceFor(h);
    const s = services(log);
    await s.users.create(admin, { username: 'alice', role: 'auditor', password: PASSWORD });
    expect(await log.treeSize()).toBe(1);
    const entry = (await log.list()).items[0]!;
    expect(entry).toMatchObject({ action: 'user.create', targetType: 'user' });
    expect(JSON.stringify(entry)).not.toMatch(/scrypt|passphrase/);

    const failing: AuditRecorder = {
      record: async (e, executor) => {
        await log.record(e, executor);
        throw new Error('audit store unavailable');
      },
    };
    const broken = services(failing);
    await expect(broken.users.create(admin, { username: 'bob', role: 'auditor', password: PASSWORD })).rejects.toThrow('audit store unavailable');
    await expect(broken.tokens.create(admin, { kind: 'machine' }, { name: 't', scopes: ['devices:read'], expiresInDays: 1 })).rejects.toThrow();
    expect((await s.users.list()).map((u) => u.username)).toEqual(['alice']);
    expect(await s.tokens.list()).toEqual([]);
    expect(await log.treeSize()).toBe(1);
  });

  it('shares the lockout between server instances using the same database', async () => {
    const log = auditServiceFor(h);
    const one = services(log);
    const two = services(log);
    await one.users.create(admin, { username: 'carol', role: 'auditor', password: PASSWORD });
    const attempts = [one, two, one, two, one].map((s, i) => s.auth.login({ username: 'carol', password: `wrong-${i}-passphrase`, ip: '10.0.0.5' }).catch((e: { code: string }) => e.code));
    expect(await Promise.all(attempts)).toEqual(Array(5).fill('auth.invalid_credentials'));
    await expect(two.auth.login({ username: 'carol', password: PASSWORD })).rejects.toMatchObject({ code: 'auth.account_locked', status: 429 });
  });

  it('upgrades a hash made with weaker parameters at the next successful sign-in', async () => {
    const log = auditServiceFor(h);
    await services(log).users.create(admin, { username: 'dave', role: 'auditor', password: PASSWORD });
    const stronger = services(log, { hasher: new PasswordHasher({ log2N: 11, r: 8, p: 1 }) });
    await stronger.auth.login({ username: 'dave', password: PASSWORD });
    const row = await h.db.selectFrom('auth_users').select('password_hash').where('username', '=', 'dave').executeTakeFirstOrThrow();
    expect(row.password_hash.startsWith('scrypt$11$8$1$')).toBe(true);
    expect((await stronger.auth.login({ username: 'dave', password: PASSWORD })).user.username).toBe('dave');
  });

  it('records session and token use at most once a minute', async () => {
    const log = auditServiceFor(h);
    const s = services(log);
    await s.users.create(admin, { username: 'erin', role: 'auditor', password: PASSWORD });
    const session = await s.auth.login({ username: 'erin', password: PASSWORD });
    const { secret, token } = await s.tokens.create(admin, { kind: 'machine' }, { name: 't', scopes: ['devices:read'], expiresInDays: 1 });
    const seen = async () =>
      (await h.db.selectFrom('auth_sessions').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at;
    const used = async () => (await s.tokens.list()).find((x) => x.id === token.id)!.lastUsedAt;

    await s.auth.authenticateBearer(secret);
    expect(await used()).toBe('2025-06-02T08:00:00.000Z');
    clock.advance(30_000);
    await s.auth.authenticateSession(session.sessionId);
    await s.auth.authenticateBearer(secret);
    expect(await seen()).toBe('2025-06-02T08:00:00.000Z');
    expect(await used()).toBe('2025-06-02T08:00:00.000Z');
    clock.advance(30_000);
    await s.auth.authenticateSession(session.sessionId);
    await s.auth.authenticateBearer(secret);
    expect(await seen()).toBe('2025-06-02T08:01:00.000Z');
    expect(await used()).toBe('2025-06-02T08:01:00.000Z');
  });

  it('keeps only hashes of session ids and token secrets in the database', async () => {
    const log = auditServiceFor(h);
    const s = services(log);
    await s.users.create(admin, { username: 'frank', role: 'auditor', password: PASSWORD });
    const session = await s.auth.login({ username: 'frank', password: PASSWORD });
    const { secret } = await s.tokens.create(admin, { kind: 'machine' }, { name: 't', scopes: ['devices:read'], expiresInDays: 1 });
    const dump = JSON.stringify([
      await h.db.selectFrom('auth_sessions').selectAll().execute(),
      await h.db.selectFrom('auth_tokens').selectAll().execute(),
      await h.db.selectFrom('auth_users').selectAll().execute(),
    ]);
    expect(dump).not.toContain(session.sessionId);
    // the secret part is base64url and may itself contain '_': take it as the token parser does
    const parts = parseToken(secret);
    expect(parts).not.toBeNull();
    expect(dump).not.toContain(parts!.secret);
    expect(dump).not.toContain(PASSWORD);
  });
});
