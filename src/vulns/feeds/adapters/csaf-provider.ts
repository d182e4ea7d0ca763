/**
 * @module CSAF 2.0 provider adapter: reads `provider-metadata.json`, then each ROLIE feed (TLP
 * WHITE/CLEAR by default) or, without ROLIE, each directory distribution. ROLIE feeds are fetched
 * conditionally and only entries `updated` after the stored cursor are downloaded; every document
 * is checked against its hash links before it reaches the sink. One failing feed or document is
 * reported and the rest continue.
 */
import type { FeedAdapter, FeedContext } from '../contract.js';
import { parseProviderMetadata, parseRolieFeed } from '../csaf-discovery.js';
import { FeedError } from '../errors.js';
import { fetchCsafDocument, newestTime, nextCursor, runPool, type ListedCsafDocument } from './csaf-fetch.js';
import { syncCsafDirectory } from './csaf-directory.js';

const DEFAULT_TLP = ['WHITE', 'CLEAR'];

async function syncRolieFeed(ctx: FeedContext, feedUrl: string): Promise<void> {
  const prior = await ctx.state.getFeedState(feedUrl);
  const res = await ctx.http.fetchText({ url: feedUrl, validators: prior, maxBytes: 256 * 1024 * 1024, headers: ctx.source.options?.headers });
  if (res.notModified) {
    if (prior) await ctx.commit({ ...prior, fetchedAt: ctx.now() });
    return;
  }
  const entries = parseRolieFeed(res.text, feedUrl);
  const cursor = prior?.cursor;
  const todo: ListedCsafDocument[] = entries
    .filter((e) => cursor === undefined || e.updated === undefined || Date.parse(e.updated) > Date.parse(cursor))
    .map((e) => ({ url: e.documentUrl, time: e.updated, hashUrls: e.hashUrls }));
  ctx.logger.info({ source: ctx.source.name, feed: feedUrl, entries: entries.length, changed: todo.length }, 'ROLIE feed read');
  const outcomes = (await runPool(todo, ctx.source.options?.concurrency ?? 4, (d) => fetchCsafDocument(ctx, d, feedUrl))).map((r) => r.outcome);
  const transient = outcomes.includes('transient');
  await ctx.commit({
    url: feedUrl,
    // Without a clean run the feed must be fetched again next time, so its validators are not kept.
    ...(transient ? {} : { etag: res.etag, lastModified: res.lastModified, sha256: res.sha256 }),
    cursor: nextCursor(cursor, todo, outcomes, newestTime(entries.map((e) => e.updated))),
  });
}

export const csafProviderFeed: FeedAdapter = {
  id: 'csaf-provider-feed',
  version: '1.0.0',
  kind: 'csaf-provider',
  accepts: (s) => s.kind === 'csaf-provider' && s.url !== undefined,
  async sync(source, ctx) {
    const url = source.url as string;
    // Always fetched in full: it is small, and a 304 would leave us without the distribution list.
    const res = await ctx.http.fetchText({ url, maxBytes: 1024 * 1024, headers: source.options?.headers });
    if (res.notModified) return;
    const meta = parseProviderMetadata(res.text, url);
    const mode = source.options?.distribution ?? 'auto';
    const tlp = (source.options?.tlpLabels ?? DEFAULT_TLP).map((t) => t.toUpperCase());
    const feeds = meta.rolieFeeds.filter((f) => tlp.includes(f.tlpLabel));
    const useRolie = mode === 'rolie' || (mode === 'auto' && feeds.length > 0);
    if (useRolie && feeds.length === 0) {
      throw new FeedError('feed.invalid', `provider lists no ROLIE feed with TLP ${tlp.join('/')}`, { location: { file: url, pointer: '/distributions' } });
    }
    if (!useRolie && meta.directoryUrls.length === 0) {
      throw new FeedError('feed.invalid', 'provider lists no directory_url distribution', { location: { file: url, pointer: '/distributions' } });
    }
    const targets = useRolie ? feeds.map((f) => f.url) : meta.directoryUrls;
    for (const target of targets) {
      ctx.checkAborted();
      try {
        await (useRolie ? syncRolieFeed(ctx, target) : syncCsafDirectory(ctx, target));
      } catch (e) {
        if (e instanceof FeedError && (e.code === 'feed.sink_failed' || e.code === 'feed.aborted')) throw e;
        ctx.recordError(e, target);
      }
    }
    await ctx.flush();
  },
};
