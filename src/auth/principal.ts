/**
 * @module From an authenticated principal to what the rest of the system sees: the Actor written
 * to the audit log and the set of permissions the request holds.
 */
import type { Actor } from '../core/index.js';
import type { ApiToken, Principal, User } from './model.js';
import { ROLE_PERMISSIONS, type Permission, type Role } from './permissions.js';
import { constantTimeEqual } from './secrets.js';

export const rolePermissions = (role: Role): ReadonlySet<Permission> => new Set(ROLE_PERMISSIONS[role]);

/** A user's token never holds more than its owner does now: demoting the owner narrows the token. */
export function tokenPermissions(token: ApiToken, owner: User | undefined): ReadonlySet<Permission> {
  if (!owner) return new Set(token.scopes);
  const allowed = ROLE_PERMISSIONS[owner.role];
  return new Set(token.scopes.filter((s) => allowed.includes(s)));
}

export function actorFor(principal: Principal, context: { ip?: string; requestId?: string } = {}): Actor {
  const extra = { ...(context.ip ? { ip: context.ip } : {}), ...(context.requestId ? { requestId: context.requestId } : {}) };
  switch (principal.kind) {
    case 'session':
      return { kind: 'user', id: principal.user.id, name: principal.user.username, role: principal.user.role, ...extra };
    case 'user_token':
      return { kind: 'token', id: principal.token.id, name: `${principal.user.username}/${principal.token.name}`, role: principal.user.role, ...extra };
    case 'machine_token':
      return { kind: 'token', id: principal.token.id, name: principal.token.name, ...extra };
  }
}

/** The user behind a principal, when there is one (machine tokens have none). */
export const principalUser = (principal: Principal): User | undefined => (principal.kind === 'machine_token' ? undefined : principal.user);

/** Whether a presented CSRF token is the one of this principal's session (constant time). */
export function csrfMatches(principal: Principal, presented: unknown): boolean {
  return principal.kind === 'session' && typeof presented === 'string' && constantTimeEqual(presented, principal.csrfToken);
}
