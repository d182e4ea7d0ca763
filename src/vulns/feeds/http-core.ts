/**
 * @module The request engine under every feed download: one HTTP exchange with a deadline for the
 * response headers and an idle deadline between body chunks, and a bounded retry loop with
 * exponential backoff + jitter that honours Retry-After on 429/503. Network errors, timeouts and
 * the retryable statuses are retried; other statuses, oversize bodies and aborts are not. Attempts
 * that made progress on a resumable download do not use up the failure budget, but a hard cap
 * (4 x maxAttempts) still bounds the loop.
 */
import type { Clock, Logger } from '../../core/index.js';
import { silentLogger, systemClock } from '../../core/index.js';
import { FeedError, errorMessage, type FeedErrorCode } from './errors.js';
import { abortableSleep, backoffDelay, DEFAULT_RETRY_STATUSES, parseRetryAfter, type SleepFn } from './retry.js';

export const DEFAULT_USER_AGENT = 'CareGuard-feeds/1.0 (+https://github.com/careguard/careguard; medical device vulnerability management)';

export interface HttpFetcherOptions {
  fetch?: typeof fetch;
  sleep?: SleepFn;
  random?: () => number;
  clock?: Clock;
  logger?: Logger;
  signal?: AbortSignal;
  userAgent?: string;
  /** Extra headers on every request (e.g. NVD `apiKey`); never logged. */
  headers?: Record<string, string>;
  /** Failed attempts without progress before giving up (default 5). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the request fails with retryAfter set (default 10 min). */
  maxRetryAfterMs?: number;
  /** Deadline for the response headers of one attempt (default 30 s). */
  timeoutMs?: number;
  /** Deadline between two body chunks (default 60 s). */
  idleTimeoutMs?: number;
  /** Largest body accepted (default 256 MiB; fetchBuffer callers usually pass less). */
  maxBytes?: number;
  retryStatuses?: readonly number[];
  /** Directory for `.part` downloads (default <tmpdir>/careguard-feeds). */
  workDir?: string;
  onRequest?: (event: { url: string; status: number | undefined; attempt: number }) => void;
}

export interface HttpStats {
  requests: number;
  notModified: number;
  bytes: number;
  retries: number;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A failure the retry loop may try again. */
export class RetryableFailure extends Error {
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly extra: { httpStatus?: number; retryAfterMs?: number; progressed?: boolean; immediate?: boolean; cause?: unknown } = {},
  ) {
    super(message);
  }
}

export interface ExchangeContext {
  /** Read the body chunk by chunk under the idle deadline. */
  readBody(res: Response, onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void>;
}

type Resolved = Required<Omit<HttpFetcherOptions, 'signal' | 'onRequest' | 'workDir'>> & Pick<HttpFetcherOptions, 'signal' | 'onRequest' | 'workDir'>;

export class HttpCore {
  readonly stats: HttpStats = { requests: 0, notModified: 0, bytes: 0, retries: 0 };
  protected readonly o: Resolved;

  constructor(options: HttpFetcherOptions = {}) {
    this.o = {
      fetch: options.fetch ?? globalThis.fetch,
      sleep: options.sleep ?? abortableSleep,
      random: options.random ?? Math.random,
      clock: options.clock ?? systemClock,
      logger: options.logger ?? silentLogger(),
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      headers: options.headers ?? {},
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      baseDelayMs: options.baseDelayMs ?? 1_000,
      maxDelayMs: options.maxDelayMs ?? 60_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 600_000,
      timeoutMs: options.timeoutMs ?? 30_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      maxBytes: options.maxBytes ?? 256 * 1024 * 1024,
      retryStatuses: options.retryStatuses ?? DEFAULT_RETRY_STATUSES,
      signal: options.signal,
      onRequest: options.onRequest,
      workDir: options.workDir,
    };
  }

  get options(): Readonly<Resolved> {
    return this.o;
  }

  /** Request headers: User-Agent, configured extras, conditional validators, then per-call ones. */
  protected headersFor(validators: Validators | undefined, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': this.o.userAgent, ...lower(this.o.headers) };
    if (validators?.etag) h['if-none-match'] = validators.etag;
    if (validators?.lastModified) h['if-modified-since'] = validators.lastModified;
    return { ...h, ...lower(extra) };
  }

  protected async withRetries<T>(url: string, run: (attempt: number) => Promise<T>): Promise<T> {
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted();
      try {
        return await run(attempt);
      } catch (e) {
        if (!(e instanceof RetryableFailure)) throw e;
        if (!e.extra.progressed) failures++;
        const retryAfterMs = e.extra.retryAfterMs;
        const giveUp = (reason: string, retryAfter?: number) =>
          new FeedError(e.code, `GET ${url} failed ${reason} after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${e.message}`, {
            location: { file: url },
            httpStatus: e.extra.httpStatus,
            attempts: attempt,
            retryAfter,
            cause: e.extra.cause,
          });
        if (retryAfterMs !== undefined && retryAfterMs > this.o.maxRetryAfterMs) {
          throw giveUp(`(server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.ceil(this.o.maxRetryAfterMs / 1000)} s allowed)`, Math.ceil(retryAfterMs / 1000));
        }
        if (failures >= this.o.maxAttempts || attempt >= this.o.maxAttempts * 4) {
          throw giveUp('permanently', retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000));
        }
        const delay = e.extra.immediate ? 0 : (retryAfterMs ?? backoffDelay(Math.max(1, failures), this.o, this.o.random));
        this.stats.retries++;
        this.o.logger.warn({ url, attempt, code: e.code, httpStatus: e.extra.httpStatus, delayMs: delay, reason: e.message }, 'feed request failed; retrying');
        if (delay > 0) await this.o.sleep(delay, this.o.signal);
      }
    }
  }

  /** One HTTP exchange: fetch under the header deadline, then let `handle` read the response. */
  protected async exchange<T>(url: string, headers: Record<string, string>, attempt: number, handle: (res: Response, ctx: ExchangeContext) => Promise<T>): Promise<T> {
    const local = new AbortController();
    const signal = this.o.signal ? AbortSignal.any([local.signal, this.o.signal]) : local.signal;
    let timedOut: 'headers' | 'idle' | undefined;
    let timer: NodeJS.Timeout | undefined = setTimeout(() => {
      timedOut = 'headers';
      local.abort();
    }, this.o.timeoutMs);
    const fail = (e: unknown): never => {
      if (this.o.signal?.aborted) throw new FeedError('feed.aborted', `feed sync aborted during GET ${url}`, { location: { file: url } });
      if (e instanceof FeedError || e instanceof RetryableFailure) throw e;
      if (timedOut === 'headers') throw new RetryableFailure('feed.timeout', `no response within ${this.o.timeoutMs} ms`);
      if (timedOut === 'idle') throw new RetryableFailure('feed.timeout', `no data for ${this.o.idleTimeoutMs} ms`);
      throw new RetryableFailure('feed.network', errorMessage(e), { cause: e });
    };
    this.stats.requests++;
    let res: Response;
    try {
      res = await this.o.fetch(url, { headers, signal, redirect: 'follow' });
    } catch (e) {
      clearTimeout(timer);
      this.o.onRequest?.({ url, status: undefined, attempt });
      return fail(e);
    }
    clearTimeout(timer);
    timer = undefined;
    this.o.onRequest?.({ url, status: res.status, attempt });
    const ctx: ExchangeContext = {
      readBody: async (r, onChunk) => {
        if (!r.body) return;
        const reader = r.body.getReader();
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            timedOut = 'idle';
            local.abort();
          }, this.o.idleTimeoutMs);
        };
        try {
          for (arm(); ; arm()) {
            const { done, value } = await reader.read();
            if (done) break;
            this.stats.bytes += value.byteLength;
            await onChunk(value);
          }
        } finally {
          clearTimeout(timer);
          reader.releaseLock();
        }
      },
    };
    try {
      return await handle(res, ctx);
    } catch (e) {
      await res.body?.cancel().catch(() => undefined);
      return fail(e);
    }
  }

  /** Turn an unexpected status into a retryable failure or a final error; drains the body. */
  protected async rejectStatus(res: Response, url: string): Promise<never> {
    await res.body?.cancel().catch(() => undefined);
    const what = `answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (this.o.retryStatuses.includes(res.status)) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.o.clock.now());
      throw new RetryableFailure('feed.http_status', what, { httpStatus: res.status, retryAfterMs });
    }
    throw new FeedError('feed.http_status', `GET ${url} ${what}`, { location: { file: url }, httpStatus: res.status });
  }

  protected tooLarge(url: string, size: number, max: number): FeedError {
    return new FeedError('feed.too_large', `GET ${url}: body of ${size} bytes exceeds the ${max}-byte limit`, { location: { file: url } });
  }

  protected throwIfAborted(): void {
    if (this.o.signal?.aborted) throw new FeedError('feed.aborted', 'feed sync aborted');
  }
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** True for a FeedError from a 404/410 answer (optional resources: sidecars, changes.csv). */
export const isNotFound = (e: unknown): boolean => e instanceof FeedError && (e.httpStatus === 404 || e.httpStatus === 410);
