import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAdvisoriesFromPath } from './load.js';
import { InMemoryFeedStateStore } from './state.js';
import { syncFeeds } from './sync.js';
import { buildZip, csafDoc, osvRecord } from './testing/fixtures.js';
import { recordingSink, startFeedServer, staticResource } from './testing/server.js';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
const haveData = existsSync(join(DATA, 'csaf/icsma'));
if (!haveData) {
  if (process.env.CI === 'true') throw new Error(`CI requires the shared real data at ${DATA}`);
  console.warn(`skipping real-data feed conformance: ${DATA} is absent`);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-local-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.runIf(haveData)('real data through loadAdvisoriesFromPath', () => {
  it('parses every CISA ICSMA CSAF advisory in the directory (94 files, 183 advisories)', async () => {
    const r = await loadAdvisoriesFromPath(join(DATA, 'csaf/icsma'));
    expect(r.errors).toEqual([]);
    expect(r.parsers).toEqual({ 'csaf@1.0.0': 94 });
    expect(r.advisories).toHaveLength(183);
    expect(r.advisories.every((a) => a.source === 'csaf' && a.provenance.location.startsWith(join(DATA, 'csaf/icsma')))).toBe(true);
  });

  it('loads the KEV catalog (1,404 entries) and skips its JSON schema in the same directory', async () => {
    const r = await loadAdvisoriesFromPath(join(DATA, 'kev'));
    expect(r.parsers).toEqual({ 'kev-json@1.0.0': 1, 'kev-csv@1.0.0': 1 });
    expect(r.advisories.filter((a) => a.provenance.parser === 'kev-json@1.0.0')).toHaveLength(1404);
    expect(r.advisories.find((a) => a.id === 'CVE-2021-44228')?.kev?.dateAdded).toBe('2021-12-10');
    expect(r.skipped).toEqual([{ location: join(DATA, 'kev/known_exploited_vulnerabilities_schema.json'), reason: 'no advisory source recognises this document' }]);
  });

  it('detects OSV, CVE JSON 5 and NVD records per file under osv/ and rejects the invalid OSV variants by file and pointer', async () => {
    const r = await loadAdvisoriesFromPath(join(DATA, 'osv'));
    expect(r.parsers).toEqual({ 'osv@1.0.0': 27, 'cve5@1.0.0': 18, 'nvd@1.0.0': 23 });
    expect(r.errors.map((e) => [e.location.slice(DATA.length), e.pointer])).toEqual([
      ['/osv/osv-invalid-variants/nointroduced-CVE-2023-41045.json', '/affected/0/ranges/0/events'],
      ['/osv/osv-invalid-variants/nondistinct-CVE-2018-5407.json', '/affected/6/ranges/1/events/1'],
    ]);
    expect(r.skipped.map((s) => s.location)).toEqual([join(DATA, 'osv/schema/osv-schema.json')]);
  });

  it('reads the same ICSMA advisories from a zip of the directory', async () => {
    const names = (await readdir(join(DATA, 'csaf/icsma'))).sort();
    const files = Object.fromEntries(await Promise.all(names.map(async (n) => [`icsma/${n}`, await readFile(join(DATA, 'csaf/icsma', n))] as const)));
    await writeFile(join(dir, 'icsma.zip'), buildZip(files));
    const r = await loadAdvisoriesFromPath(join(dir, 'icsma.zip'));
    expect(r.documents).toBe(94);
    expect(r.advisories).toHaveLength(183);
  });

  it('syncs the ICSMA advisories from a loopback CSAF directory provider built from the real files', async () => {
    const server = await startFeedServer();
    try {
      const names = (await readdir(join(DATA, 'csaf/icsma'))).sort();
      for (const n of names) {
        const text = await readFile(join(DATA, 'csaf/icsma', n));
        server.route(`/csaf/2017/${n}`, staticResource(text));
        server.route(`/csaf/2017/${n}.sha256`, staticResource(createHash('sha256').update(text).digest('hex')));
      }
      server.route('/csaf/index.txt', staticResource(names.map((n) => `2017/${n}`).join('\n')));
      server.route('/csaf/changes.csv', staticResource(names.map((n, i) => `"2017/${n}","2024-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z"`).join('\n')));
      server.route('/pm.json', staticResource(JSON.stringify({ metadata_version: '2.0', role: 'csaf_provider', distributions: [{ directory_url: `${server.url}/csaf/` }] })));
      const sink = recordingSink();
      const report = await syncFeeds({ sources: [{ name: 'cisa-icsma', kind: 'csaf-provider', url: `${server.url}/pm.json` }], workDir: dir }, { state: new InMemoryFeedStateStore(), sink: sink.sink });
      expect(report.sources[0]).toMatchObject({ status: 'ok', documents: 94, advisories: 183, unverified: 0 });
    } finally {
      await server.close();
    }
  });
});

describe('loadAdvisoriesFromPath on generated files', () => {
  it('rejects a local file whose .sha256 sidecar does not match', async () => {
    await writeFile(join(dir, 'acme-1.json'), csafDoc('ACME-1', 'CVE-2024-0001'));
    await writeFile(join(dir, 'acme-1.json.sha256'), `${'f'.repeat(64)}  acme-1.json`);
    const r = await loadAdvisoriesFromPath(dir);
    expect(r.advisories).toEqual([]);
    expect(r.errors[0]).toMatchObject({ code: 'feed.integrity', location: join(dir, 'acme-1.json') });
  });

  it('reports invalid JSON with the byte offset, recurses into subdirectories and ignores hidden and companion files', async () => {
    await mkdir(join(dir, 'sub/deeper'), { recursive: true });
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git/config.json'), '{');
    await writeFile(join(dir, 'README.md'), '# notes');
    await writeFile(join(dir, 'sub/deeper/PYSEC-1.json'), osvRecord('PYSEC-2024-1'));
    await writeFile(join(dir, 'sub/broken.json'), '{"id": "x",, }');
    const r = await loadAdvisoriesFromPath(dir);
    expect(r.advisories.map((a) => a.id)).toEqual(['PYSEC-2024-1']);
    expect(r.errors).toEqual([expect.objectContaining({ location: join(dir, 'sub/broken.json'), code: 'feed.invalid', byteOffset: 11 })]);
  });

  it('fails a single explicitly named file that no source recognises, and a missing path', async () => {
    await writeFile(join(dir, 'hello.json'), '{"hello":"world"}');
    expect((await loadAdvisoriesFromPath(join(dir, 'hello.json'))).errors[0]).toMatchObject({ code: 'feed.invalid', message: expect.stringContaining('no advisory source recognises this document') });
    expect((await loadAdvisoriesFromPath(join(dir, 'nope'))).errors[0]).toMatchObject({ code: 'feed.io', location: join(dir, 'nope') });
  });

  it('reports a corrupt gzip file as invalid data', async () => {
    await writeFile(join(dir, 'epss.csv.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]));
    expect((await loadAdvisoriesFromPath(join(dir, 'epss.csv.gz'))).errors[0]).toMatchObject({ code: 'feed.invalid', location: join(dir, 'epss.csv.gz') });
  });

  it('syncs a directory through a path source in bounded batches', async () => {
    for (let i = 0; i < 7; i++) await writeFile(join(dir, `OSV-${i}.json`), osvRecord(`OSV-2024-${i}`));
    const sink = recordingSink();
    const report = await syncFeeds({ sources: [{ name: 'mirror', kind: 'path', path: dir }], batchSize: 3 }, { state: new InMemoryFeedStateStore(), sink: sink.sink });
    expect(sink.batches.map((b) => [b.size, b.location])).toEqual([
      [3, dir],
      [3, dir],
      [1, dir],
    ]);
    expect(report.sources[0]).toMatchObject({ status: 'ok', documents: 7, advisories: 7, requests: 0 });
  });
});
