/**
 * @module Retry timing for feed requests: which failures are worth retrying, exponential backoff
 * with jitter (so many CareGuard installations do not hammer a feed in lock-step), the
 * Retry-After header in both of its RFC 9110 forms, and an abortable sleep that tests replace.
 */
import { FeedError } from './errors.js';

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Statuses retried by default: timeouts, rate limits and transient upstream failures. */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 425, 429, 500, 502, 503, 504];

export const abortableSleep: SleepFn = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FeedError('feed.aborted', 'feed sync aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new FeedError('feed.aborted', 'feed sync aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1-based): base * 2^(retry-1), capped, with "equal jitter"
 * (half fixed, half random) so the delay never collapses to zero but spreads clients apart.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + (exp / 2) * r);
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP-date (relative to `now`). Undefined when
 * absent or unparseable; a date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) return undefined;
  return Math.max(0, t - now.getTime());
}
