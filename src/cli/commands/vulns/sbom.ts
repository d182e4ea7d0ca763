/**
 * @module `careguard sbom import FILE` (store an SBOM for a product and reconcile its findings)
 * and `careguard scan SBOM_FILE` (match one SBOM against the local advisory store, no writes;
 * table, JSON or SARIF; exit 1 when a finding at or above --fail-on exists).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalidInput } from '../../../core/index.js';
import type { VulnCapability } from '../../../vulns/capability.js';
import { scanSbom, SCAN_SEVERITIES, severityAtLeast, type ScanFinding, type ScanSeverity } from '../../../vulns/scan.js';
import { toSarif } from '../../../vulns/sarif.js';
import { EXIT, type CliContext } from '../../context.js';
import { renderTable, writeJson, type Column } from '../../render.js';
import { cliActor } from '../users.js';

export function readDocument(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw invalidInput('cli.unreadable_file', `cannot read ${file}: ${(e as Error).message}`, { location: { file } });
  }
}

const FINDING_COLUMNS: Column<ScanFinding>[] = [
  { header: 'SEVERITY', value: (f) => f.severity.toUpperCase() },
  { header: 'VULNERABILITY', value: (f) => f.vulnerabilityId, maxWidth: 24 },
  { header: 'COMPONENT', value: (f) => f.component.name, maxWidth: 28 },
  { header: 'VERSION', value: (f) => f.component.version ?? '', maxWidth: 16 },
  { header: 'FIXED IN', value: (f) => f.fixedVersions.join(', '), maxWidth: 18 },
  { header: 'CVSS', value: (f) => (f.cvss ? f.cvss.baseScore.toFixed(1) : '') },
  { header: 'KEV', value: (f) => (f.kev ? 'yes' : '') },
  { header: 'EPSS%', value: (f) => (f.epssPercentile === undefined ? '' : (f.epssPercentile * 100).toFixed(0)) },
  { header: 'RULE', value: (f) => `${f.rule}${f.needsReview ? ' (review)' : ''}` },
  { header: 'ADVISORY', value: (f) => f.advisoryId, maxWidth: 24 },
];

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
    .action(async (file: string, flags: { format: string; failOn?: string; output?: string }) => {
      if (!['table', 'json', 'sarif'].includes(flags.format)) throw invalidInput('cli.invalid_option', '--format must be table, json or sarif');
      if (flags.failOn !== undefined && !(SCAN_SEVERITIES as readonly string[]).includes(flags.failOn)) throw invalidInput('cli.invalid_option', `--fail-on must be one of ${SCAN_SEVERITIES.join(', ')}`);
      const text = readDocument(file);
      const services = await ctx.open();
      try {
        const result = await scanSbom(text, services.vulns.repo, file);
        let out: string;
        if (flags.format === 'json') out = `${JSON.stringify(result, null, 2)}\n`;
        else if (flags.format === 'sarif') out = `${JSON.stringify(toSarif(result, file, '0.1.0'), null, 2)}\n`;
        else {
          out = renderTable(result.findings, FINDING_COLUMNS);
          const needsReview = result.findings.filter((f) => f.needsReview).length;
          out += `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} in ${result.sbom.components} components (${result.advisoriesConsidered} candidate advisories)${needsReview ? `; ${needsReview} need review` : ''}\n`;
        }
        if (flags.output) writeFileSync(flags.output, out);
        else ctx.io.stdout.write(out);
        const threshold = flags.failOn as ScanSeverity | undefined;
        if (threshold && result.findings.some((f) => severityAtLeast(f.severity, threshold))) process.exitCode = EXIT.findings;
      } finally {
        await services.close();
      }
    });
}
