import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedError } from './errors.js';
import { HttpFetcher, type HttpFetcherOptions } from './http.js';
import { startFeedServer, staticResource, type FeedTestServer } from './testing/server.js';

let server: FeedTestServer;
let workDir: string;
let sleeps: number[];

beforeEach(async () => {
  server = await startFeedServer();
  workDir = await mkdtemp(join(tmpdir(), 'cg-http-'));
  sleeps = [];
});
afterEach(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

const fetcher = (o: HttpFetcherOptions = {}) =>
  new HttpFetcher({ workDir, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100, timeoutMs: 2000, idleTimeoutMs: 2000, ...o });
const body = Buffer.from('x'.repeat(50_000) + 'END');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('HttpFetcher conditional requests', () => {
  it('sends the User-Agent and returns the body with its ETag and Last-Modified', async () => {
    server.route('/kev.json', staticResource('{"a":1}', { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' }));
    const r = await fetcher({ userAgent: 'CareGuard-test/1' }).fetchText({ url: `${server.url}/kev.json` });
    expect(r.notModified).toBe(false);
    if (r.notModified) return;
    expect(r.text).toBe('{"a":1}');
    expect(r.etag).toBe('"v1"');
    expect(r.lastModified).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(server.requests[0]?.headers['user-agent']).toBe('CareGuard-test/1');
  });

  it('reports 304 as notModified when If-None-Match matches the stored ETag', async () => {
    server.route('/kev.json', staticResource('{}', { etag: '"v1"' }));
    const f = fetcher();
    const r = await f.fetchBuffer({ url: `${server.url}/kev.json`, validators: { etag: '"v1"' } });
    expect(r.notModified).toBe(true);
    expect(f.stats).toMatchObject({ requests: 1, notModified: 1 });
    expect(server.requests[0]?.headers['if-none-match']).toBe('"v1"');
  });

  it('reports 304 via If-Modified-Since when only Last-Modified is stored', async () => {
    const lm = 'Tue, 02 Jan 2024 00:00:00 GMT';
    server.route('/f.csv', staticResource('a', { lastModified: lm }));
    const r = await fetcher().fetchFile({ url: `${server.url}/f.csv`, validators: { lastModified: lm } });
    expect(r.notModified).toBe(true);
    expect(server.requests[0]?.headers['if-modified-since']).toBe(lm);
  });
});

describe('HttpFetcher resumable downloads', () => {
  it('resumes with Range and If-Range after the server drops the connection mid-body', async () => {
    server.route('/all.zip', staticResource(body, { etag: '"z1"', dropAfter: 20_000 }));
    const r = await fetcher().fetchFile({ url: `${server.url}/all.zip` });
    if (r.notModified) throw new Error('expected a body');
    expect(await readFile(r.path)).toEqual(body);
    expect(r.sha256).toBe(sha(body));
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]?.headers;
    expect(second?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(String(second?.range))?.[0])).toBeGreaterThanOrEqual(20_000);
    expect(second?.['if-range']).toBe('"z1"');
  });

  it('starts over when the resource changed between attempts (If-Range mismatch answers 200)', async () => {
    const res = staticResource(body, { etag: '"z1"', dropAfter: 10_000 });
    server.route('/all.zip', (req, out) => {
      if (server.requests.length === 2) res.set(Buffer.from('new content'), '"z2"');
      return res(req, out);
    });
    const r = await fetcher().fetchFile({ url: `${server.url}/all.zip` });
    if (r.notModified) throw new Error('expected a body');
    expect((await readFile(r.path)).toString()).toBe('new content');
    expect(r.etag).toBe('"z2"');
  });

  it('keeps the .part across fetchers and resumes it on the next sync', async () => {
    const resource = staticResource(body, { etag: '"g1"', dropAfter: 30_000 });
    // The connection drops mid-body, then the server fails outright: the first sync gives up.
    server.route('/big.gz', (req, res) => (server.requests.length === 2 ? void res.writeHead(500).end() : resource(req, res)));
    await expect(fetcher({ maxAttempts: 1 }).fetchFile({ url: `${server.url}/big.gz` })).rejects.toMatchObject({ code: 'feed.http_status', httpStatus: 500 });
    expect((await readdir(workDir)).some((f) => f.endsWith('.part'))).toBe(true);
    const r = await fetcher().fetchFile({ url: `${server.url}/big.gz` });
    if (r.notModified) throw new Error('expected a body');
    expect(await readFile(r.path)).toEqual(body);
    expect(server.requests[2]?.headers.range).toMatch(/^bytes=\d+-$/);
    expect(server.requests[2]?.headers['if-range']).toBe('"g1"');
  });
});

describe('HttpFetcher retries', () => {
  it('waits as long as Retry-After says on 503, then succeeds', async () => {
    server.route('/feed', staticResource('ok', { failFirst: [{ status: 503, headers: { 'retry-after': '2' } }] }));
    const r = await fetcher().fetchText({ url: `${server.url}/feed` });
    expect(r.notModified === false && r.text).toBe('ok');
    expect(sleeps).toEqual([2000]);
  });

  it('honours an HTTP-date Retry-After on 429', async () => {
    const now = new Date('2024-01-01T00:00:00Z');
    server.route('/feed', staticResource('ok', { failFirst: [{ status: 429, headers: { 'retry-after': 'Mon, 01 Jan 2024 00:00:05 GMT' } }] }));
    await fetcher({ clock: { now: () => now } }).fetchText({ url: `${server.url}/feed` });
    expect(sleeps).toEqual([5000]);
  });

  it('backs off exponentially with jitter between retries', async () => {
    server.route('/feed', staticResource('ok', { failFirst: [{ status: 502 }, { status: 502 }, { status: 502 }] }));
    await fetcher({ random: () => 1 }).fetchText({ url: `${server.url}/feed` });
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('gives up after maxAttempts with an error naming the URL, status and attempts', async () => {
    server.route('/feed', staticResource('ok', { failFirst: Array.from({ length: 5 }, () => ({ status: 503 })) }));
    const err = await fetcher({ maxAttempts: 3 })
      .fetchText({ url: `${server.url}/feed` })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect(err).toMatchObject({ code: 'feed.http_status', httpStatus: 503, attempts: 3 });
    expect((err as Error).message).toContain(`${server.url}/feed`);
    expect((err as Error).message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
  });

  it('retries network errors and then fails with feed.network', async () => {
    server.route('/feed', (_req, res) => void res.socket?.destroy());
    await expect(fetcher({ maxAttempts: 2 }).fetchText({ url: `${server.url}/feed` })).rejects.toMatchObject({ code: 'feed.network', attempts: 2 });
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry a 404', async () => {
    await expect(fetcher().fetchText({ url: `${server.url}/missing` })).rejects.toMatchObject({ code: 'feed.http_status', httpStatus: 404 });
    expect(server.requests).toHaveLength(1);
  });

  it('fails at once with retryAfter when the server asks to wait longer than allowed', async () => {
    server.route('/feed', staticResource('ok', { failFirst: [{ status: 429, headers: { 'retry-after': '7200' } }] }));
    await expect(fetcher({ maxRetryAfterMs: 60_000 }).fetchText({ url: `${server.url}/feed` })).rejects.toMatchObject({ code: 'feed.http_status', retryAfter: 7200 });
    expect(sleeps).toEqual([]);
  });

  it('times out a request whose headers never come', async () => {
    server.route('/slow', () => undefined);
    await expect(fetcher({ timeoutMs: 100, maxAttempts: 2 }).fetchText({ url: `${server.url}/slow` })).rejects.toMatchObject({ code: 'feed.timeout' });
    expect(server.requests).toHaveLength(2);
  });

  it('stops when the sync is aborted', async () => {
    const ac = new AbortController();
    server.route('/slow', () => {
      ac.abort();
    });
    await expect(fetcher({ signal: ac.signal }).fetchText({ url: `${server.url}/slow` })).rejects.toMatchObject({ code: 'feed.aborted' });
  });
});

describe('HttpFetcher size limits', () => {
  it('rejects a body whose Content-Length exceeds maxBytes without retrying', async () => {
    server.route('/big', staticResource(body));
    await expect(fetcher({ maxBytes: 1000 }).fetchBuffer({ url: `${server.url}/big` })).rejects.toMatchObject({ code: 'feed.too_large' });
    expect(server.requests).toHaveLength(1);
  });

  it('stops reading a chunked body once it passes maxBytes, and leaves no .part behind', async () => {
    server.route('/big', staticResource(body, { chunked: true }));
    await expect(fetcher().fetchFile({ url: `${server.url}/big`, maxBytes: 1000 })).rejects.toMatchObject({ code: 'feed.too_large' });
    expect((await readdir(workDir)).filter((f) => f.includes('.part'))).toEqual([]);
  });
});
