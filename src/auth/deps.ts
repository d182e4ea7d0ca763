/** @module What the auth services are built from (passed in by the composition root). */
import type { AuditRecorder } from '../audit/model.js';
import { systemClock, type Clock } from '../core/index.js';
import type { AuthPolicy, User } from './model.js';
import { PasswordHasher } from './passwords.js';
import { resolvePolicy } from './policy.js';
import type { AuthStore } from './ports.js';

export interface AuthDeps {
  store: AuthStore;
  audit: AuditRecorder;
  clock?: Clock;
  /** tests pass a cheaper hasher; production keeps the default cost */
  hasher?: PasswordHasher;
  policy?: Partial<AuthPolicy>;
}

export interface ResolvedAuthDeps {
  store: AuthStore;
  audit: AuditRecorder;
  clock: Clock;
  hasher: PasswordHasher;
  policy: AuthPolicy;
}

export function resolveDeps(deps: AuthDeps): ResolvedAuthDeps {
  return {
    store: deps.store,
    audit: deps.audit,
    clock: deps.clock ?? systemClock,
    hasher: deps.hasher ?? new PasswordHasher(),
    policy: resolvePolicy(deps.policy),
  };
}

/** What the audit log keeps about a user: never the hash. */
export const userSnapshot = (u: User) => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, disabled: u.disabled });

export const addMinutes = (d: Date, minutes: number): Date => new Date(d.getTime() + minutes * 60_000);
