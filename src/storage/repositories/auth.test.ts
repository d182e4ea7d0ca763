/** @module Contract tests of the auth repositories, run against SQLite and PostgreSQL. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ApiTokenRecord, AuthStore, SessionRecord, UserRecord } from '../../auth/index.js';
import { isDomainError, newId } from '../../core/index.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createAuthStore } from './auth.js';

const T0 = '2025-03-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function user(username: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: newId('usr'),
    username,
    displayName: username.toUpperCase(),
    role: 'biomed_engineer',
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
    passwordChangedAt: T0,
    lastLoginAt: null,
    passwordHash: 'scrypt$10$8$1$c2FsdHNhbHQ$aGFzaA',
    ...overrides,
  };
}

const session = (userId: string, idHash: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  idHash,
  userId,
  createdAt: T0,
  lastSeenAt: T0,
  expiresAt: at(600),
  ip: '10.0.0.1',
  userAgent: 'test',
  ...overrides,
});

const token = (userId: string | null, overrides: Partial<ApiTokenRecord> = {}): ApiTokenRecord => ({
  id: newId(),
  name: 'ci',
  userId,
  scopes: ['devices:read', 'alerts:read'],
  createdAt: T0,
  createdBy: 'user:x',
  expiresAt: at(60 * 24),
  lastUsedAt: null,
  revokedAt: null,
  secretHash: 'ab'.repeat(32),
  ...overrides,
});

describeEachEngine('auth repositories', ({ open }) => {
  let handle: DatabaseHandle;
  let store: AuthStore;
  beforeEach(async () => {
    handle = await open();
    store = createAuthStore(handle.db);
  });
  afterEach(async () => {
    await handle.close();
  });

  it('stores a user and finds it by id and by username, keeping every field', async () => {
    const u = user('alice', { disabled: true, lastLoginAt: at(5) });
    await store.users.insert(u);
    expect(await store.users.findById(u.id)).toEqual(u);
    expect(await store.users.findByUsername('alice')).toEqual(u);
    expect(await store.users.findByUsername('bob')).toBeUndefined();
  });

  it('refuses a second user with the same username with user.username_taken', async () => {
    await store.users.insert(user('alice'));
    const err = await store.users.insert(user('alice')).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('user.username_taken');
    expect(await store.users.count()).toBe(1);
  });

  it('lists users by username without password hashes and counts enabled admins', async () => {
    await store.users.insert(user('zed', { role: 'admin' }));
    await store.users.insert(user('amy', { role: 'admin', disabled: true }));
    await store.users.insert(user('max'));
    const list = await store.users.list();
    expect(list.map((u) => u.username)).toEqual(['amy', 'max', 'zed']);
    expect(list.some((u) => 'passwordHash' in u)).toBe(false);
    expect(await store.users.countEnabledWithRole('admin')).toBe(1);
  });

  it('updates only the fields a patch names', async () => {
    const u = user('alice');
    await store.users.insert(u);
    await store.users.update(u.id, { updatedAt: at(1), role: 'auditor', disabled: true });
    expect(await store.users.findById(u.id)).toEqual({ ...u, role: 'auditor', disabled: true, updatedAt: at(1) });
  });

  it('stores, touches, and deletes sessions, per user except the kept one', async () => {
    const u = user('alice');
    await store.users.insert(u);
    await store.sessions.insert(session(u.id, 'h1'));
    await store.sessions.insert(session(u.id, 'h2'));
    await store.sessions.insert(session(u.id, 'h3'));
    await store.sessions.touch('h1', at(3));
    expect((await store.sessions.find('h1'))?.lastSeenAt).toBe(at(3));
    expect(await store.sessions.deleteForUser(u.id, 'h1')).toBe(2);
    expect(await store.sessions.find('h2')).toBeUndefined();
    expect(await store.sessions.delete('h1')).toBe(true);
    expect(await store.sessions.delete('h1')).toBe(false);
  });

  it('deletes sessions past their absolute expiry or idle for too long, keeping live ones', async () => {
    const u = user('alice');
    await store.users.insert(u);
    await store.sessions.insert(session(u.id, 'expired', { expiresAt: at(10), lastSeenAt: at(9) }));
    await store.sessions.insert(session(u.id, 'idle', { lastSeenAt: at(0) }));
    await store.sessions.insert(session(u.id, 'live', { lastSeenAt: at(19) }));
    expect(await store.sessions.deleteExpired(at(20), at(5))).toBe(2);
    expect(await store.sessions.find('live')).toBeDefined();
  });

  it('stores tokens with scopes, lists user and machine tokens apart, touches and revokes once', async () => {
    const u = user('alice');
    await store.users.insert(u);
    const mine = token(u.id);
    const machine = token(null, { name: 'pump-gateway', scopes: ['alerts:create'], createdAt: at(1) });
    await store.tokens.insert(mine);
    await store.tokens.insert(machine);
    expect(await store.tokens.findById(mine.id)).toEqual(mine);
    expect((await store.tokens.list({ userId: u.id })).map((t) => t.id)).toEqual([mine.id]);
    expect((await store.tokens.list({ userId: null })).map((t) => t.id)).toEqual([machine.id]);
    expect((await store.tokens.list()).map((t) => t.id)).toEqual([machine.id, mine.id]);
    expect((await store.tokens.list()).some((t) => 'secretHash' in t)).toBe(false);
    await store.tokens.touchLastUsed(mine.id, at(2));
    expect(await store.tokens.revoke(mine.id, at(3), 'user:admin')).toBe(true);
    expect(await store.tokens.revoke(mine.id, at(4), 'user:admin')).toBe(false);
    expect(await store.tokens.findById(mine.id)).toMatchObject({ lastUsedAt: at(2), revokedAt: at(3) });
  });

  it('counts login failures per name, restarting after a quiet period, and clears them', async () => {
    expect(await store.throttle.addFailure('alice', at(0), at(-15))).toBe(1);
    expect(await store.throttle.addFailure('alice', at(1), at(-14))).toBe(2);
    expect(await store.throttle.addFailure('alice', at(2), at(-13))).toBe(3);
    // the previous failure (minute 2) is older than the reset point (minute 3): the count restarts
    expect(await store.throttle.addFailure('alice', at(30), at(3))).toBe(1);
    await store.throttle.lock('alice', at(45));
    expect(await store.throttle.getLockout('alice')).toEqual({ username: 'alice', failures: 1, lastFailureAt: at(30), lockedUntil: at(45) });
    await store.throttle.clearLockout('alice');
    expect(await store.throttle.getLockout('alice')).toBeUndefined();
  });

  it('counts concurrent failures for one name without losing any', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.transaction((tx) => tx.throttle.addFailure('bob', at(i / 10), at(-15)))));
    expect((await store.throttle.getLockout('bob'))?.failures).toBe(8);
  });

  it('counts failures per address inside a window and prunes old ones', async () => {
    await store.throttle.addIpFailure('10.0.0.1', at(0));
    await store.throttle.addIpFailure('10.0.0.1', at(5));
    await store.throttle.addIpFailure('10.0.0.1', at(10));
    await store.throttle.addIpFailure('10.0.0.2', at(10));
    expect(await store.throttle.ipFailuresSince('10.0.0.1', at(4))).toEqual({ count: 2, oldest: at(5) });
    expect(await store.throttle.ipFailuresSince('10.0.0.9', at(0))).toEqual({ count: 0, oldest: null });
    await store.throttle.addFailure('old', at(0), at(-15));
    expect(await store.throttle.prune(at(6))).toBe(3);
    expect(await store.throttle.ipFailuresSince('10.0.0.1', at(0))).toEqual({ count: 1, oldest: at(10) });
  });

  it('rolls back every repository write when the transaction fails', async () => {
    const u = user('alice');
    const failed = store.transaction(async (tx) => {
      await tx.users.insert(u);
      await tx.sessions.insert(session(u.id, 'h'));
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(await store.users.count()).toBe(0);
    expect(await store.sessions.find('h')).toBeUndefined();
  });
});
