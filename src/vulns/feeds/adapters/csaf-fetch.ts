/**
 * @module Fetching CSAF documents listed by a provider (ROLIE entry or directory listing):
 * download, verify sidecars, parse, hand to the sink, and classify the outcome for cursor
 * bookkeeping. 'permanent' failures (parse errors, 4xx such as a listed file that is gone) will
 * not get better by retrying and let the cursor move on; 'transient' ones (network, 5xx after
 * retries, hash mismatch on a mirror that may be mid-update) hold the cursor back so the next
 * sync fetches the document again.
 */
import { csafSource } from '../../sources/index.js';
import type { FeedContext } from '../contract.js';
import { FeedError } from '../errors.js';
import { parseDocument } from '../local.js';
import { verifyAgainstSidecars } from './integrity-check.js';

export type DocumentOutcome = 'ok' | 'permanent' | 'transient';

export interface ListedCsafDocument {
  url: string;
  /** When the listing says it last changed (ISO), if it says. */
  time?: string;
  /** Explicit hash links (ROLIE); otherwise `<url>.sha512` / `.sha256` are tried. */
  hashUrls?: string[];
  /** Conditional-request validators from this document's own state (index.txt-only directories). */
  validators?: { etag?: string; lastModified?: string };
}

export interface DocumentResult {
  outcome: DocumentOutcome;
  /** What to store for the document when it was fetched with validators. */
  state?: { etag?: string; lastModified?: string; sha256: string };
}

export async function fetchCsafDocument(ctx: FeedContext, doc: ListedCsafDocument, resource: string): Promise<DocumentResult> {
  try {
    const res = await ctx.http.fetchBuffer({ url: doc.url, validators: doc.validators, maxBytes: ctx.source.options?.maxBytes ?? 32 * 1024 * 1024, headers: ctx.source.options?.headers });
    if (res.notModified) return { outcome: 'ok' };
    await verifyAgainstSidecars(ctx, doc.url, { body: res.body }, ctx.source.options?.verifyIntegrity ?? 'if-present', doc.hashUrls);
    const item = parseDocument(res.body.toString('utf8'), doc.url, doc.url.split('/').pop() ?? doc.url, [csafSource], false);
    await ctx.accept(item, resource);
    return { outcome: item.kind === 'error' ? 'permanent' : 'ok', state: { etag: res.etag, lastModified: res.lastModified, sha256: res.sha256 } };
  } catch (e) {
    if (e instanceof FeedError && (e.code === 'feed.sink_failed' || e.code === 'feed.aborted')) throw e;
    ctx.recordError(e, doc.url);
    const permanent = e instanceof FeedError && e.code === 'feed.http_status' && e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500 && e.httpStatus !== 429;
    return { outcome: permanent || (e instanceof FeedError && e.code === 'feed.too_large') ? 'permanent' : 'transient' };
  }
}

/** Run `fn` over items with at most `limit` in flight; the first thrown error stops new work and is rethrown. */
export async function runPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e) {
        failed ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.error;
  return results;
}

/**
 * The cursor after processing `docs` (with outcomes): the newest listed time when nothing failed
 * transiently, otherwise just before the oldest transient failure, never behind `prior`. Undefined
 * when a failed document has no time (the next sync must start from the full listing).
 */
export function nextCursor(prior: string | undefined, docs: readonly ListedCsafDocument[], outcomes: readonly DocumentOutcome[], newestListed: string | undefined): string | undefined {
  const failedTimes: number[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (outcomes[i] !== 'transient') continue;
    const t = docs[i]?.time;
    if (t === undefined) return prior;
    failedTimes.push(Date.parse(t));
  }
  if (failedTimes.length === 0) return newestListed ?? prior;
  const held = new Date(failedTimes.reduce((a, b) => Math.min(a, b)) - 1).toISOString();
  return prior !== undefined && Date.parse(prior) > Date.parse(held) ? prior : held;
}

export const newestTime = (times: Iterable<string | undefined>): string | undefined => {
  let best: string | undefined;
  for (const t of times) if (t !== undefined && (best === undefined || Date.parse(t) > Date.parse(best))) best = t;
  return best;
};
