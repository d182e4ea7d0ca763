/**
 * @module Typed domain errors. Every failure a caller can act on is a DomainError with a
 * stable code; the API maps it once to RFC 9457 problem+json, the CLI to exit code 2.
 */

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: string | number;
  byteOffset?: number;
  /** RFC 6901 JSON pointer into the offending document. */
  pointer?: string;
}

export interface DomainErrorOptions {
  status?: number;
  details?: Record<string, unknown>;
  location?: ErrorLocation;
  /** Seconds after which a retry may succeed (feeds, brokers, rate limits). */
  retryAfter?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly location: ErrorLocation | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: string, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.status = options.status ?? 400;
    this.details = options.details;
    this.location = options.location;
    this.retryAfter = options.retryAfter;
  }
}

export const invalidInput = (code: string, message: string, options: Omit<DomainErrorOptions, 'status'> = {}) =>
  new DomainError(code, message, { ...options, status: 400 });

export const notFound = (what: string, id: string) =>
  new DomainError(`${what}.not_found`, `${what} ${id} was not found`, { status: 404, details: { id } });

export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, { status: 409, details });

export const unauthenticated = (message = 'authentication required') =>
  new DomainError('auth.unauthenticated', message, { status: 401 });

export const forbidden = (message = 'not allowed') => new DomainError('auth.forbidden', message, { status: 403 });

export const tooManyRequests = (code: string, message: string, retryAfter: number) =>
  new DomainError(code, message, { status: 429, retryAfter });

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Human-readable suffix naming where an input error is: "file.csv line 12 column serial". */
export function describeLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  if (loc.byteOffset !== undefined) parts.push(`byte ${loc.byteOffset}`);
  if (loc.pointer !== undefined) parts.push(`at ${loc.pointer || '/'}`);
  return parts.join(' ');
}
