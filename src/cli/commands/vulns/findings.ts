/**
 * @module `careguard products list|add|sync` and `careguard findings list|show|triage`: the same
 * services as the API, for scripts and terminals.
 */
import type { Command } from 'commander';
import { invalidInput } from '../../../core/errors.js';
import type { VulnCapability } from '../../../vulns/capability.js';
import { VEX_JUSTIFICATIONS, VEX_STATES, type Finding, type VexJustification, type VexState } from '../../../vulns/findings/model.js';
import type { FindingFilter, Product } from '../../../vulns/ports.js';
import type { CliContext } from '../../context.js';
import { renderTable, writeJson, type Column } from '../../render.js';
import { cliActor } from '../users.js';

const PRODUCT_COLUMNS: Column<Product>[] = [
  { header: 'ID', value: (p) => p.id, maxWidth: 32 },
  { header: 'MANUFACTURER', value: (p) => p.manufacturer, maxWidth: 24 },
  { header: 'NAME', value: (p) => p.name, maxWidth: 28 },
  { header: 'VERSION', value: (p) => p.version, maxWidth: 16 },
  { header: 'ORIGIN', value: (p) => p.origin },
];

const FINDING_COLUMNS: Column<Finding>[] = [
  { header: 'ID', value: (f) => f.id, maxWidth: 32 },
  { header: 'RISK', value: (f) => f.riskScore.toFixed(0) },
  { header: 'VULNERABILITY', value: (f) => f.vulnerabilityId, maxWidth: 22 },
  { header: 'COMPONENT', value: (f) => `${f.componentName}${f.componentVersion ? ` ${f.componentVersion}` : ''}`, maxWidth: 30 },
  { header: 'PRODUCT', value: (f) => f.productId, maxWidth: 30 },
  { header: 'TRIAGE', value: (f) => f.triage?.state ?? '-' },
  { header: 'STATUS', value: (f) => (f.status === 'closed' ? `closed (${f.closeReason ?? ''})` : f.needsReview ? 'open, review' : 'open') },
];

const limitOf = (s: string | undefined): number => {
  if (s === undefined) return 50;
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 500) throw invalidInput('cli.invalid_option', '--limit must be an integer from 1 to 500');
  return Number(s);
};

export function registerProductCommands(program: Command, ctx: CliContext<{ vulns: VulnCapability }>): void {
  const products = program.command('products').description('product versions (manufacturer, model, firmware) that SBOMs and findings attach to');
  products
    .command('list')
    .description('list product versions')
    .option('--q <text>', 'text in manufacturer or name')
    .option('--limit <n>', 'rows per page (1-500, default 50)')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print JSON')
    .action(async (flags: { q?: string; limit?: string; cursor?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const page = await s.vulns.queries.products(flags.q ? { q: flags.q } : {}, flags.cursor, limitOf(flags.limit));
        if (flags.json) return writeJson(ctx.io, page);
        ctx.io.stdout.write(renderTable(page.items, PRODUCT_COLUMNS));
        ctx.io.stdout.write(`${page.items.length} of ${page.total} products\n${page.nextCursor ? `next page: --cursor ${page.nextCursor}\n` : ''}`);
      } finally {
        await s.close();
      }
    });
  products
    .command('add')
    .description('create (or update) a product version')
    .requiredOption('--manufacturer <name>', 'manufacturer')
    .requiredOption('--name <name>', 'product name')
    .option('--product-version <version>', 'firmware/software version')
    .option('--cpe <cpe>', 'CPE 2.3 name of the product')
    .option('--json', 'print JSON')
    .action(async (flags: { manufacturer: string; name: string; productVersion?: string; cpe?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const p = await s.vulns.service.createProduct(
          { manufacturer: flags.manufacturer, name: flags.name, ...(flags.productVersion ? { version: flags.productVersion } : {}), ...(flags.cpe ? { cpe: flags.cpe } : {}) },
          cliActor(),
        );
        if (flags.json) return writeJson(ctx.io, p);
        ctx.io.stdout.write(`product ${p.id}: ${p.manufacturer} ${p.name} ${p.version}\n`);
      } finally {
        await s.close();
      }
    });
  products
    .command('sync')
    .description('create a product version for every (manufacturer, model, firmware) in the inventory and match it')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const s = await ctx.open();
      try {
        const r = await s.vulns.service.syncProductsFromInventory(cliActor());
        if (flags.json) return writeJson(ctx.io, r);
        ctx.io.stdout.write(`${r.products} product versions in the inventory, ${r.created} new; findings: ${r.opened} new, ${r.closed} closed; ${r.alerts} alerts\n`);
      } finally {
        await s.close();
      }
    });
}

export function registerFindingCommands(program: Command, ctx: CliContext<{ vulns: VulnCapability }>): void {
  const findings = program.command('findings').description('vulnerability findings: list, show, triage');
  findings
    .command('list')
    .description('list findings, highest risk first')
    .option('--product <id>', 'product version id')
    .option('--status <status>', 'open (default) or closed', 'open')
    .option('--vulnerability <id>', 'CVE or advisory id')
    .option('--triage <state>', `${VEX_STATES.join(', ')} or untriaged`)
    .option('--review', 'only findings that need review')
    .option('--min-risk <n>', 'minimum risk score (0-100)')
    .option('--q <text>', 'text in vulnerability id or component name')
    .option('--limit <n>', 'rows per page (1-500, default 50)')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print JSON')
    .action(async (flags: { product?: string; status: string; vulnerability?: string; triage?: string; review?: boolean; minRisk?: string; q?: string; limit?: string; cursor?: string; json?: boolean }) => {
      if (flags.status !== 'open' && flags.status !== 'closed') throw invalidInput('cli.invalid_option', '--status must be open or closed');
      if (flags.triage !== undefined && ![...VEX_STATES, 'untriaged'].includes(flags.triage)) throw invalidInput('cli.invalid_option', `--triage must be one of ${VEX_STATES.join(', ')}, untriaged`);
      const filter: FindingFilter = { status: flags.status };
      if (flags.product) filter.productId = flags.product;
      if (flags.vulnerability) filter.vulnerabilityId = flags.vulnerability;
      if (flags.triage) filter.triage = flags.triage as VexState | 'untriaged';
      if (flags.review) filter.needsReview = true;
      if (flags.q) filter.q = flags.q;
      if (flags.minRisk !== undefined) {
        const n = Number(flags.minRisk);
        if (!Number.isFinite(n) || n < 0 || n > 100) throw invalidInput('cli.invalid_option', '--min-risk must be a number from 0 to 100');
        filter.minRisk = n;
      }
      const s = await ctx.open();
      try {
        const page = await s.vulns.queries.findings(filter, 'risk', flags.cursor, limitOf(flags.limit));
        if (flags.json) return writeJson(ctx.io, page);
        ctx.io.stdout.write(renderTable(page.items, FINDING_COLUMNS));
        ctx.io.stdout.write(`${page.items.length} of ${page.total} findings\n${page.nextCursor ? `next page: --cursor ${page.nextCursor}\n` : ''}`);
      } finally {
        await s.close();
      }
    });
  findings
    .command('show <id>')
    .description('one finding with its evidence and risk breakdown (JSON)')
    .action(async (id: string) => {
      const s = await ctx.open();
      try {
        writeJson(ctx.io, await s.vulns.queries.finding(id));
      } finally {
        await s.close();
      }
    });
  findings
    .command('triage <id>')
    .description('record a VEX decision for a finding (applies to the same component and vulnerability across the product line)')
    .requiredOption('--state <state>', VEX_STATES.join(', '))
    .option('--justification <j>', `for not_affected: ${VEX_JUSTIFICATIONS.join(', ')}`)
    .option('--detail <text>', 'impact statement')
    .option('--action <text>', 'response / action statement')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { state: string; justification?: string; detail?: string; action?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const updated = await s.vulns.triage.triage(
          id,
          {
            state: flags.state as VexState,
            ...(flags.justification ? { justification: flags.justification as VexJustification } : {}),
            ...(flags.detail ? { detail: flags.detail } : {}),
            ...(flags.action ? { action: flags.action } : {}),
          },
          cliActor(),
        );
        if (flags.json) return writeJson(ctx.io, { updated });
        ctx.io.stdout.write(`triaged ${updated.length} open finding${updated.length === 1 ? '' : 's'} as ${flags.state}\n`);
      } finally {
        await s.close();
      }
    });
}
