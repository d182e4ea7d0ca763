/**
 * @module The per-source FeedContext: counters, the error list, and the bounded batcher in front
 * of the sink. Batches never exceed `batchSize` advisories and each carries one resource location,
 * so memory stays flat however large the feed is. A sink failure is fatal for the source (its
 * state is not advanced); a document failure is recorded and the source carries on.
 */
import type { Clock, Logger } from '../../core/index.js';
import type { Advisory } from '../model.js';
import type { FeedContext, FeedCounters, FeedProgress } from './contract.js';
import type { FeedSourceConfig } from './config.js';
import { FeedError, errorMessage } from './errors.js';
import type { HttpFetcher } from './http.js';
import type { LocalItem } from './local.js';
import { toErrorEntry, type FeedErrorEntry } from './report.js';
import type { SleepFn } from './retry.js';
import type { FeedStateStore } from './state.js';

export type FeedSink = (batch: Advisory[], meta: { source: string; location: string }) => Promise<void>;

export interface ContextDeps {
  source: FeedSourceConfig;
  http: HttpFetcher;
  state: FeedStateStore;
  sink: FeedSink;
  clock: Clock;
  logger: Logger;
  sleep: SleepFn;
  signal: AbortSignal | undefined;
  batchSize: number;
  onProgress?: (p: FeedProgress) => void;
}

/** Most error entries kept per source; the rest are counted in a final summary entry. */
export const MAX_ERRORS_PER_SOURCE = 500;

export function createFeedContext(d: ContextDeps): FeedContext {
  const counters: FeedCounters = { documents: 0, advisories: 0, skipped: 0, unverified: 0 };
  const errors: FeedErrorEntry[] = [];
  let dropped = 0;
  let pending: Advisory[] = [];
  let pendingResource = '';

  const progress = (phase: FeedProgress['phase'], location: string) =>
    d.onProgress?.({ source: d.source.name, phase, location, documents: counters.documents, advisories: counters.advisories, bytes: d.http.stats.bytes });

  const send = async (batch: Advisory[], location: string) => {
    try {
      await d.sink(batch, { source: d.source.name, location });
    } catch (e) {
      throw new FeedError('feed.sink_failed', `the advisory sink rejected a batch of ${batch.length}: ${errorMessage(e)}`, { location: { file: location }, cause: e });
    }
    counters.advisories += batch.length;
    progress('batch', location);
  };

  // Sink calls are serialised even when documents are fetched concurrently: sinks are usually
  // one database transaction at a time.
  let lock: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const run = lock.then(async () => {
      while (pending.length > 0) {
        const batch = pending.slice(0, d.batchSize);
        pending = pending.slice(batch.length);
        await send(batch, pendingResource);
      }
    });
    lock = run.catch(() => undefined);
    return run;
  };

  const ctx: FeedContext = {
    source: d.source,
    http: d.http,
    state: d.state,
    clock: d.clock,
    logger: d.logger,
    sleep: d.sleep,
    signal: d.signal,
    counters,
    batchSize: d.batchSize,
    errors,
    async emit(advisories, resource) {
      if (pending.length > 0 && resource !== pendingResource) await flush();
      pendingResource = resource;
      for (const a of advisories) {
        pending.push(a);
        if (pending.length >= d.batchSize) await flush();
      }
    },
    async accept(item: LocalItem, resource) {
      if (item.kind === 'advisories') {
        await ctx.emit(item.advisories, resource);
        if (item.done) {
          counters.documents++;
          progress('document', item.location);
        }
      } else if (item.kind === 'error') ctx.recordError(item.error, item.location);
      else counters.skipped++;
    },
    recordError(e, location) {
      if (e instanceof FeedError && e.code === 'feed.aborted') throw e;
      d.logger.warn({ source: d.source.name, location, err: errorMessage(e) }, 'feed document failed');
      if (errors.length < MAX_ERRORS_PER_SOURCE) errors.push(toErrorEntry(e, location));
      else if (++dropped === 1 || dropped % 1000 === 0) {
        const summary = { location: d.source.url ?? d.source.path ?? d.source.name, code: 'feed.too_many_errors', message: `${dropped} further errors not listed` };
        if (errors.length === MAX_ERRORS_PER_SOURCE) errors.push(summary);
        else errors[MAX_ERRORS_PER_SOURCE] = summary;
      }
    },
    flush,
    async commit(state) {
      await flush();
      // Drop undefined fields so stores that serialize rows see only what is known.
      const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as typeof state;
      await d.state.putFeedState({ ...clean, url: state.url, fetchedAt: state.fetchedAt ?? ctx.now() });
    },
    now: () => d.clock.now().toISOString(),
    checkAborted() {
      if (d.signal?.aborted) throw new FeedError('feed.aborted', 'feed sync aborted');
    },
  };
  return ctx;
}
