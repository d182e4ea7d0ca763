/**
 * @module What a feed sync tells its caller: per source, how many requests, 304s, bytes,
 * documents and advisories, and every error with the location it happened at (URL or file, plus
 * the line / JSON pointer / byte offset a parser named). A source that failed as a whole is
 * 'failed'; one whose documents partly failed to parse is 'partial'.
 */
import { isDomainError } from '../../core/index.js';
import { errorMessage, isFeedError } from './errors.js';
import type { FeedKind } from './config.js';

export interface FeedErrorEntry {
  /** The URL, file or `archive!/entry` the error is about. */
  location: string;
  code: string;
  message: string;
  line?: number;
  pointer?: string;
  byteOffset?: number;
  httpStatus?: number;
  /** Seconds after which a retry may succeed (rate limits). */
  retryAfter?: number;
}

export type FeedSourceStatus = 'ok' | 'partial' | 'failed' | 'aborted';

export interface FeedSourceReport {
  source: string;
  kind: FeedKind;
  /** Adapter that ran, 'id@version'. */
  adapter: string;
  status: FeedSourceStatus;
  requests: number;
  /** 304 answers plus 200 answers whose body was byte-identical to the last processed one. */
  notModified: number;
  bytes: number;
  retries: number;
  /** Documents parsed successfully (a CSAF file, an OSV zip entry, an NVD page, a whole KEV catalog). */
  documents: number;
  advisories: number;
  /** Files in a directory/archive that no source recognised (schemas, feed metadata). */
  skipped: number;
  /** Documents accepted without a hash sidecar to check (verifyIntegrity 'if-present'). */
  unverified: number;
  errors: FeedErrorEntry[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export interface FeedSyncReport {
  status: FeedSourceStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  sources: FeedSourceReport[];
}

/** An error entry for the report, keeping the parser's line / pointer / offset. */
export function toErrorEntry(e: unknown, fallbackLocation: string): FeedErrorEntry {
  const entry: FeedErrorEntry = { location: fallbackLocation, code: 'feed.internal', message: errorMessage(e) };
  if (isDomainError(e)) {
    entry.code = e.code;
    const loc = e.location;
    if (loc?.file) entry.location = loc.file;
    if (loc?.line !== undefined) entry.line = loc.line;
    if (loc?.pointer !== undefined) entry.pointer = loc.pointer;
    if (loc?.byteOffset !== undefined) entry.byteOffset = loc.byteOffset;
    if (e.retryAfter !== undefined) entry.retryAfter = e.retryAfter;
  }
  if (isFeedError(e) && e.httpStatus !== undefined) entry.httpStatus = e.httpStatus;
  return entry;
}

/** The overall status of a sync: the worst of its sources. */
export function overallStatus(sources: readonly FeedSourceReport[]): FeedSourceStatus {
  const order: FeedSourceStatus[] = ['ok', 'partial', 'failed', 'aborted'];
  return sources.reduce<FeedSourceStatus>((worst, s) => (order.indexOf(s.status) > order.indexOf(worst) ? s.status : worst), 'ok');
}
