/**
 * @module `careguard feeds sync|check` (the configured advisory feeds, CAREGUARD_FEEDS or
 * --config) and `careguard advisories import PATH...|list|show` (local files, directories and zips
 * of any supported format). Imports go through the same service as the API, so findings are
 * reconciled and alerts raised as advisories arrive. Exit 0 when every source synced, 2 otherwise.
 * The feed runner and the advisory loaders are loaded when a command runs (feeds-run.ts).
 */
import type { Command } from 'commander';
import type { StoredAdvisory } from '../../../vulns/ports.js';
import { renderTable, writeJson, type Column } from '../../render.js';
import type { FeedsContext } from './feeds-run.js';

const ADVISORY_COLUMNS: Column<StoredAdvisory>[] = [
  { header: 'ID', value: (a) => a.advisory.id, maxWidth: 40 },
  { header: 'SOURCE', value: (a) => a.advisory.source },
  { header: 'TITLE', value: (a) => a.advisory.title ?? a.advisory.summary ?? '', maxWidth: 48 },
  { header: 'PUBLISHED', value: (a) => (a.advisory.published ?? '').slice(0, 10) },
  { header: 'KEV', value: (a) => (a.advisory.kev ? 'yes' : '') },
];

export function registerFeedCommands(program: Command, ctx: FeedsContext): void {
  const feeds = program.command('feeds').description('advisory feeds: OSV, CSAF providers, CISA KEV, EPSS, NVD, CVE 5');
  feeds
    .command('sync')
    .description('fetch every configured source (conditional, resumable, verified) and ingest what changed')
    .option('--config <file>', 'feed configuration JSON (default CAREGUARD_FEEDS)')
    .option('--only <names>', 'comma-separated source names')
    .option('--json', 'print the report as JSON')
    .action(async (flags: { config?: string; only?: string; json?: boolean }) => (await import('./feeds-run.js')).syncFeeds(ctx, flags));
  feeds
    .command('check')
    .description('validate the feed configuration without fetching anything')
    .option('--config <file>', 'feed configuration JSON (default CAREGUARD_FEEDS)')
    .action(async (flags: { config?: string }) => (await import('./feeds-run.js')).checkFeeds(ctx, flags));

  const advisories = program.command('advisories').description('the local advisory store');
  advisories
    .command('import <paths...>')
    .description('import advisory files, directories (recursive) or zips in any supported format')
    .option('--json', 'print the result as JSON')
    .action(async (paths: string[], flags: { json?: boolean }) => (await import('./feeds-run.js')).importAdvisories(ctx, paths, flags));
  advisories
    .command('list')
    .description('list stored advisories')
    .option('--q <text>', 'text in id, title or aliases')
    .option('--kev', 'only KEV-listed')
    .option('--limit <n>', 'rows (1-500, default 50)', '50')
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print JSON')
    .action(async (flags: { q?: string; kev?: boolean; limit: string; cursor?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const page = await s.vulns.queries.advisories({ ...(flags.q ? { q: flags.q } : {}), ...(flags.kev ? { kev: true } : {}) }, flags.cursor, Number(flags.limit));
        if (flags.json) return writeJson(ctx.io, page);
        ctx.io.stdout.write(renderTable(page.items, ADVISORY_COLUMNS));
        ctx.io.stdout.write(`${page.items.length} of ${page.total} advisories\n${page.nextCursor ? `next page: --cursor ${page.nextCursor}\n` : ''}`);
      } finally {
        await s.close();
      }
    });
  advisories
    .command('show <id>')
    .description('one advisory by record key, CVE or alias (JSON)')
    .action(async (id: string) => {
      const s = await ctx.open();
      try {
        writeJson(ctx.io, (await s.vulns.queries.advisory(id)).advisory);
      } finally {
        await s.close();
      }
    });
}
