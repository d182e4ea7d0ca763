/**
 * @module Device search API under load: p50/p99 latency of filtered pages of 50 at N devices on
 * SQLite, 32 concurrent connections (autocannon) against a real `careguard serve` child process.
 * Reference in the same run: GET /healthz on the same server (framework + network floor).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { systemActor } from '../src/core/index.js';
import { seedDemoHospital } from '../src/inventory/demo/index.js';
import { loadConfig } from '../src/main/config.js';
import { createContainer } from '../src/main/container.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function benchSearch(opts: { devices: number; durationSec?: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-search-'));
  const duration = opts.durationSec ?? 15;
  try {
    const config = loadConfig({}, { dataDir: dir, logLevel: 'warn' });
    const c = await createContainer(config);
    const t0 = performance.now();
    await seedDemoHospital(c.inventory, { seed: 7, count: opts.devices }, systemActor('bench'));
    const seedMs = performance.now() - t0;
    const token = await c.tokens.create(systemActor('bench'), { kind: 'machine' }, { name: 'bench', scopes: ['devices:read'], expiresInDays: 1 });
    const facets = await c.inventory.facets();
    await c.close();

    const port = 18000 + Math.floor(Math.random() * 2000);
    const child = spawn(process.execPath, [join(ROOT, 'bin/careguard.js'), '--db', config.dbUrl, '--data-dir', dir, '--log-level', 'warn', 'serve', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (b: Buffer) => (b.toString().includes('is running at') ? res() : undefined));
      child.once('exit', (code) => rej(new Error(`server exited with ${code}`)));
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const headers = { authorization: `Bearer ${token.secret}` };
      const top = (list: Array<{ value: string }>, i: number) => encodeURIComponent(list[i % list.length]?.value ?? '');
      const paths = [
        `/api/v1/devices?limit=50&criticality=life-sustaining`,
        `/api/v1/devices?limit=50&category=${top(facets.categories, 0)}&sort=lastSeen&order=desc`,
        `/api/v1/devices?limit=50&manufacturer=${top(facets.manufacturers, 1)}&status=in-service`,
        `/api/v1/devices?limit=50&unit=${top(facets.units, 2)}&sort=name`,
        `/api/v1/devices?limit=50&q=alaris`,
        `/api/v1/devices?limit=50&sort=manufacturer`,
      ];
      const run = (requests: Array<{ path: string }>) =>
        autocannon({ url: base, connections: 32, duration, headers, requests: requests.map((r) => ({ method: 'GET', path: r.path })) });
      await run(paths.map((path) => ({ path }))).then(() => undefined); // warm-up: page cache, JIT
      const search = await run(paths.map((path) => ({ path })));
      const health = await autocannon({ url: `${base}/healthz`, connections: 32, duration: Math.max(5, duration / 3) });
      return {
        devices: opts.devices,
        'seed time (s)': seedMs / 1000,
        'search requests/s': search.requests.average,
        'search p50 latency (ms)': search.latency.p50,
        'search p99 latency (ms)': search.latency.p99,
        'search errors (non-2xx)': search.non2xx + search.errors,
        'healthz p99 latency (ms, reference)': health.latency.p99,
        'healthz requests/s (reference)': health.requests.average,
        'search/healthz throughput ratio': search.requests.average / health.requests.average,
      };
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
