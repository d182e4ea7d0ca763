/**
 * @module The one error the feed layer raises: a DomainError whose code says what went wrong
 * (upstream status, network, timeout, size, integrity, malformed feed metadata, configuration,
 * abort) and whose location names the URL or file. Retryable upstream failures carry
 * `retryAfter` so a scheduler can wait the right amount before the next sync.
 */
import { DomainError, describeLocation, type ErrorLocation } from '../../core/index.js';

export type FeedErrorCode =
  | 'feed.http_status'
  | 'feed.network'
  | 'feed.timeout'
  | 'feed.too_large'
  | 'feed.integrity'
  | 'feed.invalid'
  | 'feed.config_invalid'
  | 'feed.aborted'
  | 'feed.sink_failed'
  | 'feed.io';

export interface FeedErrorOptions {
  location?: ErrorLocation;
  /** HTTP status of the last response, when there was one. */
  httpStatus?: number;
  retryAfter?: number;
  /** Attempts made before giving up (retry loops). */
  attempts?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

const STATUS: Record<FeedErrorCode, number> = {
  'feed.http_status': 502,
  'feed.network': 502,
  'feed.timeout': 504,
  'feed.too_large': 502,
  'feed.integrity': 502,
  'feed.invalid': 422,
  'feed.config_invalid': 400,
  'feed.aborted': 499,
  'feed.sink_failed': 500,
  'feed.io': 500,
};

export class FeedError extends DomainError {
  declare readonly code: FeedErrorCode;
  readonly httpStatus: number | undefined;
  readonly attempts: number | undefined;

  constructor(code: FeedErrorCode, message: string, options: FeedErrorOptions = {}) {
    const where = describeLocation(options.location);
    super(code, where && !message.includes(where) ? `${message} (${where})` : message, {
      status: STATUS[code],
      location: options.location,
      retryAfter: options.retryAfter,
      cause: options.cause,
      details: { ...options.details, httpStatus: options.httpStatus, attempts: options.attempts },
    });
    this.name = 'FeedError';
    this.httpStatus = options.httpStatus;
    this.attempts = options.attempts;
  }
}

export const isFeedError = (e: unknown): e is FeedError => e instanceof FeedError;

/** Message of any thrown value, following `cause` chains one level (undici wraps socket errors). */
export function errorMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message && !e.message.includes(cause.message) ? `${e.message}: ${cause.message}` : e.message;
}
