/**
 * @module The versioned plug-in contract of feed adapters (the fetching side, as
 * sources/contract.ts is the parsing side): an id and version recorded in every sync report, a
 * cheap `accepts` on the configured source, and one `sync` that fetches through the context's
 * HTTP fetcher, hands advisories to `ctx.emit`/`ctx.accept` and persists progress with
 * `ctx.commit` only once everything before it has reached the sink.
 */
import type { Clock, Logger } from '../../core/index.js';
import type { Advisory } from '../model.js';
import type { FeedState } from '../ports.js';
import type { FeedKind, FeedSourceConfig } from './config.js';
import type { HttpFetcher } from './http.js';
import type { LocalItem } from './local.js';
import type { FeedErrorEntry } from './report.js';
import type { SleepFn } from './retry.js';
import type { FeedStateStore } from './state.js';

export interface FeedCounters {
  documents: number;
  advisories: number;
  skipped: number;
  unverified: number;
}

export interface FeedProgress {
  source: string;
  phase: 'request' | 'document' | 'batch' | 'done';
  location: string;
  documents: number;
  advisories: number;
  bytes: number;
}

export interface FeedContext {
  readonly source: FeedSourceConfig;
  readonly http: HttpFetcher;
  readonly state: FeedStateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sleep: SleepFn;
  readonly signal: AbortSignal | undefined;
  readonly counters: FeedCounters;
  /** Errors recorded so far (per document, with location). */
  readonly errors: readonly FeedErrorEntry[];
  /** Advisories per sink call. */
  readonly batchSize: number;
  /** Queue advisories for the sink; `resource` (feed URL, archive, directory) becomes the batch's meta.location. */
  emit(advisories: readonly Advisory[], resource: string): Promise<void>;
  /** Count and route one item from readAdvisoryFile/readAdvisoryPath (advisories, error or skip). */
  accept(item: LocalItem, resource: string): Promise<void>;
  /** Record a failure of one document and carry on. */
  recordError(e: unknown, location: string): void;
  /** Send what is queued to the sink. */
  flush(): Promise<void>;
  /** Flush, then persist state: validators and cursors only advance once the sink has the data. */
  commit(state: Omit<FeedState, 'fetchedAt'> & { fetchedAt?: string }): Promise<void>;
  now(): string;
  /** Throws feed.aborted when the sync was cancelled. */
  checkAborted(): void;
}

export interface FeedAdapter {
  /** Stable id, e.g. 'csaf-provider'. */
  readonly id: string;
  /** Semantic version; bump when what the adapter fetches or emits changes. */
  readonly version: string;
  readonly kind: FeedKind;
  accepts(source: FeedSourceConfig): boolean;
  sync(source: FeedSourceConfig, ctx: FeedContext): Promise<void>;
}

export const adapterTag = (a: Pick<FeedAdapter, 'id' | 'version'>): string => `${a.id}@${a.version}`;
