/**
 * @module `careguard feeds sync|check` (the configured advisory feeds, CAREGUARD_FEEDS or
 * --config) and `careguard advisories import PATH...|list|show` (local files, directories and zips
 * of any supported format). Imports go through the same service as the API, so findings are
 * reconciled and alerts raised as advisories arrive. Exit 0 when every source synced, 2 otherwise.
 */
import type { Command } from 'commander';
import { invalidInput } from '../../../core/index.js';
import type { Config } from '../../../main/config.js';
import type { VulnCapability } from '../../../vulns/capability.js';
import { loadFeedConfig, readFeedConfigJson } from '../../../vulns/feed-runner.js';
import { checkFeedConfig, loadAdvisoriesFromPath, type FeedSyncReport } from '../../../vulns/feeds/index.js';
import type { StoredAdvisory } from '../../../vulns/ports.js';
import { EXIT, type CliContext } from '../../context.js';
import { renderTable, writeJson, type Column } from '../../render.js';
import { cliActor } from '../users.js';

type Services = { vulns: VulnCapability; config: Config };

const SOURCE_COLUMNS: Column<FeedSyncReport['sources'][number]>[] = [
  { header: 'SOURCE', value: (s) => s.source, maxWidth: 24 },
  { header: 'KIND', value: (s) => s.kind },
  { header: 'STATUS', value: (s) => s.status },
  { header: 'REQUESTS', value: (s) => String(s.requests) },
  { header: '304', value: (s) => String(s.notModified) },
  { header: 'DOCS', value: (s) => String(s.documents) },
  { header: 'ADVISORIES', value: (s) => String(s.advisories) },
  { header: 'ERRORS', value: (s) => String(s.errors.length) },
  { header: 'SECONDS', value: (s) => (s.durationMs / 1000).toFixed(1) },
];

const ADVISORY_COLUMNS: Column<StoredAdvisory>[] = [
  { header: 'ID', value: (a) => a.advisory.id, maxWidth: 40 },
  { header: 'SOURCE', value: (a) => a.advisory.source },
  { header: 'TITLE', value: (a) => a.advisory.title ?? a.advisory.summary ?? '', maxWidth: 48 },
  { header: 'PUBLISHED', value: (a) => (a.advisory.published ?? '').slice(0, 10) },
  { header: 'KEV', value: (a) => (a.advisory.kev ? 'yes' : '') },
];

function configPath(flag: string | undefined, config: Config): string {
  const path = flag ?? config.feedsConfigPath;
  if (!path) throw invalidInput('feed.config_missing', 'no feed configuration: pass --config FILE or set CAREGUARD_FEEDS (see docs/vulns-feeds.md)');
  return path;
}

export function registerFeedCommands(program: Command, ctx: CliContext<Services>): void {
  const feeds = program.command('feeds').description('advisory feeds: OSV, CSAF providers, CISA KEV, EPSS, NVD, CVE 5');
  feeds
    .command('sync')
    .description('fetch every configured source (conditional, resumable, verified) and ingest what changed')
    .option('--config <file>', 'feed configuration JSON (default CAREGUARD_FEEDS)')
    .option('--only <names>', 'comma-separated source names')
    .option('--json', 'print the report as JSON')
    .action(async (flags: { config?: string; only?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const config = loadFeedConfig(configPath(flags.config, s.config));
        const only = flags.only?.split(',').map((x) => x.trim()).filter(Boolean);
        const { report, totals } = await s.vulns.feeds.run(config, cliActor(), {
          ...(only ? { only } : {}),
          onProgress: (p) => ctx.io.stderr.write(`\r${p.source}: ${p.documents} documents, ${p.advisories} advisories   `),
        });
        ctx.io.stderr.write('\n');
        if (flags.json) writeJson(ctx.io, { ...report, totals });
        else {
          ctx.io.stdout.write(renderTable(report.sources, SOURCE_COLUMNS));
          ctx.io.stdout.write(`${report.status}: ${totals.inserted} new and ${totals.changed} changed advisories; findings ${totals.opened} new, ${totals.closed} closed; ${totals.alerts} alerts\n`);
          for (const src of report.sources) for (const e of src.errors.slice(0, 10)) ctx.io.stderr.write(`error: ${src.source}: ${e.location}${e.line ? ` line ${e.line}` : ''}${e.pointer ? ` at ${e.pointer}` : ''}: ${e.message} [${e.code}]\n`);
        }
        if (report.status !== 'ok') process.exitCode = EXIT.error;
      } finally {
        await s.close();
      }
    });
  feeds
    .command('check')
    .description('validate the feed configuration without fetching anything')
    .option('--config <file>', 'feed configuration JSON (default CAREGUARD_FEEDS)')
    .action(async (flags: { config?: string }) => {
      const s = await ctx.open();
      try {
        const path = configPath(flags.config, s.config);
        const issues = checkFeedConfig(readFeedConfigJson(path));
        for (const i of issues) ctx.io.stderr.write(`${path} ${i.pointer}: ${i.message}\n`);
        if (issues.length > 0) process.exitCode = EXIT.error;
        else ctx.io.stdout.write(`${path}: valid\n`);
      } finally {
        await s.close();
      }
    });

  const advisories = program.command('advisories').description('the local advisory store');
  advisories
    .command('import <paths...>')
    .description('import advisory files, directories (recursive) or zips in any supported format')
    .option('--json', 'print the result as JSON')
    .action(async (paths: string[], flags: { json?: boolean }) => {
      const s = await ctx.open();
      try {
        const totals = { documents: 0, advisories: 0, inserted: 0, changed: 0, unchanged: 0, opened: 0, closed: 0, alerts: 0, errors: 0 };
        const errors: unknown[] = [];
        for (const path of paths) {
          const loaded = await loadAdvisoriesFromPath(path);
          totals.documents += loaded.documents;
          totals.advisories += loaded.advisories.length;
          totals.errors += loaded.errors.length;
          errors.push(...loaded.errors);
          for (const e of loaded.errors.slice(0, 20)) if (!flags.json) ctx.io.stderr.write(`error: ${e.location}${e.line ? ` line ${e.line}` : ''}${e.pointer ? ` at ${e.pointer}` : ''}: ${e.message} [${e.code}]\n`);
          const r = await s.vulns.service.ingestAdvisories(loaded.advisories, cliActor(), path);
          totals.inserted += r.inserted;
          totals.changed += r.changed;
          totals.unchanged += r.unchanged;
          totals.opened += r.opened;
          totals.closed += r.closed;
          totals.alerts += r.alerts;
        }
        if (flags.json) writeJson(ctx.io, { ...totals, errorList: errors });
        else ctx.io.stdout.write(`${totals.documents} documents, ${totals.advisories} advisories: ${totals.inserted} new, ${totals.changed} changed, ${totals.unchanged} unchanged; findings ${totals.opened} new, ${totals.closed} closed; ${totals.alerts} alerts; ${totals.errors} documents rejected\n`);
        if (totals.errors > 0) process.exitCode = EXIT.error;
      } finally {
        await s.close();
      }
    });
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
