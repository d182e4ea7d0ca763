/**
 * @module Rules for what people type: login names, display names, passwords, token names and
 * scopes. Pure; each failure is a DomainError naming the field by JSON pointer.
 */
import { invalidInput } from '../core/index.js';
import type { AuthPolicy } from './model.js';
import { isPermission, isRole, type Permission, type Role } from './permissions.js';

/** Lower-case letters, digits and `. _ @ -`, 2-64 long, starting with a letter or digit. */
const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
// C0/C1 control characters and the Unicode line/paragraph separators
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The form a login name is stored and compared in. */
export const normalizeUsername = (raw: string): string => raw.trim().toLowerCase();

export function validateUsername(raw: string): string {
  const name = normalizeUsername(raw);
  if (!USERNAME.test(name)) {
    throw invalidInput('user.invalid_username', 'username must be 2-64 characters: letters, digits, ".", "_", "@" or "-", starting with a letter or digit', {
      location: { pointer: '/username' },
    });
  }
  return name;
}

export function validateDisplayName(raw: string, pointer = '/displayName'): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 128 || CONTROL.test(name)) {
    throw invalidInput('user.invalid_display_name', 'displayName must be 1-128 characters without control characters', { location: { pointer } });
  }
  return name;
}

export function validateRole(raw: string, pointer = '/role'): Role {
  if (!isRole(raw)) throw invalidInput('user.invalid_role', `unknown role "${raw.slice(0, 40)}"`, { location: { pointer } });
  return raw;
}

export function validatePassword(password: string, username: string, policy: AuthPolicy, pointer = '/password'): void {
  const length = [...password].length;
  if (length < policy.passwordMinLength || length > policy.passwordMaxLength) {
    throw invalidInput('user.weak_password', `password must be ${policy.passwordMinLength}-${policy.passwordMaxLength} characters long`, {
      location: { pointer },
    });
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw invalidInput('user.weak_password', 'password must not contain the username', { location: { pointer } });
  }
  if (new Set(password).size < 4) {
    throw invalidInput('user.weak_password', 'password must use at least 4 different characters', { location: { pointer } });
  }
}

export function validateTokenName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 100 || CONTROL.test(name)) {
    throw invalidInput('token.invalid_name', 'token name must be 1-100 characters without control characters', { location: { pointer: '/name' } });
  }
  return name;
}

export function validateScopes(raw: readonly string[]): Permission[] {
  if (raw.length === 0) throw invalidInput('token.invalid_scopes', 'a token needs at least one scope', { location: { pointer: '/scopes' } });
  const out = new Set<Permission>();
  raw.forEach((s, i) => {
    if (!isPermission(s)) throw invalidInput('token.invalid_scopes', `unknown scope "${s.slice(0, 40)}"`, { location: { pointer: `/scopes/${i}` } });
    out.add(s);
  });
  return [...out].sort();
}

export function validateExpiryDays(days: number, policy: AuthPolicy): number {
  if (!Number.isInteger(days) || days < 1 || days > policy.tokenMaxDays) {
    throw invalidInput('token.invalid_expiry', `expiresInDays must be a whole number from 1 to ${policy.tokenMaxDays}`, {
      location: { pointer: '/expiresInDays' },
    });
  }
  return days;
}
