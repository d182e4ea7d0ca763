/**
 * @module Signing in and out, and turning a session cookie or bearer token into a Principal.
 * Login failures count per login name (lockout) and per client address (sliding window), both
 * in the database so every API server sees them. Unknown names are hashed against a dummy and
 * locked out exactly like real ones, so neither timing nor lockout reveals which names exist.
 */
import { DomainError, systemActor, tooManyRequests, unauthenticated, type Actor } from '../core/index.js';
import { addMinutes, resolveDeps, type AuthDeps, type ResolvedAuthDeps } from './deps.js';
import type { LoginResult, Principal, SessionRecord, User, UserRecord } from './model.js';
import { rolePermissions, tokenPermissions } from './principal.js';
import { constantTimeEqual, csrfTokenFor, newSessionId, parseToken, sha256Hex } from './secrets.js';
import { normalizeUsername, validatePassword } from './validation.js';

export interface LoginInput {
  username: string;
  password: string;
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

/** Writes to last_seen_at / last_used_at at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_USERNAME_INPUT = 256;

const invalidCredentials = () => new DomainError('auth.invalid_credentials', 'invalid username or password', { status: 401 });
const invalidToken = () => new DomainError('auth.invalid_token', 'the bearer token is not valid', { status: 401 });
const toUser = ({ passwordHash: _secret, ...user }: UserRecord): User => user;

export class AuthService {
  private readonly d: ResolvedAuthDeps;

  constructor(deps: AuthDeps) {
    this.d = resolveDeps(deps);
  }

  async login(input: LoginInput): Promise<LoginResult> {
    const { store, clock, policy, hasher, audit } = this.d;
    const now = clock.now();
    const username = normalizeUsername(input.username).slice(0, MAX_USERNAME_INPUT);
    const ip = input.ip ?? 'unknown';
    const context = { ...(input.ip ? { ip: input.ip } : {}), ...(input.requestId ? { requestId: input.requestId } : {}) };

    const windowStart = addMinutes(now, -policy.ipWindowMinutes).toISOString();
    const fromIp = await store.throttle.ipFailuresSince(ip, windowStart);
    if (fromIp.count >= policy.ipFailureLimit) {
      const retryAt = addMinutes(new Date(fromIp.oldest ?? now.toISOString()), policy.ipWindowMinutes);
      throw tooManyRequests('auth.rate_limited', 'too many failed sign-ins from this address; try again later', secondsUntil(retryAt, now));
    }
    const lockout = await store.throttle.getLockout(username);
    if (lockout?.lockedUntil && new Date(lockout.lockedUntil) > now) {
      throw tooManyRequests('auth.account_locked', 'this account is temporarily locked after repeated failed sign-ins', secondsUntil(new Date(lockout.lockedUntil), now));
    }

    const record = await store.users.findByUsername(username);
    const passwordOk = record ? await hasher.verify(input.password, record.passwordHash) : await hasher.verifyDummy(input.password);
    if (!record || !passwordOk || record.disabled) {
      await this.recordFailure(username, ip, record, record && passwordOk ? 'disabled' : 'bad_credentials', context);
      throw invalidCredentials();
    }

    const sessionId = newSessionId();
    const nowIso = now.toISOString();
    const session: SessionRecord = {
      idHash: sha256Hex(sessionId),
      userId: record.id,
      createdAt: nowIso,
      lastSeenAt: nowIso,
      expiresAt: new Date(now.getTime() + policy.sessionAbsoluteHours * 3_600_000).toISOString(),
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 256) ?? null,
    };
    const rehash = hasher.needsRehash(record.passwordHash) ? await hasher.hash(input.password) : undefined;
    await store.transaction(async (tx) => {
      await tx.throttle.clearLockout(username);
      await tx.sessions.insert(session);
      await tx.users.update(record.id, { lastLoginAt: nowIso, updatedAt: record.updatedAt, ...(rehash ? { passwordHash: rehash } : {}) });
      const actor: Actor = { kind: 'user', id: record.id, name: record.username, role: record.role, ...context };
      await audit.record({ actor, action: 'auth.login', targetType: 'user', targetId: record.id, details: { method: 'password' } }, tx.executor);
    });
    await this.housekeeping(now);
    return { user: { ...toUser(record), lastLoginAt: nowIso }, sessionId, csrfToken: csrfTokenFor(sessionId), expiresAt: session.expiresAt };
  }

  private async recordFailure(username: string, ip: string, user: UserRecord | undefined, reason: string, context: { ip?: string; requestId?: string }): Promise<void> {
    const { store, clock, policy, audit } = this.d;
    const now = clock.now();
    const nowIso = now.toISOString();
    await store.transaction(async (tx) => {
      await tx.throttle.addIpFailure(ip, nowIso);
      const failures = await tx.throttle.addFailure(username, nowIso, addMinutes(now, -policy.lockoutMinutes).toISOString());
      const locks = failures >= policy.lockoutThreshold;
      if (locks) await tx.throttle.lock(username, addMinutes(now, policy.lockoutMinutes).toISOString());
      // only names that exist are written down: people sometimes type their password into the name field
      if (user) {
        const actor: Actor = { ...systemActor('auth'), ...context };
        await audit.record({ actor, action: 'auth.login_failed', targetType: 'user', targetId: user.id, details: { reason, failures } }, tx.executor);
        if (locks) {
          await audit.record({ actor, action: 'auth.account_locked', targetType: 'user', targetId: user.id, details: { minutes: policy.lockoutMinutes } }, tx.executor);
        }
      }
    });
  }

  private async housekeeping(now: Date): Promise<void> {
    const { store, policy } = this.d;
    await store.sessions.deleteExpired(now.toISOString(), addMinutes(now, -policy.sessionIdleMinutes).toISOString());
    await store.throttle.prune(addMinutes(now, -Math.max(policy.ipWindowMinutes, policy.lockoutMinutes)).toISOString());
  }

  /** Ends the session the raw id names; a no-op for unknown ids (logging out twice is fine). */
  async logout(actor: Actor, sessionIdHash: string): Promise<void> {
    await this.d.store.transaction(async (tx) => {
      const session = await tx.sessions.find(sessionIdHash);
      if (!session) return;
      await tx.sessions.delete(sessionIdHash);
      await this.d.audit.record({ actor, action: 'auth.logout', targetType: 'user', targetId: session.userId }, tx.executor);
    });
  }

  /** The principal behind a session cookie, or null when it is unknown, expired or idle. */
  async authenticateSession(sessionId: string): Promise<Principal | null> {
    const { store, clock, policy } = this.d;
    const idHash = sha256Hex(sessionId);
    const session = await store.sessions.find(idHash);
    if (!session) return null;
    const now = clock.now();
    const idle = addMinutes(new Date(session.lastSeenAt), policy.sessionIdleMinutes) <= now;
    const user = idle || new Date(session.expiresAt) <= now ? undefined : await store.users.findById(session.userId);
    if (!user || user.disabled) {
      await store.sessions.delete(idHash);
      return null;
    }
    if (now.getTime() - new Date(session.lastSeenAt).getTime() >= TOUCH_INTERVAL_MS) await store.sessions.touch(idHash, now.toISOString());
    return { kind: 'session', user: toUser(user), permissions: rolePermissions(user.role), sessionIdHash: idHash, csrfToken: csrfTokenFor(sessionId) };
  }

  /** The principal behind `Authorization: Bearer cg_...`; throws 401 with a reason otherwise. */
  async authenticateBearer(token: string): Promise<Principal> {
    const { store, clock } = this.d;
    const parts = parseToken(token);
    if (!parts) throw invalidToken();
    const record = await store.tokens.findById(parts.id);
    if (!record || !constantTimeEqual(sha256Hex(parts.secret), record.secretHash)) throw invalidToken();
    const now = clock.now();
    if (record.revokedAt) throw new DomainError('auth.token_revoked', 'the bearer token has been revoked', { status: 401 });
    if (new Date(record.expiresAt) <= now) throw new DomainError('auth.token_expired', 'the bearer token has expired', { status: 401 });
    const owner = record.userId === null ? undefined : await store.users.findById(record.userId);
    if (record.userId !== null && (!owner || owner.disabled)) throw invalidToken();
    if (!record.lastUsedAt || now.getTime() - new Date(record.lastUsedAt).getTime() >= TOUCH_INTERVAL_MS) {
      await store.tokens.touchLastUsed(record.id, now.toISOString());
    }
    const { secretHash: _secret, ...apiToken } = record;
    const owned = owner ? toUser(owner) : undefined;
    const permissions = tokenPermissions(apiToken, owned);
    return owned ? { kind: 'user_token', user: owned, token: apiToken, permissions } : { kind: 'machine_token', token: apiToken, permissions };
  }

  /**
   * Changes one's own password after proving the current one. Wrong current passwords count
   * toward the lockout, so a borrowed session cannot be used to guess it. Other sessions end.
   */
  async changePassword(actor: Actor, userId: string, current: string, next: string, keepSessionIdHash?: string): Promise<void> {
    const { store, hasher, policy, clock, audit } = this.d;
    const record = await store.users.findById(userId);
    if (!record || record.disabled) throw unauthenticated();
    const lockout = await store.throttle.getLockout(record.username);
    const now = clock.now();
    if (lockout?.lockedUntil && new Date(lockout.lockedUntil) > now) {
      throw tooManyRequests('auth.account_locked', 'this account is temporarily locked after repeated failed sign-ins', secondsUntil(new Date(lockout.lockedUntil), now));
    }
    if (!(await hasher.verify(current, record.passwordHash))) {
      await this.recordFailure(record.username, actor.ip ?? 'unknown', record, 'bad_current_password', { ...(actor.ip ? { ip: actor.ip } : {}) });
      throw new DomainError('auth.wrong_current_password', 'the current password is not correct', { status: 403, location: { pointer: '/currentPassword' } });
    }
    validatePassword(next, record.username, policy, '/newPassword');
    const passwordHash = await hasher.hash(next);
    await store.transaction(async (tx) => {
      const nowIso = clock.now().toISOString();
      await tx.users.update(userId, { passwordHash, passwordChangedAt: nowIso, updatedAt: nowIso });
      const ended = await tx.sessions.deleteForUser(userId, keepSessionIdHash);
      await audit.record({ actor, action: 'user.password_change', targetType: 'user', targetId: userId, details: { otherSessionsEnded: ended } }, tx.executor);
    });
  }
}

const secondsUntil = (at: Date, now: Date): number => Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
