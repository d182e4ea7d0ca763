/**
 * @module Device search API under load: p50/p99 latency of filtered pages of 50 at N devices on
 * SQLite, 32 concurrent connections (autocannon) against a real `careguard serve` child process.
 * References in the same run: the same searches with fields=full (full devices with provenance,
 * the list's previous default) and GET /healthz on the same server (framework + network floor).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { systemActor } from '../src/core/index.js';
import { seedDemoHospital } from '../src/inventory/demo/index.js';
import { loadConfig } from '../src/main/config.js';
import { createContainer } from '../src/main/container.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `careguard serve` as a child process: the build when there is one (what `npm start` runs), else
 * the same CLI from source through tsx (a checkout that was never built).
 */
function serverCommand(cliArgs: string[]): string[] {
  if (existsSync(join(ROOT, 'dist/cli/main.js'))) return [join(ROOT, 'bin/careguard.js'), ...cliArgs];
  const main = pathToFileURL(join(ROOT, 'src/cli/main.ts')).href;
  const script = `const { runCli } = await import(${JSON.stringify(main)}); process.exitCode = await runCli(['node', 'careguard', ...process.argv.slice(1)]);`;
  return ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...cliArgs];
}

export async function benchSearch(opts: { devices: number; durationSec?: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-search-'));
  const duration = opts.durationSec ?? 15;
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
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
    const cliArgs = ['--db', config.dbUrl, '--data-dir', dir, '--log-level', 'warn', 'serve', '--port', String(port)];
    const child = spawn(process.execPath, serverCommand(cliArgs), { stdio: ['ignore', 'pipe', 'inherit'] });
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
      const run = (list: string[]) => autocannon({ url: base, connections: 32, duration, headers, requests: list.map((path) => ({ method: 'GET', path })) });
      // The previous default, full devices with provenance, measured in the same run as a reference.
      const fullPaths = paths.map((path) => `${path}&fields=full`);
      await run(paths).then(() => undefined); // warm-up: page cache, JIT
      await run(fullPaths).then(() => undefined);
      const search = await run(paths);
      const full = await run(fullPaths);
      const health = await autocannon({ url: `${base}/healthz`, connections: 32, duration: Math.max(5, duration / 3) });
      const bytes = async (path: string) => (await (await fetch(base + path, { headers })).arrayBuffer()).byteLength;
      return {
        devices: opts.devices,
        'seed time (s)': seedMs / 1000,
        'load average at start': loadAtStart,
        'search requests/s': search.requests.average,
        'search p50 latency (ms)': search.latency.p50,
        'search p99 latency (ms, target < 25)': search.latency.p99,
        'search errors (non-2xx)': search.non2xx + search.errors,
        'page bytes (first path)': await bytes(paths[0]!),
        'fields=full requests/s (reference: previous default)': full.requests.average,
        'fields=full p50 latency (ms, reference)': full.latency.p50,
        'fields=full p99 latency (ms, reference)': full.latency.p99,
        'fields=full page bytes (reference)': await bytes(fullPaths[0]!),
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

// `npx tsx bench/search.bench.ts [devices] [seconds per run]` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchSearch({ devices: Number(process.argv[2] ?? 100_000), durationSec: Number(process.argv[3] ?? 15) });
  for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(55)} ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v}`);
}
