/**
 * @module Builds the whole HTTP API in-process for end-to-end tests through the composition root
 * (src/main/container.ts + src/main/routes.ts), on a fresh in-memory SQLite database, with every
 * capability's routes. Two test-only substitutions: the auth services get a cheap password hash
 * (scrypt 2^10 instead of 2^15), a controllable clock and policy, and an audit recorder that also
 * keeps a copy of each event for assertions; log output is captured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type BuildAppOptions } from '../../../src/api/app.js';
import type { ApiApp } from '../../../src/api/types.js';
import type { AuditEventInput, AuditRecorder, AuditService } from '../../../src/audit/index.js';
import { createAuthServices, PasswordHasher, ROLES, type AuthPolicy, type AuthServices, type Role } from '../../../src/auth/index.js';
import { createLogger, systemActor, systemClock, type Clock } from '../../../src/core/index.js';
import { loadConfig } from '../../../src/main/config.js';
import { createContainer, type Container } from '../../../src/main/container.js';
import { apiRoutes } from '../../../src/main/routes.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAuthStore } from '../../../src/storage/repositories/auth.js';

/** Every test user's password (long enough for the policy, never a real one). */
export const TEST_PASSWORD = 'correct-horse-battery-staple-9';

/** Cheap scrypt for tests; production uses DEFAULT_SCRYPT (2^15). */
export const testHasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });

/**
 * Records into the real, tamper-evident audit log (in the caller's transaction) and keeps a copy
 * of each event for assertions. A copy stays even if its transaction later rolls back.
 */
export class CapturingAudit implements AuditRecorder {
  readonly events: AuditEventInput[] = [];
  constructor(readonly log: AuditService) {}
  async record(event: AuditEventInput, executor?: unknown): Promise<void> {
    await this.log.record(event, executor);
    this.events.push(event);
  }
}

export interface TestApp {
  app: ApiApp;
  container: Container;
  db: DatabaseHandle;
  services: AuthServices;
  audit: CapturingAudit;
  /** every log line the app wrote */
  logs: () => string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  policy?: Partial<AuthPolicy>;
  bodyLimit?: number;
  webRoot?: string;
  trustProxy?: boolean;
  checkDatabase?: () => Promise<void>;
  https?: BuildAppOptions['https'];
  /** extra route modules (tests of the framework itself) */
  routes?: BuildAppOptions['routes'];
}

export async function buildFullTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });
  const clock = options.clock ?? systemClock;
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-e2e-'));
  const container = await createContainer(loadConfig({}, { dbUrl: ':memory:', dataDir, logLevel: 'debug' }), { logger, clock });
  const audit = new CapturingAudit(container.audit);
  const services = createAuthServices({
    store: createAuthStore(container.storage.db),
    audit,
    clock,
    hasher: testHasher,
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const wired: Container = { ...container, ...services };
  const dispose = async () => {
    await container.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let app: ApiApp;
  try {
    app = await buildApp({
      logger,
      auth: services,
      routes: [...apiRoutes(wired), ...(options.routes ?? [])],
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
      ...(options.checkDatabase ? { checkDatabase: options.checkDatabase } : {}),
      ...(options.https ? { https: options.https } : {}),
    });
  } catch (e) {
    await dispose();
    throw e;
  }
  return {
    app,
    container: wired,
    db: container.storage,
    services,
    audit,
    logs: () => chunks.join(''),
    close: async () => {
      await app.close();
      await dispose();
    },
  };
}

/** One user per role, named after it (e.g. `security_analyst`), all with TEST_PASSWORD. */
export async function seedRoleUsers(t: TestApp): Promise<Record<Role, string>> {
  const ids = {} as Record<Role, string>;
  for (const role of ROLES) {
    const { user } = await t.services.users.create(systemActor('test'), { username: role, role, password: TEST_PASSWORD });
    ids[role] = user.id;
  }
  return ids;
}

export interface Session {
  cookie: string;
  csrf: string;
  /** headers for a state-changing request with this session */
  headers: Record<string, string>;
}

export async function signIn(app: ApiApp, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const set = res.cookies.find((c) => c.name === 'cg_session');
  if (!set) throw new Error('no session cookie');
  const cookie = `cg_session=${set.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
