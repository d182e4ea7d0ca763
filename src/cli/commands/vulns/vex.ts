/**
 * @module `careguard vex import FILE` (statements become triage decisions on matching findings)
 * and `careguard vex export --product ID --format cyclonedx|csaf|openvex` (a product's findings
 * and triage as a VEX document).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalidInput } from '../../../core/errors.js';
import type { VulnCapability } from '../../../vulns/capability.js';
// the model file, not vex/index.js: the help lists the formats without loading the VEX parsers
import { VEX_FORMATS, type VexFormat } from '../../../vulns/vex/model.js';
import type { CliContext } from '../../context.js';
import { writeJson } from '../../render.js';
import { cliActor } from '../users.js';
import { readDocument } from './sbom.js';

export function registerVexCommands(program: Command, ctx: CliContext<{ vulns: VulnCapability }>): void {
  const vex = program.command('vex').description('VEX: import vendor or analyst statements, export a product\'s status');
  vex
    .command('import <file>')
    .description('import CycloneDX VEX (1.4-1.6), CSAF 2.0 or OpenVEX; decisions apply to matching findings and to findings that appear later')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const text = readDocument(file);
      const s = await ctx.open();
      try {
        const r = await s.vulns.vex.importVex(text, file, cliActor());
        if (flags.json) return writeJson(ctx.io, r);
        ctx.io.stdout.write(`${r.format} ${r.specVersion}: ${r.statements} statements; ${r.findingsUpdated} open findings triaged, ${r.decisionsKept} decisions kept for later, ${r.unmatched.length} statements matched nothing\n`);
        for (const u of r.unmatched.slice(0, 20)) ctx.io.stdout.write(`  unmatched ${u.vulnerabilityId} at ${u.pointer}: ${u.reason}\n`);
        for (const w of r.warnings.slice(0, 20)) ctx.io.stderr.write(`warning: ${w}\n`);
      } finally {
        await s.close();
      }
    });
  vex
    .command('export')
    .description("export a product's findings and triage as a VEX document")
    .requiredOption('--product <id>', 'product version id')
    .option('--format <format>', VEX_FORMATS.join(', '), 'cyclonedx')
    .option('--publisher <name>', 'CSAF publisher name (default: the manufacturer)')
    .option('--namespace <url>', 'CSAF publisher namespace URL')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (flags: { product: string; format: string; publisher?: string; namespace?: string; output?: string }) => {
      if (!(VEX_FORMATS as readonly string[]).includes(flags.format)) throw invalidInput('cli.invalid_option', `--format must be one of ${VEX_FORMATS.join(', ')}`);
      const s = await ctx.open();
      try {
        const doc = await s.vulns.vex.exportVex(flags.product, {
          format: flags.format as VexFormat,
          publisher: { ...(flags.publisher ? { name: flags.publisher } : {}), ...(flags.namespace ? { namespace: flags.namespace } : {}) },
        });
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        if (flags.output) writeFileSync(flags.output, text);
        else ctx.io.stdout.write(text);
      } finally {
        await s.close();
      }
    });
}
