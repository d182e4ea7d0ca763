/**
 * @module `careguard demo seed [--devices N] [--seed S]`: fills the inventory with the
 * deterministic demo hospital (the same data `npm start` seeds on first run). Seeding again with
 * the same seed and count changes nothing. The generator is loaded when the command runs (demo-seed-run.ts).
 */
import type { Command } from 'commander';
import type { DemoSeedTarget } from '../../inventory/demo/index.js';
import type { VulnCapability } from '../../vulns/capability.js';
import type { CliContext } from '../context.js';
import type { DemoSeedFlags } from './demo-seed-run.js';

export function registerDemoSeedCommand(program: Command, ctx: CliContext<{ inventory: DemoSeedTarget; vulns?: VulnCapability }>): void {
  const demo = program.command('demo').description('demo data');
  demo
    .command('seed')
    .description('seed the inventory with a generated hospital (deterministic for a given seed and count)')
    .option('--devices <n>', 'number of devices', '3000')
    .option('--seed <n>', 'generator seed', '42')
    .option('--no-vulns', 'skip the demo advisories, SBOMs and findings')
    .option('--json', 'print the result as JSON')
    .action(async (flags: DemoSeedFlags) => (await import('./demo-seed-run.js')).seedDemo(ctx, flags));
}
