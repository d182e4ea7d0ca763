/**
 * @module What the auth capability needs from storage. src/storage implements these with Kysely
 * for SQLite and PostgreSQL; the contract tests in src/storage/repositories run against both.
 * Everything that must survive across API servers (sessions, lockouts, rate-limit windows) lives
 * here, not in process memory.
 */
import type { AccountLockout, ApiToken, ApiTokenRecord, SessionRecord, User, UserRecord } from './model.js';

export type UserPatch = Partial<Pick<UserRecord, 'displayName' | 'role' | 'disabled' | 'passwordHash' | 'passwordChangedAt' | 'lastLoginAt'>> & {
  updatedAt: string;
};

export interface UserRepository {
  /** throws DomainError `user.username_taken` (409) when the name exists */
  insert(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  /** ordered by username */
  list(): Promise<User[]>;
  count(): Promise<number>;
  countEnabledWithRole(role: string): Promise<number>;
  update(id: string, patch: UserPatch): Promise<void>;
}

export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>;
  find(idHash: string): Promise<SessionRecord | undefined>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<boolean>;
  /** ends every session of a user, optionally keeping one (the caller's own) */
  deleteForUser(userId: string, keepIdHash?: string): Promise<number>;
  /** removes sessions past their absolute expiry or idle since before `idleBefore` */
  deleteExpired(now: string, idleBefore: string): Promise<number>;
}

export interface TokenRepository {
  insert(token: ApiTokenRecord): Promise<void>;
  findById(id: string): Promise<ApiTokenRecord | undefined>;
  /** newest first; all tokens when `userId` is undefined, machine tokens when it is null */
  list(filter?: { userId?: string | null }): Promise<ApiToken[]>;
  revoke(id: string, at: string, by: string): Promise<boolean>;
  touchLastUsed(id: string, at: string): Promise<void>;
}

export interface LoginThrottleRepository {
  getLockout(username: string): Promise<AccountLockout | undefined>;
  /**
   * Atomically counts one more failure for a login name (restarting the count when the previous
   * failure is older than `resetBefore`) and returns the new count.
   */
  addFailure(username: string, at: string, resetBefore: string): Promise<number>;
  lock(username: string, until: string): Promise<void>;
  clearLockout(username: string): Promise<void>;
  addIpFailure(ip: string, at: string): Promise<void>;
  /** failures from `ip` strictly after `since`, and the oldest of them (for Retry-After) */
  ipFailuresSince(ip: string, since: string): Promise<{ count: number; oldest: string | null }>;
  /** forgets failures older than `before` (and lockouts that ended before it) */
  prune(before: string): Promise<number>;
}

export interface AuthRepositories {
  users: UserRepository;
  sessions: SessionRepository;
  tokens: TokenRepository;
  throttle: LoginThrottleRepository;
}

export interface AuthStore extends AuthRepositories {
  /**
   * Runs `fn` in one database transaction. `executor` is the open transaction, passed to
   * AuditRecorder.record so the audit entry commits (or rolls back) with the change.
   */
  transaction<T>(fn: (tx: AuthRepositories & { executor: unknown }) => Promise<T>): Promise<T>;
}
