/** @module `careguard serve`: runs the API server and dashboard until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import type { ConfigOverrides } from '../../main/config.js';
import type { CliIO } from '../context.js';

export function registerServeCommand(program: Command, io: CliIO, globals: () => ConfigOverrides): void {
  program
    .command('serve')
    .description('run the CareGuard API server and dashboard')
    .option('--host <host>', 'address to listen on (env CAREGUARD_HOST; default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (env CAREGUARD_PORT; default 8080)', (v) => parsePort(v))
    .option('--demo', 'seed the demo hospital when the inventory is empty (env CAREGUARD_DEMO=true)')
    .option('--devices <n>', 'demo hospital size (default 3000)', (v) => Number.parseInt(v, 10))
    .option('--seed <n>', 'demo generator seed (default 42)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { host?: string; port?: number; demo?: boolean; devices?: number; seed?: number }) => {
      const g = globals();
      const { startServer } = await import('../../main/server.js');
      const server = await startServer({
        ...g,
        logLevel: program.opts<{ logLevel?: string }>().logLevel ?? process.env.CAREGUARD_LOG_LEVEL ?? 'info',
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        demo: { ...(opts.demo ? { enabled: true } : {}), ...(opts.devices ? { devices: opts.devices } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
      });
      const c = server.container.config;
      io.stdout.write(`\nCareGuard is running at ${server.url}\n`);
      io.stdout.write(`  database: ${server.container.storage.location}\n`);
      if (server.demoSeeded) io.stdout.write(`  demo hospital seeded with ${server.demoSeeded} devices (seed ${c.demo.seed})\n`);
      if (server.adminPassword) {
        io.stdout.write(`\n  First start: an administrator account was created.\n`);
        io.stdout.write(`    username: admin\n    password: ${server.adminPassword}\n`);
        io.stdout.write(`  This password is shown only once. Change it after logging in.\n\n`);
      }
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      io.stdout.write('shutting down...\n');
      await server.close();
    });
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be 0..65535, got ${v}`);
  return n;
}
