/**
 * @module Auth domain types: users, sessions, API tokens and the identity a request carries.
 * Secrets (password hashes, session ids, token secrets) appear only in the `*Record` types that
 * storage reads and writes; everything handed to routes, the CLI and the audit log is secret-free.
 */
import type { Permission, Role } from './permissions.js';

export interface User {
  id: string;
  /** lower-case login name, unique */
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
  lastLoginAt: string | null;
}

/** What storage keeps for a user; `passwordHash` is a self-describing scrypt string (see passwords.ts). */
export interface UserRecord extends User {
  passwordHash: string;
}

export interface SessionRecord {
  /** sha256 (hex) of the session id the browser holds; the raw id is never stored */
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** absolute expiry: the session ends then even if it stays busy */
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiToken {
  /** public part of the token (`cg_<id>_<secret>`); safe to show and log */
  id: string;
  name: string;
  /** owner; null for a machine token (integration or device), which has no role, only scopes */
  userId: string | null;
  scopes: Permission[];
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiTokenRecord extends ApiToken {
  /** sha256 (hex) of the secret part */
  secretHash: string;
}

/** A token as listed: the owner's username is resolved for people reading the list. */
export interface ApiTokenView extends ApiToken {
  username: string | null;
  kind: 'user' | 'machine';
  status: 'active' | 'expired' | 'revoked';
}

/** Failed-login bookkeeping for one login name (known or not, so lockout reveals nothing). */
export interface AccountLockout {
  username: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

/**
 * Who made a request and what they may do. `permissions` is already narrowed: a user token holds
 * its scopes intersected with its owner's current role.
 */
export type Principal =
  | { kind: 'session'; user: User; permissions: ReadonlySet<Permission>; sessionIdHash: string; csrfToken: string }
  | { kind: 'user_token'; user: User; token: ApiToken; permissions: ReadonlySet<Permission> }
  | { kind: 'machine_token'; token: ApiToken; permissions: ReadonlySet<Permission> };

export interface LoginResult {
  user: User;
  /** the raw session id for the cookie; shown once, never stored */
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
}

export interface CreatedToken {
  token: ApiTokenView;
  /** `cg_<id>_<secret>`: shown once, never stored */
  secret: string;
}

/** Tunables; defaults in policy.ts. */
export interface AuthPolicy {
  /** consecutive failures per login name before it locks */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** failures from one address inside the window before that address is refused */
  ipFailureLimit: number;
  ipWindowMinutes: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  tokenMaxDays: number;
  passwordMinLength: number;
  passwordMaxLength: number;
}
