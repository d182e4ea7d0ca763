/**
 * @module `careguard sbom import FILE` (store an SBOM for a product and reconcile its findings)
 * and `careguard scan SBOM_FILE` (match one SBOM against the local advisory store, no writes;
 * table, JSON or SARIF; exit 1 when a finding at or above --fail-on exists). The matchers are
 * loaded when `scan` runs (scan-run.ts); `sbom import` works through the services of ctx.open().
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalidInput } from '../../../core/errors.js';
import type { VulnCapability } from '../../../vulns/capability.js';
// scan-severity.js, not scan.js: the help lists the levels without loading the SBOM parsers and matchers
import { SCAN_SEVERITIES } from '../../../vulns/scan-severity.js';
import type { CliContext } from '../../context.js';
import { writeJson } from '../../render.js';
import { cliActor } from '../users.js';
import type { ScanFlags } from './scan-run.js';

export function readDocument(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw invalidInput('cli.unreadable_file', `cannot read ${file}: ${(e as Error).message}`, { location: { file } });
  }
}

export function registerSbomCommands(program: Command, ctx: CliContext<{ vulns: VulnCapability }>): void {
  const sbom = program.command('sbom').description('software bills of materials: import into a product');
  sbom
    .command('import <file>')
    .description('import a CycloneDX (JSON 1.2-1.6) or SPDX (2.2/2.3 JSON or tag-value) SBOM for a product, then reconcile its findings')
    .option('--product-id <id>', 'an existing product version')
    .option('--manufacturer <name>', 'product manufacturer (with --name; default: the SBOM metadata component supplier)')
    .option('--name <name>', 'product name')
    .option('--product-version <version>', 'product firmware/software version')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { productId?: string; manufacturer?: string; name?: string; productVersion?: string; json?: boolean }) => {
      if ((flags.manufacturer === undefined) !== (flags.name === undefined)) throw invalidInput('cli.invalid_option', 'give --manufacturer and --name together');
      const text = readDocument(file);
      const services = await ctx.open();
      try {
        const r = await services.vulns.service.importSbom(
          text,
          {
            file,
            ...(flags.productId ? { productId: flags.productId } : {}),
            ...(flags.manufacturer && flags.name ? { product: { manufacturer: flags.manufacturer, name: flags.name, ...(flags.productVersion ? { version: flags.productVersion } : {}) } } : {}),
          },
          cliActor(),
        );
        if (flags.json) return writeJson(ctx.io, r);
        const p = r.product;
        ctx.io.stdout.write(
          r.created
            ? `imported ${r.sbom.format} ${r.sbom.specVersion} SBOM ${r.sbom.id} for ${p.manufacturer} ${p.name} ${p.version} (${p.id}): ${r.sbom.componentCount} components\n` +
                `findings: ${r.opened} new, ${r.refreshed} still open, ${r.closed} closed; ${r.alerts} alerts raised\n`
            : `this SBOM (sha256 ${r.sbom.sha256.slice(0, 16)}...) is already the latest for ${p.manufacturer} ${p.name} ${p.version}; nothing changed\n`,
        );
        const flagged = Object.entries(r.flagged);
        if (flagged.length > 0) ctx.io.stdout.write(`components kept but flagged: ${flagged.map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
      } finally {
        await services.close();
      }
    });

  program
    .command('scan <sbom>')
    .description('match one SBOM against the local advisory store without storing anything (exit 1 when findings at or above --fail-on exist)')
    .option('--format <format>', 'table, json or sarif', 'table')
    .option('--fail-on <severity>', `exit 1 when a finding is at least this severe: ${SCAN_SEVERITIES.join(', ')}`)
    .option('--output <file>', 'write the report to a file instead of stdout')
    .action(async (file: string, flags: ScanFlags) => (await import('./scan-run.js')).scanCommand(ctx, file, flags));
}
