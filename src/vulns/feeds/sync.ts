/**
 * @module `syncFeeds`: run every enabled configured source once, one after the other, and report
 * per source. Sources are isolated: a source that fails (network down, bad metadata, integrity
 * mismatch) is reported as 'failed' with the error's location and the next source still runs;
 * document-level failures make a source 'partial'. Advisories reach the sink in bounded batches;
 * fetch state is persisted through the FeedStateStore only after the sink accepted the data.
 */
import type { Clock, Logger } from '../../core/index.js';
import { silentLogger, systemClock } from '../../core/index.js';
import { validateFeedConfig, type FeedConfig, type FeedSourceConfig } from './config.js';
import { createFeedContext, type FeedSink } from './context.js';
import { adapterTag, type FeedAdapter, type FeedProgress } from './contract.js';
import { FeedError, isFeedError } from './errors.js';
import { HttpFetcher, type HttpFetcherOptions } from './http.js';
import { adapterFor, FEED_ADAPTERS } from './registry.js';
import { overallStatus, toErrorEntry, type FeedErrorEntry, type FeedSourceReport, type FeedSyncReport } from './report.js';
import { abortableSleep, DEFAULT_RETRY_STATUSES, type SleepFn } from './retry.js';
import type { FeedStateStore } from './state.js';

export type HttpTuning = Omit<HttpFetcherOptions, 'fetch' | 'sleep' | 'clock' | 'logger' | 'signal' | 'onRequest'>;

export interface SyncFeedsDeps {
  state: FeedStateStore;
  sink: FeedSink;
  fetch?: typeof fetch;
  sleep?: SleepFn;
  clock?: Clock;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (p: FeedProgress) => void;
  /** HTTP defaults for every source (per-source options override timeoutMs / maxAttempts). */
  http?: HttpTuning;
  /** Run only the sources with these names. */
  only?: readonly string[];
  adapters?: readonly FeedAdapter[];
}

export const DEFAULT_BATCH_SIZE = 1000;

/** `config` is validated first (feed.config_invalid is thrown, not reported). */
export async function syncFeeds(config: FeedConfig | FeedSourceConfig[], deps: SyncFeedsDeps): Promise<FeedSyncReport> {
  const cfg = validateFeedConfig(config);
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger();
  const sleep = deps.sleep ?? abortableSleep;
  const started = clock.now();
  const unknown = (deps.only ?? []).filter((n) => !cfg.sources.some((s) => s.name === n));
  if (unknown.length > 0) throw new FeedError('feed.config_invalid', `no configured source named ${unknown.map((n) => `"${n}"`).join(', ')}`);
  const selected = cfg.sources.filter((s) => s.enabled !== false && (!deps.only || deps.only.includes(s.name)));
  const reports: FeedSourceReport[] = [];
  for (const source of selected) reports.push(await syncOneSource(source, cfg, deps, { clock, logger, sleep }));
  const finished = clock.now();
  return { status: overallStatus(reports), startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(), sources: reports };
}

async function syncOneSource(source: FeedSourceConfig, cfg: FeedConfig, deps: SyncFeedsDeps, env: { clock: Clock; logger: Logger; sleep: SleepFn }): Promise<FeedSourceReport> {
  const started = env.clock.now();
  const adapter = adapterFor(source, deps.adapters ?? FEED_ADAPTERS);
  const http = new HttpFetcher({
    ...deps.http,
    fetch: deps.fetch,
    sleep: env.sleep,
    clock: env.clock,
    logger: env.logger,
    signal: deps.signal,
    userAgent: cfg.userAgent ?? deps.http?.userAgent,
    workDir: cfg.workDir ?? deps.http?.workDir,
    timeoutMs: source.options?.timeoutMs ?? deps.http?.timeoutMs,
    maxAttempts: source.options?.maxAttempts ?? deps.http?.maxAttempts,
    // NVD answers 403 when its rate limit is exceeded.
    retryStatuses: source.kind === 'nvd' ? [...(deps.http?.retryStatuses ?? DEFAULT_RETRY_STATUSES), 403] : deps.http?.retryStatuses,
    onRequest: (e) => deps.onProgress?.({ source: source.name, phase: 'request', location: e.url, documents: ctx.counters.documents, advisories: ctx.counters.advisories, bytes: http.stats.bytes }),
  });
  const ctx = createFeedContext({ source, http, state: deps.state, sink: deps.sink, clock: env.clock, logger: env.logger, sleep: env.sleep, signal: deps.signal, batchSize: cfg.batchSize ?? DEFAULT_BATCH_SIZE, onProgress: deps.onProgress });
  const errors = ctx.errors as FeedErrorEntry[];
  const where = source.url ?? source.path ?? source.name;
  let status: FeedSourceReport['status'] = 'ok';
  if (!adapter) {
    errors.push({ location: where, code: 'feed.config_invalid', message: `no feed adapter accepts kind "${source.kind}"` });
    status = 'failed';
  } else if (deps.signal?.aborted) {
    status = 'aborted';
  } else {
    try {
      await adapter.sync(source, ctx);
      await ctx.flush();
    } catch (e) {
      status = isFeedError(e) && e.code === 'feed.aborted' ? 'aborted' : 'failed';
      if (status === 'failed') errors.push(toErrorEntry(e, where));
      // What was parsed before the failure is still valid; state was not advanced past it.
      if (!(isFeedError(e) && e.code === 'feed.sink_failed')) await ctx.flush().catch((f: unknown) => errors.push(toErrorEntry(f, where)));
    }
  }
  if (status === 'ok' && errors.length > 0) status = 'partial';
  const finished = env.clock.now();
  const report: FeedSourceReport = {
    source: source.name,
    kind: source.kind,
    adapter: adapter ? adapterTag(adapter) : 'none',
    status,
    requests: http.stats.requests,
    notModified: http.stats.notModified,
    bytes: http.stats.bytes,
    retries: http.stats.retries,
    ...ctx.counters,
    errors,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
  };
  env.logger.info({ source: source.name, status, requests: report.requests, notModified: report.notModified, documents: report.documents, advisories: report.advisories, errors: errors.length }, 'feed source synced');
  deps.onProgress?.({ source: source.name, phase: 'done', location: where, documents: report.documents, advisories: report.advisories, bytes: report.bytes });
  return report;
}
