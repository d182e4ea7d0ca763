/**
 * @module CSAF directory distributions (requirements 11-13): `changes.csv` drives incremental
 * syncs (only documents whose timestamp is newer than the stored cursor are fetched); the first
 * sync takes the complete list from `index.txt`. A directory without changes.csv falls back to
 * index.txt plus a conditional request per document (its own ETag/Last-Modified state).
 */
import type { FeedContext } from '../contract.js';
import { parseChangesCsv, parseIndexTxt, type LineIssue } from '../csaf-discovery.js';
import { FeedError } from '../errors.js';
import { isNotFound } from '../http.js';
import { fetchCsafDocument, newestTime, nextCursor, runPool, type ListedCsafDocument } from './csaf-fetch.js';

const LIST_MAX = 256 * 1024 * 1024;

function reportIssues(ctx: FeedContext, issues: readonly LineIssue[], file: string): void {
  for (const i of issues) ctx.recordError(new FeedError('feed.invalid', i.message, { location: { file, line: i.line } }), file);
}

async function fetchIndex(ctx: FeedContext, indexUrl: string, directory: string): Promise<string[]> {
  const res = await ctx.http.fetchText({ url: indexUrl, maxBytes: LIST_MAX, headers: ctx.source.options?.headers });
  if (res.notModified) return [];
  const parsed = parseIndexTxt(res.text, directory, indexUrl);
  reportIssues(ctx, parsed.issues, indexUrl);
  return parsed.documents.map((d) => d.url);
}

export async function syncCsafDirectory(ctx: FeedContext, directory: string): Promise<void> {
  const changesUrl = `${directory}changes.csv`;
  const indexUrl = `${directory}index.txt`;
  const concurrency = ctx.source.options?.concurrency ?? 4;
  const prior = await ctx.state.getFeedState(changesUrl);
  let changes;
  try {
    changes = await ctx.http.fetchText({ url: changesUrl, validators: prior, maxBytes: LIST_MAX, headers: ctx.source.options?.headers });
  } catch (e) {
    if (isNotFound(e)) return syncIndexOnly(ctx, directory, indexUrl, concurrency);
    throw e;
  }
  if (changes.notModified) {
    if (prior) await ctx.commit({ ...prior, fetchedAt: ctx.now() });
    return;
  }
  const parsed = parseChangesCsv(changes.text, directory, changesUrl);
  reportIssues(ctx, parsed.issues, changesUrl);
  const latest = new Map<string, string>();
  for (const d of parsed.documents) {
    const seen = latest.get(d.url);
    if (d.time && (seen === undefined || Date.parse(d.time) > Date.parse(seen))) latest.set(d.url, d.time);
  }
  const cursor = prior?.cursor;
  let todo: ListedCsafDocument[];
  if (cursor === undefined) {
    let listed: string[];
    try {
      listed = await fetchIndex(ctx, indexUrl, directory);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      listed = [];
    }
    todo = [...new Set([...listed, ...latest.keys()])].map((url) => ({ url, time: latest.get(url) }));
  } else {
    todo = [...latest].filter(([, t]) => Date.parse(t) > Date.parse(cursor)).map(([url, time]) => ({ url, time }));
  }
  ctx.logger.info({ source: ctx.source.name, directory, listed: latest.size, changed: todo.length, cursor }, 'CSAF directory read');
  const outcomes = (await runPool(todo, concurrency, (d) => fetchCsafDocument(ctx, d, directory))).map((r) => r.outcome);
  const transient = outcomes.includes('transient');
  await ctx.commit({
    url: changesUrl,
    ...(transient ? {} : { etag: changes.etag, lastModified: changes.lastModified, sha256: changes.sha256 }),
    cursor: nextCursor(cursor, todo, outcomes, newestTime(latest.values())),
  });
}

async function syncIndexOnly(ctx: FeedContext, directory: string, indexUrl: string, concurrency: number): Promise<void> {
  const prior = await ctx.state.getFeedState(indexUrl);
  const res = await ctx.http.fetchText({ url: indexUrl, validators: prior, maxBytes: LIST_MAX, headers: ctx.source.options?.headers });
  if (res.notModified) {
    if (prior) await ctx.commit({ ...prior, fetchedAt: ctx.now() });
    return;
  }
  const parsed = parseIndexTxt(res.text, directory, indexUrl);
  reportIssues(ctx, parsed.issues, indexUrl);
  const todo: ListedCsafDocument[] = [];
  for (const d of parsed.documents) {
    const s = await ctx.state.getFeedState(d.url);
    todo.push({ url: d.url, validators: s ? { etag: s.etag, lastModified: s.lastModified } : undefined });
  }
  const results = await runPool(todo, concurrency, (d) => fetchCsafDocument(ctx, d, directory));
  await ctx.flush();
  const now = ctx.now();
  for (let i = 0; i < todo.length; i++) {
    const state = results[i]?.state;
    if (state) await ctx.state.putFeedState({ url: (todo[i] as ListedCsafDocument).url, ...clean(state), fetchedAt: now });
  }
  const transient = results.some((r) => r.outcome === 'transient');
  await ctx.commit({ url: indexUrl, ...(transient ? {} : { etag: res.etag, lastModified: res.lastModified, sha256: res.sha256 }) });
}

const clean = (s: { etag?: string; lastModified?: string; sha256: string }) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as typeof s;
