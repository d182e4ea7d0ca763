/**
 * @module Starts the HTTP server: container, first-start bootstrap (admin account, demo hospital),
 * API with every capability's routes, and the dashboard. Used by `careguard serve`, `npm start`
 * and the end-to-end tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { buildApp } from '../api/app.js';
import type { ApiApp } from '../api/types.js';
import { systemActor } from '../core/index.js';
import { seedDemoVulns } from '../vulns/demo/seed.js';
import { seedDemoHospital } from '../inventory/demo/index.js';
import { checkNetmonCaptureDir, loadConfig, type Config, type ConfigOverrides } from './config.js';
import { scheduleFeeds } from './feeds-scheduler.js';
import { startCollectorService } from '../netmon/collector-service.js';
import { startCaptureWatch, type RunningCaptureWatch } from '../netmon/capture-watch-service.js';
import { createContainer, type Container } from './container.js';
import { apiRoutes } from './routes.js';

export interface StartServerOptions extends ConfigOverrides {
  /** seed the demo hospital when the inventory is empty; `{ devices }` picks the size */
  demoDevices?: number | false;
  /** listen on this port (0 = ephemeral); default from config */
  port?: number;
}

export interface RunningServer {
  url: string;
  app: ApiApp;
  container: Container;
  /** set only on the start that created the first admin account */
  adminPassword?: string;
  demoSeeded?: number;
  close(): Promise<void>;
}

/** Where the built dashboard lives, relative to this file in dist/ or src/. */
export function defaultWebRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../../web/dist'), resolve(here, '../../../web/dist')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

export async function startServer(options: StartServerOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const { demoDevices, ...overrides } = options;
  const config: Config = loadConfig(env, overrides);
  checkNetmonCaptureDir(config);
  const container = await createContainer(config);
  let captureWatch: RunningCaptureWatch | undefined;
  // closed again if anything after listen fails (the NetFlow port taken, say): a failed start must
  // not leave the HTTP port bound with a closed database behind it
  let listening: { close(): Promise<unknown> } | undefined;
  try {
    const admin = await container.users.ensureInitialAdmin();
    let demoSeeded: number | undefined;
    const demoCount = demoDevices === undefined ? (config.demo.enabled ? config.demo.devices : false) : demoDevices;
    if (demoCount !== false && demoCount > 0) {
      const existing = await container.inventory.search({ limit: 1 });
      if (existing.total === 0) {
        const started = Date.now();
        await seedDemoHospital(container.inventory, { seed: config.demo.seed, count: demoCount }, systemActor('demo'));
        const vulns = await seedDemoVulns(container.vulns.service, systemActor('demo'));
        demoSeeded = demoCount;
        container.logger.info({ devices: demoCount, ...vulns, ms: Date.now() - started }, 'demo hospital seeded');
      }
    }

    const webRoot = config.webRoot ?? defaultWebRoot();
    const tls = readTlsOptions(config);
    const app = await buildApp({
      ...(tls ? { https: tls } : {}),
      logger: container.logger,
      auth: { auth: container.auth, users: container.users, tokens: container.tokens },
      routes: apiRoutes(container, { captureWatch: () => captureWatch?.status() }),
      ...(webRoot ? { webRoot } : {}),
      trustProxy: config.trustProxy,
      checkDatabase: async () => {
        await sql`select 1`.execute(container.storage.db);
      },
    });
    const address = await app.listen({ host: config.host, port: config.port });
    listening = app;
    const url = address.replace('[::1]', 'localhost');
    if (config.netmonCaptureDir) {
      captureWatch = startCaptureWatch(container.netmon, { directory: config.netmonCaptureDir, pollMs: config.netmonCapturePollMs }, container.clock, container.logger);
    }
    const collector =
      config.netflowPort !== undefined
        ? await startCollectorService(container.netmon, { host: config.netflowHost, port: config.netflowPort, windowSeconds: config.netflowWindowSeconds }, container.clock, container.logger)
        : undefined;
    const schedule =
      config.feedsConfigPath && config.feedsIntervalMinutes > 0 ? scheduleFeeds(container.vulns.feeds, config.feedsConfigPath, config.feedsIntervalMinutes, container.logger) : undefined;
    return {
      url,
      app,
      container,
      ...(admin ? { adminPassword: admin.password } : {}),
      ...(demoSeeded ? { demoSeeded } : {}),
      close: async () => {
        schedule?.stop();
        await captureWatch?.close();
        await collector?.close();
        await app.close();
        await container.close();
      },
    };
  } catch (e) {
    await captureWatch?.close();
    await listening?.close();
    await container.close();
    throw e;
  }
}

export function readTlsOptions(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tlsCertPath || !config.tlsKeyPath) return undefined;
  return { cert: readFileSync(config.tlsCertPath), key: readFileSync(config.tlsKeyPath) };
}
