/**
 * @module What `careguard demo seed` does when it runs (demo-seed.ts registers it): generates the
 * demo hospital into the inventory, then the demo advisories, SBOMs and findings, with a progress bar.
 */
import cliProgress from 'cli-progress';
import { invalidInput } from '../../core/index.js';
import { MAX_DEMO_DEVICES, seedDemoHospital, type DemoSeedTarget } from '../../inventory/demo/index.js';
import type { VulnCapability } from '../../vulns/capability.js';
import { seedDemoVulns } from '../../vulns/demo/seed.js';
import type { CliContext } from '../context.js';
import { writeJson } from '../render.js';
import { cliActor } from './users.js';

export interface DemoSeedFlags {
  devices: string;
  seed: string;
  json?: boolean;
  vulns?: boolean;
}

export async function seedDemo(ctx: CliContext<{ inventory: DemoSeedTarget; vulns?: VulnCapability }>, flags: DemoSeedFlags): Promise<void> {
  const count = Number(flags.devices);
  const seed = Number(flags.seed);
  if (!Number.isInteger(count) || count < 0 || count > MAX_DEMO_DEVICES) throw invalidInput('cli.invalid_option', `--devices must be an integer from 0 to ${MAX_DEMO_DEVICES}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw invalidInput('cli.invalid_option', '--seed must be an integer from 0 to 4294967295');
  const io = ctx.io;
  const services = await ctx.open();
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const bar = new cliProgress.SingleBar({ stream: io.stderr, noTTYOutput: !tty, notTTYSchedule: 5000, hideCursor: tty, format: 'seeding [{bar}] {value}/{total} devices' }, cliProgress.Presets.shades_classic);
  bar.start(Math.max(1, count), 0);
  try {
    const started = performance.now();
    const result = await seedDemoHospital(services.inventory, { seed, count, onProgress: (done) => bar.update(done) }, cliActor());
    bar.stop();
    const vulns = flags.vulns === false || !services.vulns ? undefined : await seedDemoVulns(services.vulns.service, cliActor());
    const seconds = (performance.now() - started) / 1000;
    if (flags.json) writeJson(io, { seed, ...result, ...(vulns ? { vulns } : {}), seconds });
    else {
      io.stdout.write(`seeded ${result.devices} demo devices (seed ${seed}): created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged} in ${seconds.toFixed(1)} s\n`);
      if (vulns) io.stdout.write(`demo vulnerability data: ${vulns.advisories} new advisories, ${vulns.products} product versions, ${vulns.sboms} new SBOMs, ${vulns.openedFindings} new findings, ${vulns.alerts} alerts\n`);
    }
  } finally {
    bar.stop();
    await services.close();
  }
}
