import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChangesCsv, parseIndexTxt, parseProviderMetadata, parseRolieFeed } from './csaf-discovery.js';
import { parseContentRange } from './download.js';
import { FeedError } from './errors.js';
import { parseDigestSidecar, sidecarAlgorithm } from './integrity.js';
import { backoffDelay, parseRetryAfter } from './retry.js';

const DIR = 'https://psirt.acme.example/csaf/';
const NOW = new Date('2024-01-01T00:00:00Z');

describe('Retry-After and backoff', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Mon, 01 Jan 2024 00:00:30 GMT', 30_000],
    ['Sun, 31 Dec 2023 00:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
  ])('parses Retry-After %j as %j ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('doubles the delay per retry, caps it, and keeps jitter within [half, full]', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
      const d = backoffDelay(n, policy, () => r);
      return d >= 500 && d <= 8000;
    }));
  });
});

describe('Content-Range', () => {
  it.each([
    ['bytes 100-199/200', { start: 100, end: 199, total: 200 }],
    ['bytes 0-9/*', { start: 0, end: 9 }],
    ['bytes 10-5/20', undefined],
    ['bytes 0-20/20', undefined],
    ['items 0-1/2', undefined],
    [null, undefined],
  ])('parses %j', (value, expected) => {
    expect(parseContentRange(value)).toEqual(expected);
  });
});

describe('hash sidecars', () => {
  const hex = 'ab'.repeat(32);
  it('reads sha256sum output with and without a file name', () => {
    expect(parseDigestSidecar(`${hex}  icsma-24-001-01.json\n`, 'sha256', 'x.sha256')).toBe(hex);
    expect(parseDigestSidecar(`\ufeff${hex.toUpperCase()}`, 'sha256', 'x.sha256')).toBe(hex);
    expect(sidecarAlgorithm('https://a/b.json.sha512?x=1')).toBe('sha512');
    expect(sidecarAlgorithm('b.json')).toBeUndefined();
  });

  it('rejects a sidecar whose digest has the wrong length, naming the file and line', () => {
    expect(() => parseDigestSidecar(`\n${hex}`, 'sha512', 'doc.json.sha512')).toThrow(/128-digit hex digest.*doc\.json\.sha512 line 2/);
    expect(() => parseDigestSidecar('', 'sha256', 'doc.json.sha256')).toThrow(/sidecar is empty/);
  });
});

describe('CSAF provider metadata and ROLIE feeds', () => {
  const meta = {
    canonical_url: `${DIR}provider-metadata.json`,
    metadata_version: '2.0',
    role: 'csaf_trusted_provider',
    publisher: { name: 'Acme Medical' },
    distributions: [{ rolie: { feeds: [{ summary: 'WHITE advisories', tlp_label: 'WHITE', url: `${DIR}feed-tlp-white.json` }] } }, { directory_url: 'https://psirt.acme.example/csaf/white' }],
  };

  it('lists ROLIE feeds with their TLP labels and directory URLs with a trailing slash', () => {
    const m = parseProviderMetadata(JSON.stringify(meta), `${DIR}provider-metadata.json`);
    expect(m.publisher).toBe('Acme Medical');
    expect(m.rolieFeeds).toEqual([{ url: `${DIR}feed-tlp-white.json`, tlpLabel: 'WHITE', summary: 'WHITE advisories' }]);
    expect(m.directoryUrls).toEqual([`${DIR}white/`]);
  });

  it('rejects metadata without distributions, naming the pointer', () => {
    expect(() => parseProviderMetadata(JSON.stringify({ ...meta, distributions: [] }), 'pm.json')).toThrow(/no distributions.*pm\.json at \/distributions/);
    expect(() => parseProviderMetadata(JSON.stringify({ ...meta, distributions: [{ directory_url: 'ftp://x/' }] }), 'pm.json')).toThrow(/at \/distributions\/0\/directory_url/);
  });

  it('reads ROLIE entries: self link, hash links, updated time', () => {
    const feed = { feed: { id: 'f', entry: [{ id: 'ACME-1', updated: '2024-01-02T00:00:00Z', link: [{ rel: 'self', href: `${DIR}2024/acme-1.json` }, { rel: 'hash', href: `${DIR}2024/acme-1.json.sha512` }, { rel: 'signature', href: `${DIR}2024/acme-1.json.asc` }] }] } };
    const [e] = parseRolieFeed(JSON.stringify(feed), `${DIR}feed.json`);
    expect(e).toMatchObject({ id: 'ACME-1', documentUrl: `${DIR}2024/acme-1.json`, hashUrls: [`${DIR}2024/acme-1.json.sha512`], updated: '2024-01-02T00:00:00.000Z' });
  });

  it('refuses ROLIE entries that point to another origin', () => {
    const feed = { feed: { entry: [{ link: [{ rel: 'self', href: 'https://evil.example/x.json' }] }] } };
    expect(() => parseRolieFeed(JSON.stringify(feed), `${DIR}feed.json`)).toThrow(/not on the feed's origin.*at \/feed\/entry\/0\/link/);
  });
});

describe('index.txt and changes.csv', () => {
  it('resolves listed paths under the directory and reports lines that escape it', () => {
    const r = parseIndexTxt('2024/a.json\n\n../secret.json\nhttps://evil.example/x.json\n2024/b.json\n', DIR, 'index.txt');
    expect(r.documents.map((d) => d.url)).toEqual([`${DIR}2024/a.json`, `${DIR}2024/b.json`]);
    expect(r.issues.map((i) => i.line)).toEqual([3, 4]);
  });

  it('reads quoted and unquoted changes.csv lines and reports bad timestamps with their line', () => {
    const r = parseChangesCsv('"2024/b.json","2024-02-01T10:00:00Z"\n2024/a.json,2024-01-01T00:00:00+01:00\n"2024/c.json","yesterday"\n', DIR, 'changes.csv');
    expect(r.documents).toEqual([
      { url: `${DIR}2024/b.json`, time: '2024-02-01T10:00:00.000Z', line: 1 },
      { url: `${DIR}2024/a.json`, time: '2023-12-31T23:00:00.000Z', line: 2 },
    ]);
    expect(r.issues).toEqual([{ line: 3, message: '"yesterday" is not an ISO 8601 timestamp' }]);
  });
});

describe('feed metadata parsers on untrusted input', () => {
  const seeds = [
    JSON.stringify({ metadata_version: '2.0', distributions: [{ rolie: { feeds: [{ tlp_label: 'WHITE', url: `${DIR}f.json` }] } }, { directory_url: DIR }] }),
    JSON.stringify({ feed: { entry: [{ id: 'x', updated: '2024-01-01T00:00:00Z', link: [{ rel: 'self', href: `${DIR}a.json` }, { rel: 'hash', href: `${DIR}a.json.sha256` }] }] } }),
    '"2024/a.json","2024-01-01T00:00:00Z"\n2024/b.json,2024-01-02T00:00:00Z\n',
  ];
  const input = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.string({ maxLength: 8 })).map(([s, at, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1))),
  );
  const onlyFeedErrors = (fn: () => unknown) => {
    try {
      fn();
      return true;
    } catch (e) {
      return e instanceof FeedError;
    }
  };

  it('throw nothing but FeedError on random and mutated input', () => {
    fc.assert(
      fc.property(input, (text) =>
        [
          () => parseProviderMetadata(text, `${DIR}pm.json`),
          () => parseRolieFeed(text, `${DIR}feed.json`),
          () => parseIndexTxt(text, DIR, 'index.txt'),
          () => parseChangesCsv(text, DIR, 'changes.csv'),
          () => parseDigestSidecar(text, 'sha256', 'x.sha256'),
          () => parseContentRange(text),
          () => parseRetryAfter(text, NOW),
        ].every(onlyFeedErrors),
      ),
      { numRuns: 1500 },
    );
  });
});
