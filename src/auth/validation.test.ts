/** @module Tests of the input rules for names, passwords, scopes and expiry. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/index.js';
import { DEFAULT_AUTH_POLICY } from './policy.js';
import { parseToken, newTokenParts, csrfTokenFor } from './secrets.js';
import { validateExpiryDays, validatePassword, validateScopes, validateUsername } from './validation.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return isDomainError(e) ? `${e.code}@${e.location?.pointer}` : 'not a DomainError';
  }
};

describe('validation', () => {
  it('normalizes usernames to lower case and refuses anything outside the allowed alphabet', () => {
    expect(validateUsername('  Alice.Smith@Clinic ')).toBe('alice.smith@clinic');
    for (const bad of ['a', '-lead', "o'brien", 'robert;drop', 'a b', 'x'.repeat(65), 'émile', 'null\u0000']) {
      expect(codeOf(() => validateUsername(bad))).toBe('user.invalid_username@/username');
    }
  });

  it('never accepts a username containing SQL or shell metacharacters', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,10}$/);
    fc.assert(
      fc.property(word, fc.constantFrom("'", '"', ';', '/*', '\\', ' ', '(', '`', '$', '%', '=', '\n'), word, (a, meta, b) => {
        expect(codeOf(() => validateUsername(`${a}${meta}${b}`))).toBe('user.invalid_username@/username');
      }),
    );
  });

  it('requires passwords of 12 to 256 characters, not containing the username, with some variety', () => {
    const p = DEFAULT_AUTH_POLICY;
    expect(codeOf(() => validatePassword('elevenchars', 'bob', p))).toBe('user.weak_password@/password');
    expect(codeOf(() => validatePassword('x'.repeat(257), 'bob', p))).toBe('user.weak_password@/password');
    expect(codeOf(() => validatePassword('my-name-is-Alice!', 'alice', p))).toBe('user.weak_password@/password');
    expect(codeOf(() => validatePassword('aaaaaaaaaaaaaaab', 'bob', p))).toBe('user.weak_password@/password');
    expect(codeOf(() => validatePassword('🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒', 'bob', p))).toBe('user.weak_password@/password');
    expect(codeOf(() => validatePassword('a perfectly fine passphrase', 'bob', p))).toBeUndefined();
  });

  it('deduplicates and sorts scopes, naming the first unknown one by index', () => {
    expect(validateScopes(['devices:read', 'alerts:read', 'devices:read'])).toEqual(['alerts:read', 'devices:read']);
    expect(codeOf(() => validateScopes(['devices:read', 'root']))).toBe('token.invalid_scopes@/scopes/1');
    expect(codeOf(() => validateScopes([]))).toBe('token.invalid_scopes@/scopes');
  });

  it('bounds token lifetime to whole days from 1 to 365', () => {
    expect(validateExpiryDays(365, DEFAULT_AUTH_POLICY)).toBe(365);
    for (const bad of [0, 366, 1.5, Number.NaN]) expect(codeOf(() => validateExpiryDays(bad, DEFAULT_AUTH_POLICY))).toBe('token.invalid_expiry@/expiresInDays');
  });
});

describe('token format', () => {
  it('round-trips generated tokens and refuses anything else', () => {
    const t = newTokenParts();
    expect(parseToken(t.token)).toEqual({ id: t.id, secret: t.secret });
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        const parsed = parseToken(s);
        if (parsed) expect(`cg_${parsed.id}_${parsed.secret}`).toBe(s);
      }),
    );
    for (const bad of ['', 'cg_', `cg_${t.id}`, `${t.token}x`, t.token.replace('cg_', 'CG_'), ` ${t.token}`]) expect(parseToken(bad)).toBeNull();
  });

  it('derives a different CSRF token for each session id', () => {
    expect(csrfTokenFor('a')).not.toBe(csrfTokenFor('b'));
    expect(csrfTokenFor('a')).toBe(csrfTokenFor('a'));
  });
});
