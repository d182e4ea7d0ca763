/**
 * @module Runs the configured advisory feeds into the findings store: one sync at a time (the
 * server's schedule, `careguard feeds sync` and POST /api/v1/feeds/sync share this), every batch
 * ingested through VulnService so post-market surveillance re-matches and alerts as data arrives.
 * The feed configuration is a JSON file (docs/vulns-feeds.md); NVD's API key comes from NVD_API_KEY.
 */
import { readFileSync } from 'node:fs';
import { conflict, invalidInput, type Actor, type Logger } from '../core/index.js';
import { syncFeeds, validateFeedConfig, type FeedConfig, type FeedProgress, type FeedSyncReport } from './feeds/index.js';
import type { VulnRepository } from './ports.js';
import type { VulnService } from './service.js';

export interface FeedRunTotals {
  inserted: number;
  changed: number;
  opened: number;
  closed: number;
  alerts: number;
}

export interface FeedRunResult {
  report: FeedSyncReport;
  totals: FeedRunTotals;
}

/** The feed configuration file as JSON, not yet validated. */
export function readFeedConfigJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw invalidInput('feed.config_unreadable', `cannot read feed configuration ${path}: ${(e as Error).message}`, { location: { file: path } });
  }
}

/** Reads and validates a feed configuration file; errors name the file and JSON pointer. */
export function loadFeedConfig(path: string, env: NodeJS.ProcessEnv = process.env): FeedConfig {
  const config = validateFeedConfig(readFeedConfigJson(path));
  const apiKey = env.NVD_API_KEY;
  if (apiKey) for (const s of config.sources) if (s.kind === 'nvd' && !s.options?.apiKey) s.options = { ...s.options, apiKey };
  return config;
}

export class FeedRunner {
  private running: Promise<FeedRunResult> | undefined;
  private last: FeedRunResult | undefined;

  constructor(
    private readonly service: VulnService,
    private readonly repo: VulnRepository,
    private readonly logger?: Logger,
  ) {}

  get lastResult(): FeedRunResult | undefined {
    return this.last;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  async run(config: FeedConfig, actor: Actor, options: { only?: readonly string[]; signal?: AbortSignal; onProgress?: (p: FeedProgress) => void } = {}): Promise<FeedRunResult> {
    if (this.running) throw conflict('feed.sync_running', 'a feed sync is already running');
    const totals: FeedRunTotals = { inserted: 0, changed: 0, opened: 0, closed: 0, alerts: 0 };
    const work = (async () => {
      const report = await syncFeeds(config, {
        state: this.repo,
        sink: async (batch, meta) => {
          const r = await this.service.ingestAdvisories(batch, actor, `${meta.source}:${meta.location}`.slice(0, 300));
          totals.inserted += r.inserted;
          totals.changed += r.changed;
          totals.opened += r.opened;
          totals.closed += r.closed;
          totals.alerts += r.alerts;
        },
        ...(this.logger ? { logger: this.logger } : {}),
        ...(options.only ? { only: options.only } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      const result = { report, totals };
      this.last = result;
      this.logger?.info({ status: report.status, ...totals, ms: report.durationMs }, 'advisory feeds synced');
      return result;
    })();
    this.running = work;
    try {
      return await work;
    } finally {
      this.running = undefined;
    }
  }
}
