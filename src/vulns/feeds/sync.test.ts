import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFeedConfig, validateFeedConfig, type FeedSourceConfig } from './config.js';
import { FeedError } from './errors.js';
import { InMemoryFeedStateStore } from './state.js';
import { syncFeeds } from './sync.js';
import { buildZip, kevCatalog, osvRecord } from './testing/fixtures.js';
import { recordingSink, startFeedServer, staticResource, type FeedTestServer } from './testing/server.js';

let server: FeedTestServer;
let workDir: string;
beforeEach(async () => {
  server = await startFeedServer();
  workDir = await mkdtemp(join(tmpdir(), 'cg-sync-'));
});
afterEach(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

const quick = { sleep: async () => undefined, http: { baseDelayMs: 1, maxAttempts: 2 } };

describe('syncFeeds', () => {
  it('keeps going when one source fails and reports each source separately', async () => {
    server.route('/kev.json', staticResource(kevCatalog(['CVE-2024-0001'])));
    server.route('/down.json', (_req, res) => void res.writeHead(503).end());
    const sink = recordingSink();
    const sources: FeedSourceConfig[] = [
      { name: 'broken', kind: 'csaf', url: `${server.url}/down.json` },
      { name: 'kev', kind: 'kev', url: `${server.url}/kev.json` },
    ];
    const report = await syncFeeds({ sources, workDir }, { state: new InMemoryFeedStateStore(), sink: sink.sink, ...quick });
    expect(report.status).toBe('failed');
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([
      ['broken', 'failed'],
      ['kev', 'ok'],
    ]);
    expect(report.sources[0]?.errors[0]).toMatchObject({ code: 'feed.http_status', httpStatus: 503, location: `${server.url}/down.json` });
    expect(report.sources[0]?.requests).toBe(2);
    expect(sink.ids()).toEqual(['CVE-2024-0001']);
  });

  it('bounds every sink batch by batchSize however large the archive is', async () => {
    const files = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`OSV-${i}.json`, osvRecord(`OSV-2024-${i}`)]));
    server.route('/all.zip', staticResource(buildZip(files)));
    const sink = recordingSink();
    const report = await syncFeeds({ sources: [{ name: 'osv', kind: 'osv', url: `${server.url}/all.zip` }], workDir, batchSize: 1000 }, { state: new InMemoryFeedStateStore(), sink: sink.sink, ...quick });
    expect(sink.batches.map((b) => b.size)).toEqual([1000, 1000, 500]);
    expect(report.sources[0]).toMatchObject({ documents: 2500, advisories: 2500 });
  });

  it('does not advance state when the sink fails, so the next sync fetches the feed again', async () => {
    server.route('/kev.json', staticResource(kevCatalog(['CVE-2024-0001']), { etag: '"k1"' }));
    const state = new InMemoryFeedStateStore();
    const src: FeedSourceConfig[] = [{ name: 'kev', kind: 'kev', url: `${server.url}/kev.json` }];
    const failing = async () => {
      throw new Error('database is locked');
    };
    const report = await syncFeeds({ sources: src, workDir }, { state, sink: failing, ...quick });
    expect(report.sources[0]?.status).toBe('failed');
    expect(report.sources[0]?.errors[0]).toMatchObject({ code: 'feed.sink_failed' });
    expect(report.sources[0]?.errors[0]?.message).toContain('database is locked');
    expect(await state.getFeedState(`${server.url}/kev.json`)).toBeUndefined();
    const sink = recordingSink();
    await syncFeeds({ sources: src, workDir }, { state, sink: sink.sink, ...quick });
    expect(sink.ids()).toEqual(['CVE-2024-0001']);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
  });

  it('marks sources aborted when the signal fires and runs nothing further', async () => {
    const ac = new AbortController();
    server.route('/kev.json', (_req, res) => {
      ac.abort();
      res.writeHead(200).end(kevCatalog(['CVE-2024-0001']));
    });
    const sources: FeedSourceConfig[] = [
      { name: 'kev', kind: 'kev', url: `${server.url}/kev.json` },
      { name: 'kev2', kind: 'kev', url: `${server.url}/kev.json?again` },
    ];
    const report = await syncFeeds({ sources, workDir }, { state: new InMemoryFeedStateStore(), sink: recordingSink().sink, signal: ac.signal, ...quick });
    expect(report.sources.map((s) => s.status)).toEqual(['aborted', 'aborted']);
    expect(server.requests).toHaveLength(1);
  });

  it('runs only the named sources and rejects unknown names', async () => {
    server.route('/kev.json', staticResource(kevCatalog(['CVE-2024-0001'])));
    const sources: FeedSourceConfig[] = [
      { name: 'kev', kind: 'kev', url: `${server.url}/kev.json` },
      { name: 'other', kind: 'kev', url: `${server.url}/nothing.json` },
      { name: 'off', kind: 'kev', url: `${server.url}/nothing.json`, enabled: false },
    ];
    const report = await syncFeeds({ sources, workDir }, { state: new InMemoryFeedStateStore(), sink: recordingSink().sink, only: ['kev'], ...quick });
    expect(report.sources.map((s) => s.source)).toEqual(['kev']);
    await expect(syncFeeds({ sources, workDir }, { state: new InMemoryFeedStateStore(), sink: recordingSink().sink, only: ['nope'] })).rejects.toThrow(/no configured source named "nope"/);
  });

  it('reports progress per request, document, batch and source', async () => {
    server.route('/kev.json', staticResource(kevCatalog(['CVE-2024-0001'])));
    const phases: string[] = [];
    await syncFeeds({ sources: [{ name: 'kev', kind: 'kev', url: `${server.url}/kev.json` }], workDir }, { state: new InMemoryFeedStateStore(), sink: recordingSink().sink, onProgress: (p) => phases.push(p.phase), ...quick });
    expect(phases).toEqual(['request', 'document', 'batch', 'done']);
  });
});

describe('feed configuration', () => {
  it('accepts a valid configuration, as an object or as a bare list', () => {
    const sources: FeedSourceConfig[] = [
      { name: 'kev', kind: 'kev' },
      { name: 'epss', kind: 'epss' },
      { name: 'osv-pypi', kind: 'osv', options: { ecosystem: 'PyPI' } },
      { name: 'nvd', kind: 'nvd', options: { apiKey: 'k', windowDays: 30 } },
      { name: 'acme', kind: 'csaf-provider', url: 'https://psirt.acme.example/.well-known/csaf/provider-metadata.json', options: { tlpLabels: ['WHITE'] } },
      { name: 'local', kind: 'path', path: '/srv/advisories' },
    ];
    expect(validateFeedConfig({ sources }).sources).toHaveLength(6);
    expect(validateFeedConfig(sources).sources).toHaveLength(6);
  });

  it('lists every problem with the JSON pointer of the field', () => {
    const issues = checkFeedConfig({
      sources: [
        { name: 'a', kind: 'rss' },
        { name: 'a', kind: 'nvd', path: '/x', options: { windowDays: 365, apikey: 'typo' } },
        { name: 'p', kind: 'csaf-provider' },
        { name: 'u', kind: 'csaf', url: 'ftp://example.com/x.json' },
        { name: 'o', kind: 'osv' },
      ],
      batchSize: 0,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { pointer: '/batchSize', message: 'must be an integer from 1 to 100000' },
        { pointer: '/sources/0/kind', message: expect.stringContaining('must be one of osv, csaf-provider') },
        { pointer: '/sources/1/name', message: '"a" is already used by /sources/0' },
        { pointer: '/sources/1/path', message: 'kind "nvd" reads from HTTP only; use kind "path" for local files' },
        { pointer: '/sources/1/options/windowDays', message: 'must be an integer from 1 to 120' },
        { pointer: '/sources/1/options/apikey', message: expect.stringContaining('is not an option of kind "nvd"') },
        { pointer: '/sources/2/url', message: 'is required for kind "csaf-provider"' },
        { pointer: '/sources/3/url', message: 'must be an http(s) URL, not ftp:' },
        { pointer: '/sources/4', message: 'kind "osv" needs a "url", a "path" or options.ecosystem' },
      ]),
    );
    expect(issues).toHaveLength(9);
  });

  it('throws feed.config_invalid naming the fields', () => {
    const err = (() => {
      try {
        validateFeedConfig({ sources: [{ name: '', kind: 'kev' }] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FeedError);
    expect(err).toMatchObject({ code: 'feed.config_invalid', message: 'invalid feed configuration: /sources/0/name: must be a non-empty string' });
    expect(() => validateFeedConfig('nope')).toThrow(/must be an object with a "sources" list/);
  });
});
