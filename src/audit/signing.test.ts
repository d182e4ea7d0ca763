import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTreeHeadSignature, generateSigningKey, loadOrCreateSigningKey, SIGNING_KEY_ENV, SIGNING_KEY_FILE, signTreeHead, treeHeadMessage, trustedKeyMap } from './signing.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cg-audit-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('audit signing key', () => {
  it('creates the key in the data directory with mode 0600 on first start and reuses it after', () => {
    const first = loadOrCreateSigningKey({ dataDir: dir, env: {} });
    const path = join(dir, SIGNING_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = loadOrCreateSigningKey({ dataDir: dir, env: {} });
    expect(second.keyId).toBe(first.keyId);
    expect(first.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('refuses a key file that others can read, naming the file and the fix', () => {
    loadOrCreateSigningKey({ dataDir: dir, env: {} });
    const path = join(dir, SIGNING_KEY_FILE);
    chmodSync(path, 0o644);
    expect(() => loadOrCreateSigningKey({ dataDir: dir, env: {} })).toThrow(`chmod 600 ${path}`);
  });

  it('uses a supplied key file (config path or environment) and refuses a missing one', () => {
    const made = loadOrCreateSigningKey({ dataDir: dir, env: {} });
    const path = join(dir, SIGNING_KEY_FILE);
    expect(loadOrCreateSigningKey({ keyPath: path }).keyId).toBe(made.keyId);
    expect(loadOrCreateSigningKey({ dataDir: '/nonexistent', env: { [SIGNING_KEY_ENV]: path } }).keyId).toBe(made.keyId);
    expect(() => loadOrCreateSigningKey({ keyPath: join(dir, 'nope.pem') })).toThrow(/nope\.pem does not exist/);
  });

  it('refuses a key that is not Ed25519 PEM', () => {
    const path = join(dir, 'bad.pem');
    writeFileSync(path, 'not a key', { mode: 0o600 });
    expect(() => loadOrCreateSigningKey({ keyPath: path })).toThrow(/bad\.pem is not a readable PEM private key/);
  });
});

describe('signed tree heads', () => {
  const key = generateSigningKey();
  const head = signTreeHead(key, { treeSize: 42, rootHash: 'ab'.repeat(32), timestamp: '2025-05-01T00:00:00.000Z' });
  const trusted = trustedKeyMap([key.publicKeyPem]);

  it('signs a fixed text layout that names the context, size, root, time and key', () => {
    expect(treeHeadMessage(head).toString()).toBe(`CareGuard audit tree head v1\n42\n${'ab'.repeat(32)}\n2025-05-01T00:00:00.000Z\n${key.keyId}\n`);
    expect(checkTreeHeadSignature(head, trusted)).toBe('ok');
  });

  it('rejects a head whose size, root or time was changed after signing', () => {
    expect(checkTreeHeadSignature({ ...head, treeSize: 41 }, trusted)).toBe('bad_signature');
    expect(checkTreeHeadSignature({ ...head, rootHash: 'cd'.repeat(32) }, trusted)).toBe('bad_signature');
    expect(checkTreeHeadSignature({ ...head, timestamp: '2025-05-02T00:00:00.000Z' }, trusted)).toBe('bad_signature');
    expect(checkTreeHeadSignature({ ...head, signature: 'AAAA' }, trusted)).toBe('bad_signature');
  });

  it('rejects a head signed by a key the verifier does not trust', () => {
    const other = generateSigningKey();
    const forged = signTreeHead(other, { treeSize: 42, rootHash: 'ab'.repeat(32), timestamp: head.timestamp });
    expect(checkTreeHeadSignature(forged, trusted)).toBe('unknown_key');
    expect(checkTreeHeadSignature({ ...forged, keyId: key.keyId }, trusted)).toBe('bad_signature');
  });
});
