/** @module Tests of scrypt password hashing: format, verification, parameters, rehash. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, generatePassword, PasswordHasher } from './passwords.js';

const cheap = new PasswordHasher({ log2N: 10, r: 8, p: 1 });

describe('PasswordHasher', () => {
  it('stores the parameters and a fresh salt with each hash', async () => {
    const a = await cheap.hash('correct horse battery');
    const b = await cheap.hash('correct horse battery');
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await cheap.hash('correct horse battery');
    expect(await cheap.verify('correct horse battery', stored)).toBe(true);
    expect(await cheap.verify('correct horse batterY', stored)).toBe(false);
    expect(await cheap.verify('', stored)).toBe(false);
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const stored = await cheap.hash('caf\u00e9-passphrase');
    expect(await cheap.verify('cafe\u0301-passphrase', stored)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, so raising the cost keeps old hashes valid', async () => {
    const old = await cheap.hash('long enough password');
    const stronger = new PasswordHasher({ log2N: 11, r: 8, p: 1 });
    expect(await stronger.verify('long enough password', old)).toBe(true);
    expect(stronger.needsRehash(old)).toBe(true);
    expect(stronger.needsRehash(await stronger.hash('x'))).toBe(false);
  });

  it('refuses malformed or absurd stored values instead of throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$10$8$1$c2FsdA$aGFzaA', 'scrypt$30$8$1$c2FsdHNhbHQ$' + 'A'.repeat(43), 'bcrypt$2b$10$abc', 'scrypt$x$8$1$a$b']) {
      expect(await cheap.verify('anything', stored)).toBe(false);
    }
  });

  it('runs a dummy verification that always fails', async () => {
    expect(await cheap.verifyDummy('whatever')).toBe(false);
  });

  it('defaults to N=2^15, r=8, p=1', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ log2N: 15, r: 8, p: 1 });
    const stored = await new PasswordHasher().hash('default cost password');
    expect(stored.startsWith('scrypt$15$8$1$')).toBe(true);
  });
});

describe('generatePassword', () => {
  it('gives 24 URL-safe characters starting with a letter or digit, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{23}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
