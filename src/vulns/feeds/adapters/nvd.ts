/**
 * @module NVD CVE API 2.0 adapter. The first sync pages through the whole catalogue (or from
 * `since`); later syncs ask only for CVEs modified since the stored cursor, in lastModStartDate /
 * lastModEndDate windows of at most 120 days (the API's limit). Pages are requested with
 * startIndex/resultsPerPage and a polite pause between requests (NVD asks for ~6 s without an API
 * key); the key goes in the `apiKey` header. The cursor advances after each completed window, so
 * an interrupted sync resumes where it stopped. One malformed CVE in a page is reported with its
 * pointer and the rest of the page is kept.
 */
import { nvdSource, isAdvisoryParseError } from '../../sources/index.js';
import type { Advisory } from '../../model.js';
import { DEFAULT_URLS, type FeedSourceConfig } from '../config.js';
import type { FeedAdapter, FeedContext } from '../contract.js';
import { FeedError } from '../errors.js';
import { isRecord, parseFeedJson } from '../json.js';

const DAY_MS = 86_400_000;

/** NVD's extended ISO-8601 form with an explicit UTC offset. */
export const nvdTime = (d: Date): string => d.toISOString().replace('Z', '+00:00');

export interface NvdWindow {
  start: Date;
  end: Date;
}

/** Split [from, to] into consecutive windows of at most `days` days. */
export function nvdWindows(from: Date, to: Date, days: number): NvdWindow[] {
  const out: NvdWindow[] = [];
  const span = Math.min(120, Math.max(1, days)) * DAY_MS;
  for (let t = from.getTime(); t < to.getTime(); t += span) out.push({ start: new Date(t), end: new Date(Math.min(t + span, to.getTime())) });
  return out;
}

export function nvdPageUrl(base: string, startIndex: number, resultsPerPage: number, window?: NvdWindow): string {
  const u = new URL(base);
  u.searchParams.set('startIndex', String(startIndex));
  u.searchParams.set('resultsPerPage', String(resultsPerPage));
  if (window) {
    u.searchParams.set('lastModStartDate', nvdTime(window.start));
    u.searchParams.set('lastModEndDate', nvdTime(window.end));
  }
  return u.href;
}

/** Parse a page; when the whole page fails, parse CVE by CVE so one bad record loses only itself. */
function parsePage(ctx: FeedContext, text: string, url: string, items: unknown[], envelope: Record<string, unknown>): Advisory[] {
  try {
    return nvdSource.parse(text, url);
  } catch (e) {
    if (!isAdvisoryParseError(e)) throw e;
  }
  const out: Advisory[] = [];
  items.forEach((item, i) => {
    try {
      const one = nvdSource.parse(JSON.stringify({ ...envelope, vulnerabilities: [item] }), url);
      for (const a of one) out.push({ ...a, provenance: { ...a.provenance, pointer: a.provenance.pointer.replace(/^\/vulnerabilities\/0/, `/vulnerabilities/${i}`) } });
    } catch (e) {
      if (!isAdvisoryParseError(e)) throw e;
      const pointer = e.location?.pointer?.replace(/^\/vulnerabilities\/0/, `/vulnerabilities/${i}`) ?? `/vulnerabilities/${i}`;
      ctx.recordError(new FeedError('feed.invalid', `${e.reason}`, { location: { file: url, pointer } }), url);
    }
  });
  return out;
}

async function syncWindow(ctx: FeedContext, base: string, window: NvdWindow | undefined, perPage: number, delayMs: number, first: { value: boolean }): Promise<void> {
  let startIndex = 0;
  let total = Infinity;
  while (startIndex < total) {
    ctx.checkAborted();
    if (!first.value && delayMs > 0) await ctx.sleep(delayMs, ctx.signal);
    first.value = false;
    const url = nvdPageUrl(base, startIndex, perPage, window);
    const res = await ctx.http.fetchText({ url, maxBytes: 256 * 1024 * 1024, headers: headersOf(ctx.source) });
    if (res.notModified) break;
    const page = parseFeedJson(res.text, url);
    if (!isRecord(page) || page.format !== 'NVD_CVE' || !Array.isArray(page.vulnerabilities) || typeof page.totalResults !== 'number') {
      throw new FeedError('feed.invalid', 'not an NVD CVE API 2.0 page (format NVD_CVE with totalResults and vulnerabilities)', { location: { file: url, pointer: '' } });
    }
    const { vulnerabilities, ...envelope } = page;
    const advisories = parsePage(ctx, res.text, url, vulnerabilities, envelope);
    await ctx.emit(advisories, base);
    ctx.counters.documents++;
    total = page.totalResults;
    if (vulnerabilities.length === 0) break;
    startIndex += vulnerabilities.length;
  }
}

function headersOf(source: FeedSourceConfig): Record<string, string> {
  const h: Record<string, string> = { ...(source.options?.headers ?? {}) };
  if (source.options?.apiKey) h.apiKey = source.options.apiKey;
  return h;
}

export const nvdFeed: FeedAdapter = {
  id: 'nvd-api-feed',
  version: '1.0.0',
  kind: 'nvd',
  accepts: (s) => s.kind === 'nvd',
  async sync(source, ctx) {
    const base = source.url ?? DEFAULT_URLS.nvd;
    const o = source.options ?? {};
    const perPage = o.resultsPerPage ?? 2000;
    const delayMs = o.pageDelayMs ?? (o.apiKey ? 700 : 6000);
    const prior = await ctx.state.getFeedState(base);
    const now = ctx.clock.now();
    const from = prior?.cursor ?? o.since;
    const first = { value: true };
    if (!from) {
      // Full catalogue: no date filter, cursor = when this sync started (later edits are picked up next time).
      await syncWindow(ctx, base, undefined, perPage, delayMs, first);
      await ctx.commit({ url: base, cursor: now.toISOString() });
      return;
    }
    for (const w of nvdWindows(new Date(from), now, o.windowDays ?? 120)) {
      await syncWindow(ctx, base, w, perPage, delayMs, first);
      await ctx.commit({ url: base, cursor: w.end.toISOString() });
    }
  },
};
