import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkNetmonCaptureDir, loadConfig } from './config.js';
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

  it('reads the vulnerability alert threshold, feeds file and netmon policy, rejecting thresholds above 100', () => {
    const c = loadConfig({ CAREGUARD_VULN_ALERT_THRESHOLD: '55', CAREGUARD_FEEDS: 'feeds.json', CAREGUARD_FEEDS_INTERVAL_MINUTES: '360', CAREGUARD_NETMON_POLICY: 'zones.json' });
    expect(c).toMatchObject({ vulnAlertThreshold: 55, feedsConfigPath: resolve('feeds.json'), feedsIntervalMinutes: 360, netmonPolicyPath: resolve('zones.json') });
    expect(loadConfig({}).vulnAlertThreshold).toBe(70);
    expect(() => loadConfig({ CAREGUARD_VULN_ALERT_THRESHOLD: '101' })).toThrow(/CAREGUARD_VULN_ALERT_THRESHOLD must be 0..100/);
  });

  it('reads the NetFlow collector settings and rejects an invalid port or a window under 10 s', () => {
    expect(loadConfig({}).netflowPort).toBeUndefined();
    expect(loadConfig({ CAREGUARD_NETFLOW_PORT: '2055', CAREGUARD_NETFLOW_HOST: '0.0.0.0', CAREGUARD_NETFLOW_WINDOW_SECONDS: '60' })).toMatchObject({ netflowPort: 2055, netflowHost: '0.0.0.0', netflowWindowSeconds: 60 });
    expect(() => loadConfig({ CAREGUARD_NETFLOW_PORT: '70000' })).toThrow(/CAREGUARD_NETFLOW_PORT must be 0..65535/);
    expect(() => loadConfig({ CAREGUARD_NETFLOW_WINDOW_SECONDS: '5' })).toThrow(/at least 10/);
  });

  it('reads the capture directory the server follows and its poll interval, off and 500 ms by default', () => {
    expect(loadConfig({})).toMatchObject({ netmonCapturePollMs: 500 });
    expect(loadConfig({}).netmonCaptureDir).toBeUndefined();
    expect(loadConfig({ CAREGUARD_NETMON_CAPTURE_DIR: '' }).netmonCaptureDir).toBeUndefined();
    expect(loadConfig({ CAREGUARD_NETMON_CAPTURE_DIR: 'captures', CAREGUARD_NETMON_CAPTURE_POLL_MS: '2000' })).toMatchObject({ netmonCaptureDir: resolve('captures'), netmonCapturePollMs: 2000 });
  });

  it('rejects a capture poll interval outside 50..60000 ms or not a whole number, naming the setting', () => {
    expect(() => loadConfig({ CAREGUARD_NETMON_CAPTURE_POLL_MS: '49' })).toThrow(/CAREGUARD_NETMON_CAPTURE_POLL_MS must be 50..60000, got 49/);
    expect(() => loadConfig({ CAREGUARD_NETMON_CAPTURE_POLL_MS: '60001' })).toThrow(/CAREGUARD_NETMON_CAPTURE_POLL_MS must be 50..60000, got 60001/);
    expect(() => loadConfig({ CAREGUARD_NETMON_CAPTURE_POLL_MS: '0.5' })).toThrow(/CAREGUARD_NETMON_CAPTURE_POLL_MS must be a whole number, got "0.5"/);
    expect(() => loadConfig({}, { netmonCapturePollMs: 10 })).toThrow(/CAREGUARD_NETMON_CAPTURE_POLL_MS must be 50..60000/);
    expect(loadConfig({ CAREGUARD_NETMON_CAPTURE_POLL_MS: '50' }).netmonCapturePollMs).toBe(50);
    expect(loadConfig({ CAREGUARD_NETMON_CAPTURE_POLL_MS: '60000' }).netmonCapturePollMs).toBe(60000);
  });

  it('accepts an existing capture directory and refuses a missing one or a file, naming the setting and the path', () => {
    const dir = tempDir();
    expect(() => checkNetmonCaptureDir(loadConfig({}))).not.toThrow();
    expect(() => checkNetmonCaptureDir(loadConfig({ CAREGUARD_NETMON_CAPTURE_DIR: dir }))).not.toThrow();
    const missing = join(dir, 'not-mounted');
    expect(() => checkNetmonCaptureDir(loadConfig({ CAREGUARD_NETMON_CAPTURE_DIR: missing }))).toThrow(`configuration CAREGUARD_NETMON_CAPTURE_DIR names ${missing}, which does not exist or cannot be reached (ENOENT)`);
    const file = join(dir, 'cap.pcap');
    writeFileSync(file, '');
    expect(() => checkNetmonCaptureDir(loadConfig({ CAREGUARD_NETMON_CAPTURE_DIR: file }))).toThrow(`configuration CAREGUARD_NETMON_CAPTURE_DIR names ${file}, which is not a directory`);
  });

  it('reads how many observations an ingest keeps, and rejects 0 or out-of-range values', () => {
    expect(loadConfig({}).netmonObservations).toEqual({ perGroup: 10, maxStored: 200_000 });
    expect(loadConfig({ CAREGUARD_NETMON_OBSERVATIONS_PER_GROUP: '3', CAREGUARD_NETMON_OBSERVATIONS_MAX: '5000' }).netmonObservations).toEqual({ perGroup: 3, maxStored: 5000 });
    expect(() => loadConfig({ CAREGUARD_NETMON_OBSERVATIONS_PER_GROUP: '0' })).toThrow(/CAREGUARD_NETMON_OBSERVATIONS_PER_GROUP must be 1..10000, got 0/);
    expect(() => loadConfig({ CAREGUARD_NETMON_OBSERVATIONS_MAX: '-1' })).toThrow(/CAREGUARD_NETMON_OBSERVATIONS_MAX must be a whole number/);
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
