/**
 * @module Starts a real CareGuard server for the browser test: in-process, on 127.0.0.1 with an
 * ephemeral port, a fresh SQLite database and data directory in a temp folder, seeded with the demo
 * hospital, a few alerts on its devices and a read-only viewer account, and serving the built dashboard from web/dist. Everything
 * is removed again on close().
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlertSeverity } from '../../../src/alerts/index.js';
import { systemActor } from '../../../src/core/index.js';
import { startServer } from '../../../src/main/server.js';
import type { RunningServer } from '../../../src/main/server.js';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const webRoot = join(repoRoot, 'web', 'dist');

export interface Credentials {
  username: string;
  password: string;
}

export interface TestServer {
  url: string;
  adminUsername: string;
  adminPassword: string;
  /** a clinician_viewer account: reads devices and alerts, may not triage */
  viewer: Credentials;
  close(): Promise<void>;
}

const SEEDED_ALERTS: { title: string; severity: AlertSeverity; category: string; description: string; evidence?: { kind: string; ref: string; detail?: string }[] }[] = [
  {
    title: 'Telnet service exposed',
    severity: 'critical',
    category: 'exposure',
    description: 'TCP/23 answered on the device management interface.',
    evidence: [{ kind: 'flow', ref: 'capture-icu.pcapng#frame=812', detail: 'SYN/ACK from TCP/23 to 10.40.2.17' }],
  },
  { title: 'Unencrypted DICOM association', severity: 'high', category: 'cleartext-phi', description: 'C-STORE over plain TCP/104 carrying patient data.' },
  { title: 'Default SNMP community accepted', severity: 'medium', category: 'weak-credentials', description: 'SNMPv2c "public" returned the system MIB.' },
  { title: 'New outbound destination', severity: 'low', category: 'baseline-deviation', description: 'First connection to an address outside the learned baseline.' },
  { title: 'Firmware older than vendor baseline', severity: 'info', category: 'posture', description: 'Reported firmware predates the manufacturer-recommended version.' },
];

/** Raises a handful of alerts on the first demo devices so the alert pages have something to show. */
async function seedAlerts(server: RunningServer): Promise<void> {
  const { items } = await server.container.inventory.search({ sort: 'name', order: 'asc', limit: 8 });
  const actor = systemActor('e2e-seed');
  for (const [i, device] of items.entries()) {
    const template = SEEDED_ALERTS[i % SEEDED_ALERTS.length];
    if (!template) continue;
    await server.container.alerts.raise({ ...template, source: 'netmon', deviceId: device.id }, actor);
  }
}

/** `webRoot`: another build of the dashboard to serve (default web/dist) */
export async function startTestServer(options: { devices?: number; webRoot?: string } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'careguard-web-e2e-'));
  let server: RunningServer | undefined;
  let viewer: Credentials | undefined;
  try {
    // an empty environment: CAREGUARD_* variables of the machine running the tests must not leak in
    server = await startServer(
      { dbUrl: join(dataDir, 'careguard.db'), dataDir, host: '127.0.0.1', port: 0, logLevel: 'warn', demoDevices: options.devices ?? 240, webRoot: options.webRoot ?? webRoot },
      {},
    );
    if (!server.adminPassword) throw new Error('startServer() on a fresh database returned no adminPassword; the browser test cannot sign in');
    await seedAlerts(server);
    const created = await server.container.users.create(systemActor('e2e-seed'), { username: 'viewer', role: 'clinician_viewer', displayName: 'Ward Viewer' });
    if (!created.generatedPassword) throw new Error('creating the viewer account returned no generated password');
    viewer = { username: 'viewer', password: created.generatedPassword };
  } catch (e) {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const running = server;
  return {
    url: running.url.replace(/\/$/, ''),
    adminUsername: 'admin',
    adminPassword: running.adminPassword ?? '',
    viewer: viewer ?? { username: '', password: '' },
    close: async () => {
      try {
        await running.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Builds the dashboard once when no build is there (npm test builds it before the tests run). */
export function ensureWebBuilt(): void {
  if (existsSync(join(webRoot, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: repoRoot, stdio: 'inherit' });
}
