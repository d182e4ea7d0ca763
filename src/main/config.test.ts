import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createContainer } from './container.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cg-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('defaults to SQLite under ./data on 127.0.0.1:8080 with no audit key path', () => {
    const c = loadConfig({});
    expect(c.dbUrl).toBe(resolve('./data/careguard.db'));
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.auditKeyPath).toBeUndefined();
  });

  it('rejects a port that is not a whole number, naming the setting', () => {
    expect(() => loadConfig({ CAREGUARD_PORT: '80a' })).toThrow(/CAREGUARD_PORT must be a whole number/);
    expect(() => loadConfig({ CAREGUARD_PORT: '70000' })).toThrow(/CAREGUARD_PORT must be 0..65535/);
  });

  it('requires the TLS certificate and key together', () => {
    expect(() => loadConfig({ CAREGUARD_TLS_CERT: 'cert.pem' })).toThrow(/set both or neither/);
  });

  it('creates the audit signing key in the data directory when CAREGUARD_AUDIT_KEY is unset', async () => {
    const dir = tempDir();
    const c = await createContainer(loadConfig({ CAREGUARD_DATA_DIR: dir, CAREGUARD_LOG_LEVEL: 'silent' }));
    expect(c.audit.publicKey().publicKeyPem).toContain('PUBLIC KEY');
    await c.close();
  });

  it('refuses to start when CAREGUARD_AUDIT_KEY names a file that does not exist', async () => {
    const dir = tempDir();
    const config = loadConfig({ CAREGUARD_DATA_DIR: dir, CAREGUARD_AUDIT_KEY: join(dir, 'missing.pem'), CAREGUARD_LOG_LEVEL: 'silent' });
    await expect(createContainer(config)).rejects.toThrow(/missing\.pem does not exist/);
  });
});
