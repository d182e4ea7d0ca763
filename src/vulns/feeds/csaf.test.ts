import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedConfig, FeedSourceConfig } from './config.js';
import { InMemoryFeedStateStore } from './state.js';
import { syncFeeds } from './sync.js';
import { csafDoc } from './testing/fixtures.js';
import { recordingSink, startFeedServer, staticResource, type FeedTestServer } from './testing/server.js';

let server: FeedTestServer;
let workDir: string;
beforeEach(async () => {
  server = await startFeedServer();
  workDir = await mkdtemp(join(tmpdir(), 'cg-csaf-'));
});
afterEach(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

const digest = (alg: 'sha256' | 'sha512', text: string) => createHash(alg).update(text).digest('hex');
const run = (sources: FeedSourceConfig[], state: InMemoryFeedStateStore, sink = recordingSink()) =>
  syncFeeds({ sources, workDir } satisfies FeedConfig, { state, sink: sink.sink, sleep: async () => undefined, http: { baseDelayMs: 1, maxAttempts: 2 } }).then((report) => ({ report, sink }));

const DOCS = { a: csafDoc('ACME-2024-001', 'CVE-2024-0001'), b: csafDoc('ACME-2024-002', 'CVE-2024-0002'), c: csafDoc('ACME-2024-003', 'CVE-2024-0003') };

function providerMetadata(distribution: Record<string, unknown>) {
  return JSON.stringify({ canonical_url: `${server.url}/.well-known/csaf/provider-metadata.json`, metadata_version: '2.0', role: 'csaf_trusted_provider', publisher: { name: 'Acme' }, distributions: [distribution] });
}

describe('CSAF provider with ROLIE feeds', () => {
  function rolieFeed(entries: Array<{ name: string; updated: string; hash: 'sha256' | 'sha512' }>) {
    return JSON.stringify({
      feed: {
        id: 'acme-white',
        entry: entries.map((e) => ({
          id: e.name,
          updated: e.updated,
          link: [
            { rel: 'self', href: `${server.url}/csaf/2024/${e.name}.json` },
            { rel: 'hash', href: `${server.url}/csaf/2024/${e.name}.json.${e.hash}` },
          ],
        })),
      },
    });
  }

  function publish(name: keyof typeof DOCS, text = DOCS[name], hash: 'sha256' | 'sha512' = 'sha512', sidecarText?: string) {
    server.route(`/csaf/2024/${name}.json`, staticResource(text, { etag: `"${digest('sha256', text).slice(0, 8)}"` }));
    server.route(`/csaf/2024/${name}.json.${hash}`, staticResource(sidecarText ?? `${digest(hash, text)}  ${name}.json\n`));
  }

  const source = (): FeedSourceConfig => ({ name: 'acme', kind: 'csaf-provider', url: `${server.url}/.well-known/csaf/provider-metadata.json` });

  it('fetches every entry, verifies hash links, and later fetches only entries updated since the cursor', async () => {
    server.route('/.well-known/csaf/provider-metadata.json', staticResource(providerMetadata({ rolie: { feeds: [{ tlp_label: 'WHITE', url: `${server.url}/csaf/feed-white.json` }] } })));
    const feed = staticResource(rolieFeed([{ name: 'a', updated: '2024-01-01T00:00:00Z', hash: 'sha512' }, { name: 'b', updated: '2024-01-02T00:00:00Z', hash: 'sha256' }]), { etag: '"f1"' });
    server.route('/csaf/feed-white.json', feed);
    publish('a');
    publish('b', DOCS.b, 'sha256');
    const state = new InMemoryFeedStateStore();

    const first = await run([source()], state);
    expect(first.report.sources[0]).toMatchObject({ status: 'ok', documents: 2, advisories: 2, unverified: 0, errors: [] });
    expect(first.sink.ids().sort()).toEqual(['CVE-2024-0001', 'CVE-2024-0002']);
    expect((await state.getFeedState(`${server.url}/csaf/feed-white.json`))?.cursor).toBe('2024-01-02T00:00:00.000Z');

    const second = await run([source()], state);
    expect(second.report.sources[0]).toMatchObject({ documents: 0, notModified: 1 });
    expect(server.hits('/csaf/2024/a.json')).toHaveLength(1);

    const changedB = csafDoc('ACME-2024-002', 'CVE-2024-0002', 'Advisory ACME-2024-002 (revised)');
    publish('b', changedB, 'sha256');
    feed.set(rolieFeed([{ name: 'a', updated: '2024-01-01T00:00:00Z', hash: 'sha512' }, { name: 'b', updated: '2024-03-01T00:00:00Z', hash: 'sha256' }]), '"f2"');
    const third = await run([source()], state);
    expect(third.sink.ids()).toEqual(['CVE-2024-0002']);
    expect(server.hits('/csaf/2024/a.json')).toHaveLength(1);
    expect(server.hits('/csaf/2024/b.json')).toHaveLength(2);
  });

  it('rejects a document whose sha512 does not match, delivers the others, and retries it next sync', async () => {
    server.route('/.well-known/csaf/provider-metadata.json', staticResource(providerMetadata({ rolie: { feeds: [{ tlp_label: 'WHITE', url: `${server.url}/csaf/feed-white.json` }] } })));
    server.route('/csaf/feed-white.json', staticResource(rolieFeed([{ name: 'a', updated: '2024-01-01T00:00:00Z', hash: 'sha512' }, { name: 'b', updated: '2024-01-02T00:00:00Z', hash: 'sha512' }]), { etag: '"f1"' }));
    publish('a', DOCS.a, 'sha512', `${'0'.repeat(128)}  a.json`);
    publish('b');
    const state = new InMemoryFeedStateStore();
    const { report, sink } = await run([source()], state);
    expect(sink.ids()).toEqual(['CVE-2024-0002']);
    expect(report.sources[0]?.status).toBe('partial');
    expect(report.sources[0]?.errors).toEqual([expect.objectContaining({ code: 'feed.integrity', location: `${server.url}/csaf/2024/a.json` })]);
    expect(report.sources[0]?.errors[0]?.message).toMatch(/sha512 of .*a\.json is [0-9a-f]{128} but .*a\.json\.sha512 says 0{128}; document rejected/);

    publish('a');
    const retry = await run([source()], state);
    expect(retry.sink.ids()).toContain('CVE-2024-0001');
    expect(retry.report.sources[0]?.status).toBe('ok');
  });
});

describe('CSAF provider with a directory distribution', () => {
  const dir = () => `${server.url}/csaf/white/`;
  const changesLine = (name: string, time: string) => `"2024/${name}.json","${time}"`;

  function publishDoc(name: string, text: string) {
    server.route(`/csaf/white/2024/${name}.json`, staticResource(text));
    server.route(`/csaf/white/2024/${name}.json.sha256`, staticResource(`${digest('sha256', text)}  ${name}.json`));
  }

  it('fetches the whole index first, then only documents changes.csv lists as newer than the cursor', async () => {
    server.route('/pm.json', staticResource(providerMetadata({ directory_url: dir() })));
    publishDoc('a', DOCS.a);
    publishDoc('b', DOCS.b);
    publishDoc('c', DOCS.c);
    const index = staticResource('2024/a.json\n2024/b.json\n2024/c.json\n', { etag: '"i1"' });
    const changes = staticResource([changesLine('c', '2024-01-03T00:00:00Z'), changesLine('b', '2024-01-02T00:00:00Z'), changesLine('a', '2024-01-01T00:00:00Z')].join('\n'), { etag: '"c1"' });
    server.route('/csaf/white/index.txt', index);
    server.route('/csaf/white/changes.csv', changes);
    const state = new InMemoryFeedStateStore();
    const src: FeedSourceConfig = { name: 'acme-dir', kind: 'csaf-provider', url: `${server.url}/pm.json` };

    const first = await run([src], state);
    expect(first.report.sources[0]).toMatchObject({ status: 'ok', documents: 3, unverified: 0 });
    expect((await state.getFeedState(`${dir()}changes.csv`))?.cursor).toBe('2024-01-03T00:00:00.000Z');

    const d = csafDoc('ACME-2024-004', 'CVE-2024-0004');
    publishDoc('d', d);
    publishDoc('b', csafDoc('ACME-2024-002', 'CVE-2024-0002', 'revised'));
    changes.set([changesLine('b', '2024-02-02T00:00:00Z'), changesLine('d', '2024-02-01T00:00:00Z'), changesLine('c', '2024-01-03T00:00:00Z'), changesLine('a', '2024-01-01T00:00:00Z')].join('\n'), '"c2"');
    index.set('2024/a.json\n2024/b.json\n2024/c.json\n2024/d.json\n', '"i2"');
    const second = await run([src], state);
    expect(second.sink.ids().sort()).toEqual(['CVE-2024-0002', 'CVE-2024-0004']);
    expect(['a', 'b', 'c', 'd'].map((n) => server.hits(`/csaf/white/2024/${n}.json`).length)).toEqual([1, 2, 1, 1]);

    const third = await run([src], state);
    expect(third.report.sources[0]).toMatchObject({ documents: 0, notModified: 1 });
    expect(server.hits(`/csaf/white/2024/d.json`)).toHaveLength(1);
  });

  it('falls back to index.txt with a conditional request per document when changes.csv is missing', async () => {
    server.route('/pm.json', staticResource(providerMetadata({ directory_url: dir() })));
    server.route('/csaf/white/2024/a.json', staticResource(DOCS.a, { etag: '"a1"' }));
    server.route('/csaf/white/2024/b.json', staticResource(DOCS.b, { etag: '"b1"' }));
    const index = staticResource('2024/a.json\n2024/b.json\n', { etag: '"i1"' });
    server.route('/csaf/white/index.txt', index);
    const state = new InMemoryFeedStateStore();
    const src: FeedSourceConfig = { name: 'acme-dir', kind: 'csaf-provider', url: `${server.url}/pm.json` };
    const first = await run([src], state);
    expect(first.report.sources[0]).toMatchObject({ documents: 2, unverified: 2 });
    index.set('2024/a.json\n2024/b.json\n', '"i2"');
    const second = await run([src], state);
    expect(second.report.sources[0]).toMatchObject({ documents: 0, notModified: 2 });
    expect(server.hits('/csaf/white/2024/a.json').at(-1)?.headers['if-none-match']).toBe('"a1"');
  });
});

describe('single CSAF documents', () => {
  it.each(['sha256', 'sha512'] as const)('rejects a document whose .%s sidecar does not match and hands nothing to the sink', async (alg) => {
    server.route('/icsma-24-001-01.json', staticResource(DOCS.a));
    server.route(`/icsma-24-001-01.json.${alg}`, staticResource(`${digest(alg, 'something else')}  icsma-24-001-01.json`));
    const { report, sink } = await run([{ name: 'one', kind: 'csaf', url: `${server.url}/icsma-24-001-01.json`, options: { verifyIntegrity: 'if-present' } }], new InMemoryFeedStateStore());
    expect(sink.batches).toEqual([]);
    expect(report.sources[0]).toMatchObject({ status: 'failed', advisories: 0 });
    expect(report.sources[0]?.errors[0]).toMatchObject({ code: 'feed.integrity', location: `${server.url}/icsma-24-001-01.json` });
    expect(report.sources[0]?.errors[0]?.message).toContain(`icsma-24-001-01.json.${alg} says`);
  });

  it('rejects a document without any sidecar when verifyIntegrity is required', async () => {
    server.route('/doc.json', staticResource(DOCS.a));
    const { report, sink } = await run([{ name: 'one', kind: 'csaf', url: `${server.url}/doc.json`, options: { verifyIntegrity: 'required' } }], new InMemoryFeedStateStore());
    expect(sink.batches).toEqual([]);
    expect(report.sources[0]?.errors[0]?.message).toMatch(/no \.sha512\/\.sha256 sidecar found/);
  });

  it('accepts a document whose sha256 sidecar matches', async () => {
    server.route('/doc.json', staticResource(DOCS.a));
    server.route('/doc.json.sha256', staticResource(digest('sha256', DOCS.a)));
    const { report, sink } = await run([{ name: 'one', kind: 'csaf', url: `${server.url}/doc.json` }], new InMemoryFeedStateStore());
    expect(sink.ids()).toEqual(['CVE-2024-0001']);
    expect(report.sources[0]).toMatchObject({ status: 'ok', unverified: 0 });
  });
});
