/** @module `careguard risk`: the portfolio view and rollups per device, product, unit or site. */
import type { Command } from 'commander';
import { invalidInput } from '../../../core/errors.js';
import type { RiskRollup, TopRisk } from '../../../risk/index.js';
// rollup.js, not risk/index.js (all of risk scoring): the help names the dimensions
import { ROLLUP_DIMENSIONS, type RollupBy } from '../../../risk/rollup.js';
import type { VulnCapability } from '../../../vulns/capability.js';
import type { CliContext } from '../../context.js';
import { renderTable, writeJson, type Column } from '../../render.js';

const TOP: Column<TopRisk>[] = [
  { header: 'SCORE', value: (t) => t.score.toFixed(1) },
  { header: 'BAND', value: (t) => t.band },
  { header: 'VULNERABILITY', value: (t) => t.vulnerabilityId ?? '', maxWidth: 22 },
  { header: 'FINDING', value: (t) => t.findingId, maxWidth: 32 },
  { header: 'ACTION', value: (t) => t.recommendation.action, maxWidth: 24 },
];

const ROLLUP: Column<RiskRollup>[] = [
  { header: 'KEY', value: (r) => r.key, maxWidth: 40 },
  { header: 'MAX', value: (r) => r.maxScore.toFixed(1) },
  { header: 'BAND', value: (r) => r.maxBand },
  { header: 'FINDINGS', value: (r) => String(r.findings) },
  { header: 'DEVICES', value: (r) => String(r.devices) },
  { header: 'KEV', value: (r) => String(r.kevFindings) },
  { header: 'CRIT/HIGH/MED/LOW', value: (r) => `${r.bands.critical}/${r.bands.high}/${r.bands.medium}/${r.bands.low}` },
];

export function registerRiskCommands(program: Command, ctx: CliContext<{ vulns: VulnCapability }>): void {
  const risk = program.command('risk').description('clinical risk across the portfolio');
  risk
    .command('summary')
    .description('counts by band, KEV exposure, EPSS distribution and top risks')
    .option('--top <n>', 'top risks to list (default 10)', '10')
    .option('--json', 'print JSON')
    .action(async (flags: { top: string; json?: boolean }) => {
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 1 || top > 100) throw invalidInput('cli.invalid_option', '--top must be an integer from 1 to 100');
      const s = await ctx.open();
      try {
        const v = await s.vulns.portfolio.view(top);
        if (flags.json) return writeJson(ctx.io, v);
        const b = v.severity.findings;
        ctx.io.stdout.write(`${v.openFindings} open findings: ${b.critical} critical, ${b.high} high, ${b.medium} medium, ${b.low} low\n`);
        ctx.io.stdout.write(`${v.kev.devices} devices exposed to KEV-listed vulnerabilities (${v.kev.vulnerabilities} vulnerabilities)\n`);
        if (v.timeToAlert.alerted > 0) ctx.io.stdout.write(`time from advisory publication to alert: median ${v.timeToAlert.medianHours} h, p90 ${v.timeToAlert.p90Hours} h over ${v.timeToAlert.alerted} alerted findings\n`);
        ctx.io.stdout.write(renderTable(v.top, TOP));
      } finally {
        await s.close();
      }
    });
  risk
    .command('rollup <by>')
    .description(`risk per ${ROLLUP_DIMENSIONS.join(', ')}`)
    .option('--limit <n>', 'rows (default 50)', '50')
    .option('--json', 'print JSON')
    .action(async (by: string, flags: { limit: string; json?: boolean }) => {
      if (!(ROLLUP_DIMENSIONS as string[]).includes(by)) throw invalidInput('cli.invalid_option', `rollup by must be one of ${ROLLUP_DIMENSIONS.join(', ')}`);
      const s = await ctx.open();
      try {
        const rows = await s.vulns.portfolio.rollup(by as RollupBy, Number(flags.limit) || 50);
        if (flags.json) return writeJson(ctx.io, rows);
        ctx.io.stdout.write(renderTable(rows, ROLLUP));
      } finally {
        await s.close();
      }
    });
}
