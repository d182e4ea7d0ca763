/**
 * @module Kysely table types for auth (owned by the auth capability). Secrets are stored only
 * as hashes: scrypt for passwords, sha256 for session ids and token secrets.
 */

export interface AuthUsersTable {
  id: string;
  /** lower-case, unique */
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  /** 0/1 */
  disabled: number;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
  last_login_at: string | null;
}

export interface AuthSessionsTable {
  /** sha256 hex of the cookie value */
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuthTokensTable {
  id: string;
  name: string;
  /** null for machine tokens */
  user_id: string | null;
  secret_hash: string;
  /** JSON array of permission names */
  scopes: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Consecutive failed sign-ins per login name (existing or not). */
export interface AuthAccountLockoutsTable {
  username: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

/** One row per failed sign-in, for the per-address sliding window. */
export interface AuthIpFailuresTable {
  id: string;
  ip: string;
  at: string;
}

export interface AuthTables {
  auth_users: AuthUsersTable;
  auth_sessions: AuthSessionsTable;
  auth_tokens: AuthTokensTable;
  auth_account_lockouts: AuthAccountLockoutsTable;
  auth_ip_failures: AuthIpFailuresTable;
}
