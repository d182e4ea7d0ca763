/**
 * @module Pure parsers for CSAF 2.0 distribution metadata (section 7.1): a provider's
 * `provider-metadata.json` (ROLIE feeds and directory URLs), ROLIE feed documents (entries with
 * the document link and its hash/signature links), `index.txt` and `changes.csv`. Untrusted input:
 * errors are feed.invalid with a JSON pointer or line; a bad line of index.txt/changes.csv is
 * reported and the other lines are kept. Document links are only accepted under the directory
 * they are listed in (or, for ROLIE, on the feed's own origin), so a hostile listing cannot send
 * the fetcher to other hosts.
 */
import { FeedError } from './errors.js';
import { isRecord, parseFeedJson } from './json.js';

export interface ProviderMetadata {
  canonicalUrl?: string;
  publisher?: string;
  rolieFeeds: Array<{ url: string; tlpLabel: string; summary?: string }>;
  directoryUrls: string[];
}

export interface RolieEntry {
  id: string;
  documentUrl: string;
  updated?: string;
  hashUrls: string[];
  signatureUrl?: string;
  pointer: string;
}

export interface ListedDocument {
  url: string;
  /** ISO time from changes.csv, when listed there. */
  time?: string;
  line: number;
}

export interface LineIssue {
  line: number;
  message: string;
}

const MAX_LIST_LINES = 1_000_000;

function absoluteUrl(value: unknown, base: string, location: string, pointer: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new FeedError('feed.invalid', 'expected a URL string', { location: { file: location, pointer } });
  try {
    const u = new URL(value, base);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`${u.protocol} is not http(s)`);
    return u.href;
  } catch (e) {
    throw new FeedError('feed.invalid', `"${value.slice(0, 100)}" is not a usable URL (${e instanceof Error ? e.message : String(e)})`, { location: { file: location, pointer } });
  }
}

/** Directory URLs always end in '/' so relative paths resolve under them. */
export const asDirectory = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

export function parseProviderMetadata(text: string, url: string): ProviderMetadata {
  const root = parseFeedJson(text, url);
  if (!isRecord(root)) throw new FeedError('feed.invalid', 'provider metadata is not a JSON object', { location: { file: url, pointer: '' } });
  if (root.metadata_version !== undefined && root.metadata_version !== '2.0') {
    throw new FeedError('feed.invalid', `metadata_version "${String(root.metadata_version)}" is not supported (expected "2.0")`, { location: { file: url, pointer: '/metadata_version' } });
  }
  if (!Array.isArray(root.distributions) || root.distributions.length === 0) {
    throw new FeedError('feed.invalid', 'provider metadata lists no distributions (neither ROLIE feeds nor a directory_url)', { location: { file: url, pointer: '/distributions' } });
  }
  const out: ProviderMetadata = { rolieFeeds: [], directoryUrls: [] };
  if (typeof root.canonical_url === 'string') out.canonicalUrl = root.canonical_url;
  if (isRecord(root.publisher) && typeof root.publisher.name === 'string') out.publisher = root.publisher.name;
  root.distributions.forEach((d: unknown, i) => {
    const p = `/distributions/${i}`;
    if (!isRecord(d)) throw new FeedError('feed.invalid', 'distribution is not an object', { location: { file: url, pointer: p } });
    if (d.directory_url !== undefined) out.directoryUrls.push(asDirectory(absoluteUrl(d.directory_url, url, url, `${p}/directory_url`)));
    if (d.rolie === undefined) return;
    if (!isRecord(d.rolie) || !Array.isArray(d.rolie.feeds)) throw new FeedError('feed.invalid', 'rolie has no feeds list', { location: { file: url, pointer: `${p}/rolie/feeds` } });
    d.rolie.feeds.forEach((f: unknown, j) => {
      const fp = `${p}/rolie/feeds/${j}`;
      if (!isRecord(f)) throw new FeedError('feed.invalid', 'ROLIE feed is not an object', { location: { file: url, pointer: fp } });
      const feed: ProviderMetadata['rolieFeeds'][number] = { url: absoluteUrl(f.url, url, url, `${fp}/url`), tlpLabel: typeof f.tlp_label === 'string' ? f.tlp_label.toUpperCase() : 'UNLABELED' };
      if (typeof f.summary === 'string') feed.summary = f.summary;
      out.rolieFeeds.push(feed);
    });
  });
  return out;
}

export function parseRolieFeed(text: string, url: string): RolieEntry[] {
  const root = parseFeedJson(text, url);
  if (!isRecord(root) || !isRecord(root.feed)) throw new FeedError('feed.invalid', 'ROLIE document has no "feed" object', { location: { file: url, pointer: '/feed' } });
  const entries = root.feed.entry ?? [];
  if (!Array.isArray(entries)) throw new FeedError('feed.invalid', '"entry" is not a list', { location: { file: url, pointer: '/feed/entry' } });
  const origin = new URL(url).origin;
  return entries.map((e: unknown, i): RolieEntry => {
    const p = `/feed/entry/${i}`;
    if (!isRecord(e)) throw new FeedError('feed.invalid', 'entry is not an object', { location: { file: url, pointer: p } });
    const links = Array.isArray(e.link) ? e.link : [];
    let documentUrl: string | undefined;
    const hashUrls: string[] = [];
    let signatureUrl: string | undefined;
    links.forEach((l: unknown, j) => {
      if (!isRecord(l)) return;
      const href = () => absoluteUrl(l.href, url, url, `${p}/link/${j}/href`);
      if (l.rel === 'self') documentUrl ??= href();
      else if (l.rel === 'hash') hashUrls.push(href());
      else if (l.rel === 'signature') signatureUrl = href();
    });
    if (!documentUrl && isRecord(e.content) && e.content.src !== undefined) documentUrl = absoluteUrl(e.content.src, url, url, `${p}/content/src`);
    if (!documentUrl) throw new FeedError('feed.invalid', 'entry has no link with rel "self" (nor content.src)', { location: { file: url, pointer: `${p}/link` } });
    if (new URL(documentUrl).origin !== origin) throw new FeedError('feed.invalid', `document ${documentUrl} is not on the feed's origin ${origin}`, { location: { file: url, pointer: `${p}/link` } });
    const entry: RolieEntry = { id: typeof e.id === 'string' ? e.id : documentUrl, documentUrl, hashUrls, pointer: p };
    if (typeof e.updated === 'string' && Number.isFinite(Date.parse(e.updated))) entry.updated = new Date(e.updated).toISOString();
    if (signatureUrl) entry.signatureUrl = signatureUrl;
    return entry;
  });
}

function listedUrl(path: string, directory: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.split('/').includes('..')) throw new Error(`"${path.slice(0, 100)}" is not a relative path under the directory`);
  const u = new URL(path, directory).href;
  if (!u.startsWith(directory)) throw new Error(`"${path.slice(0, 100)}" resolves outside the directory`);
  return u;
}

function splitListLines(text: string, location: string): string[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  if (lines.length > MAX_LIST_LINES) throw new FeedError('feed.too_large', `more than ${MAX_LIST_LINES} lines`, { location: { file: location } });
  return lines;
}

/** index.txt: one document path per line, relative to the directory URL. */
export function parseIndexTxt(text: string, directory: string, location: string): { documents: ListedDocument[]; issues: LineIssue[] } {
  const documents: ListedDocument[] = [];
  const issues: LineIssue[] = [];
  splitListLines(text, location).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      documents.push({ url: listedUrl(line, directory), line: i + 1 });
    } catch (e) {
      issues.push({ line: i + 1, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return { documents, issues };
}

/** changes.csv: `"path","timestamp"` per line (RFC 4180 quoting optional), newest first by spec. */
export function parseChangesCsv(text: string, directory: string, location: string): { documents: ListedDocument[]; issues: LineIssue[] } {
  const documents: ListedDocument[] = [];
  const issues: LineIssue[] = [];
  splitListLines(text, location).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const m = /^\s*(?:"((?:[^"]|"")*)"|([^,"]*))\s*,\s*(?:"((?:[^"]|"")*)"|([^,"]*))\s*$/.exec(raw);
    if (!m) return issues.push({ line: i + 1, message: 'expected two fields: "path","timestamp"' });
    const path = (m[1] ?? m[2] ?? '').replace(/""/g, '"').trim();
    const time = (m[3] ?? m[4] ?? '').replace(/""/g, '"').trim();
    const t = Date.parse(time);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(time) || !Number.isFinite(t)) return issues.push({ line: i + 1, message: `"${time.slice(0, 40)}" is not an ISO 8601 timestamp` });
    try {
      documents.push({ url: listedUrl(path, directory), time: new Date(t).toISOString(), line: i + 1 });
    } catch (e) {
      issues.push({ line: i + 1, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return { documents, issues };
}
