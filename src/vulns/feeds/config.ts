/**
 * @module Feed configuration: the typed list of advisory sources `careguard feeds sync` runs,
 * the official default endpoints, and a validator that reports every problem at once with the
 * JSON pointer of the offending field (`/sources/2/options/windowDays: must be an integer from 1
 * to 120`), so a hand-edited config file is fixed in one round.
 */
import { FeedError } from './errors.js';

export const FEED_KINDS = ['osv', 'csaf-provider', 'csaf', 'kev', 'epss', 'nvd', 'cve5', 'path'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const DEFAULT_URLS = {
  kev: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  /** Official FIRST EPSS bulk file (operated by Empirical Security); redirects to the dated file. */
  epss: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
  nvd: 'https://services.nvd.nist.gov/rest/json/cves/2.0',
  osvBucket: 'https://osv-vulnerabilities.storage.googleapis.com',
} as const;

/** OSV's per-ecosystem archive, e.g. osvEcosystemUrl('PyPI'). */
export const osvEcosystemUrl = (ecosystem: string): string => `${DEFAULT_URLS.osvBucket}/${encodeURIComponent(ecosystem).replace(/%3A/gi, ':')}/all.zip`;

export type VerifyIntegrity = 'required' | 'if-present' | 'off';

export interface FeedSourceOptions {
  /** Per-request deadline for response headers (ms). */
  timeoutMs?: number;
  maxAttempts?: number;
  /** Largest body accepted for this source (bytes). */
  maxBytes?: number;
  /** Extra request headers (e.g. Authorization for a TLP:AMBER CSAF feed); never logged. */
  headers?: Record<string, string>;
  /** `.sha256`/`.sha512` sidecars: 'required' rejects documents without one (default 'if-present'). */
  verifyIntegrity?: VerifyIntegrity;
  /** osv: ecosystem whose all.zip to fetch when no url/path is given ('PyPI', 'Debian:12', ...). */
  ecosystem?: string;
  /** csaf-provider: which distribution to read (default 'auto': ROLIE when listed, else directory). */
  distribution?: 'auto' | 'rolie' | 'directory';
  /** csaf-provider: ROLIE feeds to read by TLP label (default WHITE and CLEAR). */
  tlpLabels?: string[];
  /** csaf-provider: documents fetched in parallel (default 4). */
  concurrency?: number;
  /** nvd: API key, sent as the `apiKey` header. */
  apiKey?: string;
  /** nvd: page size, at most 2000 (default 2000). */
  resultsPerPage?: number;
  /** nvd: pause between requests (default 6000 ms without a key, 700 ms with one). */
  pageDelayMs?: number;
  /** nvd: length of one lastModified window, at most 120 days (default 120). */
  windowDays?: number;
  /** nvd: first sync only fetches CVEs modified since this ISO time (default: the whole catalogue). */
  since?: string;
}

export interface FeedSourceConfig {
  /** Unique name, used as the sink's `source` and in reports. */
  name: string;
  kind: FeedKind;
  url?: string;
  path?: string;
  /** Default true. */
  enabled?: boolean;
  options?: FeedSourceOptions;
}

export interface FeedConfig {
  sources: FeedSourceConfig[];
  userAgent?: string;
  /** Advisories per sink call (default 1000). */
  batchSize?: number;
  /** Directory for `.part` downloads (default <tmpdir>/careguard-feeds). */
  workDir?: string;
}

export interface ConfigIssue {
  pointer: string;
  message: string;
}

type Check = (v: unknown) => string | undefined;
const int = (min: number, max: number): Check => (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer from ${min} to ${max}`);
const str: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string');
const oneOf = (xs: readonly string[]): Check => (v) => (typeof v === 'string' && xs.includes(v) ? undefined : `must be one of ${xs.join(', ')}`);
const isoTime: Check = (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && Number.isFinite(Date.parse(v)) ? undefined : 'must be an ISO 8601 date or time');
const stringList: Check = (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '') ? undefined : 'must be a non-empty list of strings');
const headerMap: Check = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, x]) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && typeof x === 'string' && !/[\r\n]/.test(x))
    ? undefined
    : 'must map header names to single-line string values';

const COMMON: Record<string, Check> = { timeoutMs: int(1, 3_600_000), maxAttempts: int(1, 20), maxBytes: int(1, 2 ** 40), headers: headerMap, verifyIntegrity: oneOf(['required', 'if-present', 'off']) };
const BY_KIND: Record<FeedKind, Record<string, Check>> = {
  osv: { ecosystem: (v) => str(v) ?? (/[/?#]/.test(v as string) ? 'must be an OSV ecosystem name such as "PyPI" or "Debian:12"' : undefined) },
  'csaf-provider': { distribution: oneOf(['auto', 'rolie', 'directory']), tlpLabels: stringList, concurrency: int(1, 16) },
  csaf: {},
  kev: {},
  epss: {},
  nvd: { apiKey: str, resultsPerPage: int(1, 2000), pageDelayMs: int(0, 600_000), windowDays: int(1, 120), since: isoTime },
  cve5: {},
  path: {},
};
/** Which of url/path each kind takes; the '-or-default' kinds have an official default URL. */
const LOCATION: Record<FeedKind, 'url' | 'path' | 'either' | 'url-or-default' | 'any-or-default'> = {
  osv: 'any-or-default',
  'csaf-provider': 'url',
  csaf: 'either',
  kev: 'any-or-default',
  epss: 'any-or-default',
  nvd: 'url-or-default',
  cve5: 'either',
  path: 'path',
};

function checkUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'must be a string';
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : `must be an http(s) URL, not ${u.protocol}`;
  } catch {
    return 'must be an absolute http(s) URL';
  }
}

/** Every problem in a config document; an empty list means `validateFeedConfig` will accept it. */
export function checkFeedConfig(input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (pointer: string, message: string) => issues.push({ pointer, message });
  const root = Array.isArray(input) ? { sources: input } : input;
  if (typeof root !== 'object' || root === null) return [{ pointer: '', message: 'must be an object with a "sources" list (or the list itself)' }];
  const r = root as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!['sources', 'userAgent', 'batchSize', 'workDir'].includes(k)) add(`/${k}`, 'is not a known setting');
  if (r.userAgent !== undefined && str(r.userAgent)) add('/userAgent', 'must be a non-empty string');
  if (r.batchSize !== undefined && int(1, 100_000)(r.batchSize)) add('/batchSize', int(1, 100_000)(r.batchSize) as string);
  if (r.workDir !== undefined && str(r.workDir)) add('/workDir', 'must be a non-empty string');
  if (!Array.isArray(r.sources)) return [...issues, { pointer: '/sources', message: 'must be a list of sources' }];
  const names = new Map<string, number>();
  r.sources.forEach((s: unknown, i) => {
    const p = `/sources/${i}`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return add(p, 'must be an object');
    const src = s as Record<string, unknown>;
    for (const k of Object.keys(src)) if (!['name', 'kind', 'url', 'path', 'enabled', 'options'].includes(k)) add(`${p}/${k}`, 'is not a known field');
    if (str(src.name)) add(`${p}/name`, 'must be a non-empty string');
    else if (names.has(src.name as string)) add(`${p}/name`, `"${src.name as string}" is already used by /sources/${names.get(src.name as string)}`);
    else names.set(src.name as string, i);
    if (src.enabled !== undefined && typeof src.enabled !== 'boolean') add(`${p}/enabled`, 'must be true or false');
    if (!FEED_KINDS.includes(src.kind as FeedKind)) return add(`${p}/kind`, `must be one of ${FEED_KINDS.join(', ')}`);
    const kind = src.kind as FeedKind;
    if (src.url !== undefined) {
      const bad = checkUrl(src.url);
      if (bad) add(`${p}/url`, bad);
    }
    if (src.path !== undefined && str(src.path)) add(`${p}/path`, 'must be a non-empty string');
    const where = LOCATION[kind];
    if (src.url !== undefined && src.path !== undefined) add(p, 'give either "url" or "path", not both');
    if (where === 'url' && src.url === undefined) add(`${p}/url`, `is required for kind "${kind}"`);
    if (where === 'path' && src.path === undefined) add(`${p}/path`, `is required for kind "${kind}"`);
    if (where === 'either' && src.url === undefined && src.path === undefined) add(p, `kind "${kind}" needs a "url" or a "path"`);
    if ((where === 'url' || where === 'url-or-default') && src.path !== undefined) add(`${p}/path`, `kind "${kind}" reads from HTTP only; use kind "path" for local files`);
    if (where === 'path' && src.url !== undefined) add(`${p}/url`, 'kind "path" reads local files only');
    const ecosystem = typeof src.options === 'object' && src.options !== null ? (src.options as Record<string, unknown>).ecosystem : undefined;
    if (kind === 'osv' && src.url === undefined && src.path === undefined && ecosystem === undefined) add(p, 'kind "osv" needs a "url", a "path" or options.ecosystem');
    if (src.options === undefined) return;
    if (typeof src.options !== 'object' || src.options === null || Array.isArray(src.options)) return add(`${p}/options`, 'must be an object');
    const allowed = { ...COMMON, ...BY_KIND[kind] };
    for (const [k, v] of Object.entries(src.options)) {
      const check = allowed[k];
      if (!check) add(`${p}/options/${k}`, `is not an option of kind "${kind}" (known: ${Object.keys(allowed).join(', ')})`);
      else {
        const bad = check(v);
        if (bad) add(`${p}/options/${k}`, bad);
      }
    }
  });
  return issues;
}

/** The config, typed, or a feed.config_invalid error listing every problem with its pointer. */
export function validateFeedConfig(input: unknown): FeedConfig {
  const issues = checkFeedConfig(input);
  if (issues.length > 0) {
    const list = issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ');
    throw new FeedError('feed.config_invalid', `invalid feed configuration: ${list}`, { details: { issues } });
  }
  return (Array.isArray(input) ? { sources: input } : input) as FeedConfig;
}
