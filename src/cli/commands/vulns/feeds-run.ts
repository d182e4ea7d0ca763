/**
 * @module What `careguard feeds sync|check` and `careguard advisories import` do when they run
 * (feeds.ts registers them): the feed runner, the configuration checks and the advisory loaders
 * (every supported format, zips) are loaded only here.
 */
import { invalidInput } from '../../../core/index.js';
import type { Config } from '../../../main/config.js';
import type { VulnCapability } from '../../../vulns/capability.js';
import { loadFeedConfig, readFeedConfigJson } from '../../../vulns/feed-runner.js';
import { checkFeedConfig, loadAdvisoriesFromPath, type FeedSyncReport } from '../../../vulns/feeds/index.js';
import { EXIT, type CliContext } from '../../context.js';
import { renderTable, writeJson, type Column } from '../../render.js';
import { cliActor } from '../users.js';

export type FeedsContext = CliContext<{ vulns: VulnCapability; config: Config }>;

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

function configPath(flag: string | undefined, config: Config): string {
  const path = flag ?? config.feedsConfigPath;
  if (!path) throw invalidInput('feed.config_missing', 'no feed configuration: pass --config FILE or set CAREGUARD_FEEDS (see docs/vulns-feeds.md)');
  return path;
}

/** `feeds sync`: fetch every configured source and ingest what changed; exit 2 unless every source synced. */
export async function syncFeeds(ctx: FeedsContext, flags: { config?: string; only?: string; json?: boolean }): Promise<void> {
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
}

/** `feeds check`: validate the feed configuration; exit 2 on any issue. */
export async function checkFeeds(ctx: FeedsContext, flags: { config?: string }): Promise<void> {
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
}

/** `advisories import`: local files, directories and zips; exit 2 when a document was rejected. */
export async function importAdvisories(ctx: FeedsContext, paths: string[], flags: { json?: boolean }): Promise<void> {
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
}
