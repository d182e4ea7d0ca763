/**
 * @module Configuration: defaults, then environment (CAREGUARD_*), then command-line flags.
 * One shape for the server, workers and the CLI. Validated here so a typo fails at start with a
 * message naming the setting, not later with a stack trace.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DomainError } from '../core/index.js';

export interface Config {
  /** SQLite file path, or postgres://user@host:port/db */
  dbUrl: string;
  /** where the SQLite file (default), the audit signing key and other local state live */
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  /** PEM private key (must exist) for signing audit tree heads; unset: <dataDir>/audit-signing-key.pem, created on first start */
  auditKeyPath?: string;
  /** serve HTTPS when both are set */
  tlsCertPath?: string;
  tlsKeyPath?: string;
  /** trust X-Forwarded-* from a reverse proxy (then rate limits key on the real client address) */
  trustProxy: boolean;
  /** directory of the built dashboard; absent = API only */
  webRoot?: string;
  /** new vulnerability findings at or above this clinical risk score (0-100) raise an alert; KEV and life-sustaining always do */
  vulnAlertThreshold: number;
  /** JSON file listing the advisory feeds `careguard feeds sync` and the scheduler run (docs/vulns-feeds.md) */
  feedsConfigPath?: string;
  /** minutes between scheduled feed syncs in the server; 0 = never (default) */
  feedsIntervalMinutes: number;
  /** JSON file with network zones, conduits and allowed DICOM AE titles (docs/netmon-detections.md) */
  netmonPolicyPath?: string;
  /** UDP port of the NetFlow v5/v9 and IPFIX collector in the server; unset = no collector */
  netflowPort?: number;
  /** address the collector binds (default 127.0.0.1; 0.0.0.0 to hear exporters on the network) */
  netflowHost: string;
  /** seconds of flow records recorded together as one "netflow" capture (default 300) */
  netflowWindowSeconds: number;
  /** rotating capture directory (tcpdump -W / dumpcap -b ring) the server follows; unset = off */
  netmonCaptureDir?: string;
  /** milliseconds between looks for a new file in netmonCaptureDir (default 500) */
  netmonCapturePollMs: number;
  /** observations an ingest stores in full per (kind, client, server, port) group, and per capture at most */
  netmonObservations: { perGroup: number; maxStored: number };
  /** seed the demo hospital on first start (empty inventory) */
  demo: { enabled: boolean; devices: number; seed: number };
}

export type ConfigOverrides = Partial<Omit<Config, 'demo'>> & { demo?: Partial<Config['demo']> };

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? env.CAREGUARD_DATA_DIR ?? './data');
  const dbUrl = overrides.dbUrl ?? env.CAREGUARD_DB ?? resolve(dataDir, 'careguard.db');
  const port = overrides.port ?? parseIntSetting('CAREGUARD_PORT', env.CAREGUARD_PORT, 8080);
  if (port < 0 || port > 65535) throw configError('CAREGUARD_PORT', `must be 0..65535, got ${port}`);
  const auditKeyPath = overrides.auditKeyPath ?? env.CAREGUARD_AUDIT_KEY;
  const tlsCertPath = overrides.tlsCertPath ?? env.CAREGUARD_TLS_CERT;
  const tlsKeyPath = overrides.tlsKeyPath ?? env.CAREGUARD_TLS_KEY;
  if (Boolean(tlsCertPath) !== Boolean(tlsKeyPath)) throw configError('CAREGUARD_TLS_CERT/CAREGUARD_TLS_KEY', 'set both or neither');
  const vulnAlertThreshold = overrides.vulnAlertThreshold ?? parseIntSetting('CAREGUARD_VULN_ALERT_THRESHOLD', env.CAREGUARD_VULN_ALERT_THRESHOLD, 70);
  if (vulnAlertThreshold > 100) throw configError('CAREGUARD_VULN_ALERT_THRESHOLD', `must be 0..100, got ${vulnAlertThreshold}`);
  const feedsConfigPath = overrides.feedsConfigPath ?? env.CAREGUARD_FEEDS;
  const netmonPolicyPath = overrides.netmonPolicyPath ?? env.CAREGUARD_NETMON_POLICY;
  const netflowPort = overrides.netflowPort ?? (env.CAREGUARD_NETFLOW_PORT ? parseIntSetting('CAREGUARD_NETFLOW_PORT', env.CAREGUARD_NETFLOW_PORT, 0) : undefined);
  if (netflowPort !== undefined && netflowPort > 65535) throw configError('CAREGUARD_NETFLOW_PORT', `must be 0..65535, got ${netflowPort}`);
  const netflowWindowSeconds = overrides.netflowWindowSeconds ?? parseIntSetting('CAREGUARD_NETFLOW_WINDOW_SECONDS', env.CAREGUARD_NETFLOW_WINDOW_SECONDS, 300);
  if (netflowWindowSeconds < 10) throw configError('CAREGUARD_NETFLOW_WINDOW_SECONDS', `must be at least 10, got ${netflowWindowSeconds}`);
  const netmonCaptureDir = overrides.netmonCaptureDir ?? (env.CAREGUARD_NETMON_CAPTURE_DIR || undefined);
  const netmonCapturePollMs = overrides.netmonCapturePollMs ?? parseIntSetting('CAREGUARD_NETMON_CAPTURE_POLL_MS', env.CAREGUARD_NETMON_CAPTURE_POLL_MS, 500);
  if (netmonCapturePollMs < 50 || netmonCapturePollMs > 60_000) throw configError('CAREGUARD_NETMON_CAPTURE_POLL_MS', `must be 50..60000, got ${netmonCapturePollMs}`);
  const perGroup = overrides.netmonObservations?.perGroup ?? parseIntSetting('CAREGUARD_NETMON_OBSERVATIONS_PER_GROUP', env.CAREGUARD_NETMON_OBSERVATIONS_PER_GROUP, 10);
  const maxStored = overrides.netmonObservations?.maxStored ?? parseIntSetting('CAREGUARD_NETMON_OBSERVATIONS_MAX', env.CAREGUARD_NETMON_OBSERVATIONS_MAX, 200_000);
  if (perGroup < 1 || perGroup > 10_000) throw configError('CAREGUARD_NETMON_OBSERVATIONS_PER_GROUP', `must be 1..10000, got ${perGroup}`);
  if (maxStored < 1 || maxStored > 10_000_000) throw configError('CAREGUARD_NETMON_OBSERVATIONS_MAX', `must be 1..10000000, got ${maxStored}`);
  const demoDevices = overrides.demo?.devices ?? parseIntSetting('CAREGUARD_DEMO_DEVICES', env.CAREGUARD_DEMO_DEVICES, 3000);
  return {
    dbUrl,
    dataDir,
    host: overrides.host ?? env.CAREGUARD_HOST ?? '127.0.0.1',
    port,
    logLevel: overrides.logLevel ?? env.CAREGUARD_LOG_LEVEL ?? 'info',
    ...(auditKeyPath ? { auditKeyPath: resolve(auditKeyPath) } : {}),
    ...(tlsCertPath ? { tlsCertPath: resolve(tlsCertPath) } : {}),
    ...(tlsKeyPath ? { tlsKeyPath: resolve(tlsKeyPath) } : {}),
    trustProxy: overrides.trustProxy ?? env.CAREGUARD_TRUST_PROXY === 'true',
    vulnAlertThreshold,
    ...(feedsConfigPath ? { feedsConfigPath: resolve(feedsConfigPath) } : {}),
    feedsIntervalMinutes: overrides.feedsIntervalMinutes ?? parseIntSetting('CAREGUARD_FEEDS_INTERVAL_MINUTES', env.CAREGUARD_FEEDS_INTERVAL_MINUTES, 0),
    ...(netmonPolicyPath ? { netmonPolicyPath: resolve(netmonPolicyPath) } : {}),
    ...(netflowPort !== undefined ? { netflowPort } : {}),
    netflowHost: overrides.netflowHost ?? env.CAREGUARD_NETFLOW_HOST ?? '127.0.0.1',
    netflowWindowSeconds,
    ...(netmonCaptureDir ? { netmonCaptureDir: resolve(netmonCaptureDir) } : {}),
    netmonCapturePollMs,
    netmonObservations: { perGroup, maxStored },
    ...(overrides.webRoot !== undefined ? { webRoot: overrides.webRoot } : {}),
    demo: {
      enabled: overrides.demo?.enabled ?? env.CAREGUARD_DEMO === 'true',
      devices: demoDevices,
      seed: overrides.demo?.seed ?? parseIntSetting('CAREGUARD_DEMO_SEED', env.CAREGUARD_DEMO_SEED, 42),
    },
  };
}

/**
 * The server refuses to start when CAREGUARD_NETMON_CAPTURE_DIR names no readable directory: a typo
 * or an unmounted capture volume is better reported at once than found missing weeks later. (Not in
 * loadConfig: the CLI reads the same settings and does not follow the directory.)
 */
export function checkNetmonCaptureDir(config: Pick<Config, 'netmonCaptureDir'>): void {
  const dir = config.netmonCaptureDir;
  if (!dir) return;
  const setting = 'CAREGUARD_NETMON_CAPTURE_DIR';
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (e) {
    throw configError(setting, `names ${dir}, which does not exist or cannot be reached (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!isDirectory) throw configError(setting, `names ${dir}, which is not a directory`);
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch (e) {
    throw configError(setting, `names ${dir}, which this process cannot list (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

function parseIntSetting(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw configError(name, `must be a whole number, got "${raw}"`);
  return Number(raw.trim());
}

function configError(setting: string, message: string): DomainError {
  return new DomainError('config.invalid', `configuration ${setting} ${message}`, { details: { setting } });
}
