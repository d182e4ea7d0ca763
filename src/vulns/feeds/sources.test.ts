import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { osvEcosystemUrl, type FeedSourceConfig } from './config.js';
import { loadAdvisoriesFromPath } from './load.js';
import { InMemoryFeedStateStore } from './state.js';
import { syncFeeds, type SyncFeedsDeps } from './sync.js';
import { buildZip, epssCsv, gzip, kevCatalog, nvdCve, nvdPage, osvRecord } from './testing/fixtures.js';
import { recordingSink, startFeedServer, staticResource, type FeedTestServer } from './testing/server.js';

let server: FeedTestServer;
let workDir: string;
beforeEach(async () => {
  server = await startFeedServer();
  workDir = await mkdtemp(join(tmpdir(), 'cg-src-'));
});
afterEach(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

const run = (sources: FeedSourceConfig[], state = new InMemoryFeedStateStore(), extra: Partial<SyncFeedsDeps> & { batchSize?: number } = {}) => {
  const sink = recordingSink();
  return syncFeeds({ sources, workDir, batchSize: extra.batchSize }, { state, sink: sink.sink, sleep: async () => undefined, http: { baseDelayMs: 1 }, ...extra }).then((report) => ({ report, sink, state }));
};

describe('OSV ecosystem all.zip', () => {
  const zip = buildZip({ 'PYSEC-2024-1.json': osvRecord('PYSEC-2024-1'), 'PYSEC-2024-2.json': osvRecord('PYSEC-2024-2', 'flask'), 'BROKEN-1.json': '{"id":"BROKEN-1","modified":"not a date"}', 'README.md': 'ignored' });

  it('streams every record of the archive, reports the broken entry by name, and sends 304 next time', async () => {
    server.route('/PyPI/all.zip', staticResource(zip, { etag: '"osv1"' }));
    const src: FeedSourceConfig = { name: 'osv-pypi', kind: 'osv', url: `${server.url}/PyPI/all.zip` };
    const first = await run([src]);
    expect(first.sink.ids().sort()).toEqual(['PYSEC-2024-1', 'PYSEC-2024-2']);
    expect(first.report.sources[0]).toMatchObject({ status: 'partial', documents: 2, advisories: 2, adapter: 'osv-feed@1.0.0' });
    expect(first.report.sources[0]?.errors).toEqual([expect.objectContaining({ location: `${server.url}/PyPI/all.zip!/BROKEN-1.json`, code: 'advisory.invalid' })]);
    expect(first.sink.batches.every((b) => b.location === `${server.url}/PyPI/all.zip` && b.source === 'osv-pypi')).toBe(true);

    const second = await run([src], first.state);
    expect(second.report.sources[0]).toMatchObject({ notModified: 1, documents: 0 });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"osv1"');
  });

  it('reads the same archive from a local .zip file', async () => {
    const path = join(workDir, 'all.zip');
    await writeFile(path, zip);
    const r = await loadAdvisoriesFromPath(path);
    expect(r.advisories.map((a) => a.id).sort()).toEqual(['PYSEC-2024-1', 'PYSEC-2024-2']);
    expect(r.errors[0]?.location).toBe(`${path}!/BROKEN-1.json`);
  });

  it('builds the official per-ecosystem URL', () => {
    expect(osvEcosystemUrl('PyPI')).toBe('https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip');
    expect(osvEcosystemUrl('Debian:12')).toBe('https://osv-vulnerabilities.storage.googleapis.com/Debian:12/all.zip');
  });

  it('fails the source with a clear error when the archive is not a zip', async () => {
    server.route('/PyPI/all.zip', staticResource('PK\u0003\u0004 truncated'));
    const { report } = await run([{ name: 'osv', kind: 'osv', url: `${server.url}/PyPI/all.zip` }]);
    expect(report.sources[0]?.errors[0]).toMatchObject({ code: 'feed.invalid', location: `${server.url}/PyPI/all.zip` });
    expect(report.sources[0]?.errors[0]?.message).toMatch(/not a readable zip archive/);
  });
});

describe('EPSS gzipped CSV', () => {
  it('streams the scores in batches no larger than batchSize and reports a bad row by line', async () => {
    server.route('/epss_scores-current.csv.gz', staticResource(gzip(epssCsv(25, [7])), { etag: '"e1"', contentType: 'application/gzip' }));
    const { report, sink } = await run([{ name: 'epss', kind: 'epss', url: `${server.url}/epss_scores-current.csv.gz` }], undefined, { batchSize: 10 });
    expect(sink.batches.map((b) => b.size)).toEqual([10, 10, 4]);
    expect(report.sources[0]).toMatchObject({ status: 'partial', documents: 1, advisories: 24 });
    expect(report.sources[0]?.errors).toEqual([expect.objectContaining({ line: 10, code: 'advisory.invalid' })]);
  });

  it('reads a local .csv.gz the same way', async () => {
    const path = join(workDir, 'epss_scores-2024-01-01.csv.gz');
    await writeFile(path, gzip(epssCsv(3)));
    const r = await loadAdvisoriesFromPath(path);
    expect(r.advisories.map((a) => a.epss?.date)).toEqual(['2024-01-01', '2024-01-01', '2024-01-01']);
    expect(r.parsers).toEqual({ 'epss@1.0.0': 1 });
  });
});

describe('CISA KEV', () => {
  it('treats a 200 with the same bytes as unchanged and does not call the sink again', async () => {
    server.route('/kev.json', staticResource(kevCatalog(['CVE-2024-0001', 'CVE-2024-0002'])));
    const src: FeedSourceConfig = { name: 'kev', kind: 'kev', url: `${server.url}/kev.json` };
    const first = await run([src]);
    expect(first.sink.ids()).toEqual(['CVE-2024-0001', 'CVE-2024-0002']);
    const second = await run([src], first.state);
    expect(second.sink.batches).toEqual([]);
    expect(second.report.sources[0]).toMatchObject({ notModified: 1, documents: 0 });
  });

  it('does not remember validators of a catalog that failed to parse, so the next sync retries it', async () => {
    server.route('/kev.json', staticResource('{"catalogVersion":"x","vulnerabilities":[{"cveID":1}]}', { etag: '"k1"' }));
    const src: FeedSourceConfig = { name: 'kev', kind: 'kev', url: `${server.url}/kev.json` };
    const first = await run([src]);
    expect(first.report.sources[0]?.status).toBe('partial');
    expect(await first.state.getFeedState(`${server.url}/kev.json`)).toBeUndefined();
  });
});

describe('NVD API 2.0', () => {
  it('pages with startIndex/resultsPerPage, sends the apiKey header, and pauses between pages', async () => {
    const all = Array.from({ length: 5 }, (_, i) => nvdCve(`CVE-2024-000${i + 1}`));
    server.route('/rest/json/cves/2.0', (req, res) => {
      const q = new URL(req.url ?? '', server.url).searchParams;
      const start = Number(q.get('startIndex'));
      const per = Number(q.get('resultsPerPage'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(nvdPage(all.slice(start, start + per), start, all.length, per));
    });
    const sleeps: number[] = [];
    const clock = fixedClock('2024-06-01T00:00:00Z');
    const src: FeedSourceConfig = { name: 'nvd', kind: 'nvd', url: `${server.url}/rest/json/cves/2.0`, options: { apiKey: 'secret-key', resultsPerPage: 2, pageDelayMs: 1234 } };
    const { report, sink, state } = await run([src], undefined, { sleep: async (ms) => void sleeps.push(ms), clock });
    expect(sink.ids()).toEqual(all.map((c) => c.cve.id));
    expect(server.requests.map((r) => new URL(r.path, server.url).searchParams.get('startIndex'))).toEqual(['0', '2', '4']);
    expect(server.requests.every((r) => r.headers.apikey === 'secret-key')).toBe(true);
    expect(sleeps).toEqual([1234, 1234]);
    expect(report.sources[0]).toMatchObject({ documents: 3, advisories: 5, status: 'ok' });
    expect((await state.getFeedState(`${server.url}/rest/json/cves/2.0`))?.cursor).toBe('2024-06-01T00:00:00.000Z');
  });

  it('syncs incrementally in lastModified windows of at most 120 days from the cursor', async () => {
    server.route('/rest/json/cves/2.0', (_req, res) => void res.writeHead(200).end(nvdPage([], 0, 0, 2000)));
    const state = new InMemoryFeedStateStore();
    const base = `${server.url}/rest/json/cves/2.0`;
    await state.putFeedState({ url: base, cursor: '2024-01-01T00:00:00.000Z', fetchedAt: '2024-01-01T00:00:00.000Z' });
    await run([{ name: 'nvd', kind: 'nvd', url: base, options: { pageDelayMs: 0 } }], state, { clock: fixedClock('2024-10-27T00:00:00Z') });
    const windows = server.requests.map((r) => new URL(r.path, server.url).searchParams).map((q) => [q.get('lastModStartDate'), q.get('lastModEndDate')]);
    expect(windows).toEqual([
      ['2024-01-01T00:00:00.000+00:00', '2024-04-30T00:00:00.000+00:00'],
      ['2024-04-30T00:00:00.000+00:00', '2024-08-28T00:00:00.000+00:00'],
      ['2024-08-28T00:00:00.000+00:00', '2024-10-27T00:00:00.000+00:00'],
    ]);
    expect((await state.getFeedState(base))?.cursor).toBe('2024-10-27T00:00:00.000Z');
  });

  it('keeps the rest of a page when one CVE in it is malformed, naming its pointer', async () => {
    const items = [nvdCve('CVE-2024-0001'), nvdCve('NOT-A-CVE'), nvdCve('CVE-2024-0003')];
    server.route('/rest/json/cves/2.0', (_req, res) => void res.writeHead(200).end(nvdPage(items, 0, 3, 2000)));
    const { report, sink } = await run([{ name: 'nvd', kind: 'nvd', url: `${server.url}/rest/json/cves/2.0`, options: { pageDelayMs: 0 } }]);
    expect(sink.ids()).toEqual(['CVE-2024-0001', 'CVE-2024-0003']);
    expect(report.sources[0]?.errors).toEqual([expect.objectContaining({ pointer: '/vulnerabilities/1/cve/id', code: 'feed.invalid' })]);
  });
});
