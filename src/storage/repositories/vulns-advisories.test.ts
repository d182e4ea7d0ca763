import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../vulns/findings/model.js';
import type { Advisory } from '../../vulns/model.js';
import type { StoredAdvisory, VulnRepository } from '../../vulns/ports.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createVulnRepository } from './vulns.js';

const T1 = '2025-03-01T00:00:00.000Z';
const T2 = '2025-03-02T00:00:00.000Z';
const T3 = '2025-03-03T00:00:00.000Z';

const advisory = (id: string, over: Partial<Advisory> = {}): Advisory => ({
  id,
  source: 'osv',
  sourceId: id,
  aliases: [],
  title: `Title of ${id}`,
  severity: [],
  cwes: [],
  affected: [],
  remediations: [],
  references: [],
  provenance: { parser: 'osv@1.0.0', location: 'osv.zip', pointer: '' },
  warnings: [],
  ...over,
});

type Input = Omit<StoredAdvisory, 'firstIngestedAt' | 'lastChangedAt'>;
const input = (a: Advisory, keys: string[] = [`purl:pkg:npm/${a.id}`], contentHash = `h-${a.id}-1`): Input => ({ advisory: a, keys, contentHash });
const idsOf = (xs: readonly StoredAdvisory[]) => xs.map((x) => x.advisory.id);

const finding = (id: string, advisoryId: string, status: Finding['status']): Finding => ({
  id,
  productId: 'prd_1',
  componentRef: 'c',
  componentKey: `k-${id}`,
  componentName: 'c',
  vulnerabilityId: advisoryId,
  advisoryId,
  advisorySource: 'osv',
  rule: 'purl',
  confidence: 1,
  needsReview: false,
  evidence: { advisoryField: 'affected[0]', advisoryValue: 'x', componentField: 'purl', componentValue: 'x', explanation: 'x' },
  fixedVersions: [],
  status,
  riskScore: 10,
  firstSeen: T1,
  lastSeen: T1,
});

describeEachEngine('vuln repository: advisories', ({ open }) => {
  let h: DatabaseHandle;
  let repo: VulnRepository;
  beforeEach(async () => {
    h = await open();
    repo = createVulnRepository(h.db, h.dialect);
  });
  afterEach(async () => h.close());

  it('reports inserted, changed (content hash differs) and unchanged advisories', async () => {
    const a = advisory('CVE-2024-0001');
    const b = advisory('GHSA-aaaa-bbbb-cccc');
    expect(await repo.upsertAdvisories([input(a), input(b)], T1)).toEqual({ inserted: ['CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc'], changed: [], unchanged: 0 });
    const a2 = { ...a, title: 'Corrected title' };
    const c = advisory('CVE-2024-0003');
    const out = await repo.upsertAdvisories([input(a2, undefined, 'h-a-2'), input(b), input(c)], T2);
    expect(out).toEqual({ inserted: ['CVE-2024-0003'], changed: ['CVE-2024-0001'], unchanged: 1 });
    expect(await repo.getAdvisory('CVE-2024-0001')).toEqual({ advisory: a2, keys: ['purl:pkg:npm/CVE-2024-0001'], contentHash: 'h-a-2', firstIngestedAt: T1, lastChangedAt: T2 });
    expect(await repo.getAdvisory('GHSA-aaaa-bbbb-cccc')).toMatchObject({ firstIngestedAt: T1, lastChangedAt: T1 });
    expect(await repo.getAdvisory('CVE-2099-0000')).toBeUndefined();
  });

  it('counts a repeated id in one batch once, the last occurrence winning', async () => {
    const out = await repo.upsertAdvisories([input(advisory('CVE-1', { title: 'first' }), ['k1'], 'h1'), input(advisory('CVE-1', { title: 'second' }), ['k2'], 'h2')], T1);
    expect(out).toEqual({ inserted: ['CVE-1'], changed: [], unchanged: 0 });
    expect(await repo.getAdvisory('CVE-1')).toMatchObject({ advisory: { title: 'second' }, keys: ['k2'], contentHash: 'h2' });
    expect(await repo.advisoriesByKeys(['k1'])).toEqual([]);
  });

  it('replaces match keys and aliases when an advisory changes', async () => {
    await repo.upsertAdvisories([input(advisory('CVE-2024-1', { aliases: ['GHSA-old'] }), ['purl:pkg:npm/a', 'cpe:vendor/a'])], T1);
    expect(idsOf(await repo.advisoriesByKeys(['purl:pkg:npm/a']))).toEqual(['CVE-2024-1']);
    expect(idsOf(await repo.advisoriesForVulnerability('GHSA-old'))).toEqual(['CVE-2024-1']);
    await repo.upsertAdvisories([input(advisory('CVE-2024-1', { aliases: ['GHSA-new'] }), ['purl:pkg:npm/b', 'cpe:vendor/a'], 'h2')], T2);
    expect(await repo.advisoriesByKeys(['purl:pkg:npm/a'])).toEqual([]);
    expect(idsOf(await repo.advisoriesByKeys(['purl:pkg:npm/b']))).toEqual(['CVE-2024-1']);
    expect(idsOf(await repo.advisoriesByKeys(['cpe:vendor/a']))).toEqual(['CVE-2024-1']);
    expect(await repo.advisoriesForVulnerability('GHSA-old')).toEqual([]);
    expect(idsOf(await repo.advisoriesForVulnerability('GHSA-new'))).toEqual(['CVE-2024-1']);
  });

  it('looks up many vulnerability ids at once, each advisory once', async () => {
    await repo.upsertAdvisories([input(advisory('CVE-2024-1', { aliases: ['GHSA-a'] }), []), input(advisory('CVE-2024-2', { aliases: ['GHSA-b'] }), []), input(advisory('CVE-2024-3'), [])], T1);
    expect(idsOf(await repo.advisoriesForVulnerabilities(['GHSA-a', 'CVE-2024-1', 'CVE-2024-2', 'nope']))).toEqual(['CVE-2024-1', 'CVE-2024-2']);
    expect(await repo.advisoriesForVulnerabilities([])).toEqual([]);
  });

  it('refreshes the key rows of an unchanged advisory whose keys now differ, still counting it unchanged', async () => {
    await repo.upsertAdvisories([input(advisory('CVE-1'), ['old-key'], 'h')], T1);
    expect(await repo.upsertAdvisories([input(advisory('CVE-1'), ['new-key', 'new-key'], 'h')], T2)).toEqual({ inserted: [], changed: [], unchanged: 1 });
    expect(await repo.advisoriesByKeys(['old-key'])).toEqual([]);
    expect(await repo.advisoriesByKeys(['new-key'])).toEqual([{ advisory: advisory('CVE-1'), keys: ['new-key'], contentHash: 'h', firstIngestedAt: T1, lastChangedAt: T1 }]);
  });

  it('finds advisories by primary id, source id or alias, across sources', async () => {
    await repo.upsertAdvisories(
      [
        input(advisory('CVE-2024-7', { source: 'osv', sourceId: 'GHSA-xxxx-yyyy-zzzz', aliases: ['GHSA-xxxx-yyyy-zzzz', 'PYSEC-2024-9'] })),
        input(advisory('ICSMA-24-100-01', { source: 'csaf', aliases: ['CVE-2024-7', 'CVE-2024-8'] })),
        input(advisory('CVE-2024-8', { source: 'nvd' })),
      ],
      T1,
    );
    expect(idsOf(await repo.advisoriesForVulnerability('CVE-2024-7'))).toEqual(['CVE-2024-7', 'ICSMA-24-100-01']);
    expect(idsOf(await repo.advisoriesForVulnerability('CVE-2024-8'))).toEqual(['CVE-2024-8', 'ICSMA-24-100-01']);
    expect(idsOf(await repo.advisoriesForVulnerability('PYSEC-2024-9'))).toEqual(['CVE-2024-7']);
    expect(idsOf(await repo.advisoriesForVulnerability('GHSA-xxxx-yyyy-zzzz'))).toEqual(['CVE-2024-7']);
    expect(await repo.advisoriesForVulnerability('cve-2024-7')).toEqual([]);
  });

  it('gets advisories in batches larger than one statement binds, and upserts 2,500 in one call', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => input(advisory(`CVE-2024-${String(i).padStart(5, '0')}`), [`k${i % 10}`]));
    expect((await repo.upsertAdvisories(many, T1)).inserted).toHaveLength(2500);
    expect(await repo.countAdvisories({})).toBe(2500);
    const got = await repo.getAdvisories([...many.map((m) => m.advisory.id), 'CVE-missing']);
    expect(got).toHaveLength(2500);
    expect(idsOf(got)).toEqual(many.map((m) => m.advisory.id));
    expect(await repo.advisoriesByKeys(['k3'])).toHaveLength(250);
    expect(await repo.getAdvisories([])).toEqual([]);
    const again = await repo.upsertAdvisories(many, T2);
    expect(again).toEqual({ inserted: [], changed: [], unchanged: 2500 });
  });

  it('lists with a keyset cursor and filters by text, source, KEV listing and open findings', async () => {
    const kev = { dateAdded: '2024-01-01', dueDate: '2024-01-21', requiredAction: 'patch', knownRansomware: false as const };
    await repo.upsertAdvisories(
      [
        input(advisory('CVE-1', { title: 'Heap overflow in DICOM parser', kev })),
        input(advisory('CVE-2', { source: 'nvd', title: 'SQL injection: 100%_sure', epss: { score: 0.5, percentile: 0.97, date: '2025-01-01' } })),
        input(advisory('CVE-3', { source: 'nvd', aliases: ['ICSMA-24-001'] })),
        input(advisory('CVE-4', { source: 'csaf', title: 'ÜBERLAUF im Gerät' })),
        input(advisory('CVE-5')),
      ],
      T1,
    );
    await repo.insertFindings([finding('fnd_1', 'CVE-2', 'open'), finding('fnd_2', 'CVE-3', 'closed'), finding('fnd_3', 'CVE-2', 'open')]);
    expect(idsOf(await repo.listAdvisories({}, undefined, 2))).toEqual(['CVE-1', 'CVE-2']);
    expect(idsOf(await repo.listAdvisories({}, 'CVE-2', 2))).toEqual(['CVE-3', 'CVE-4']);
    expect(idsOf(await repo.listAdvisories({}, 'CVE-4', 2))).toEqual(['CVE-5']);
    expect(idsOf(await repo.listAdvisories({ source: 'nvd' }, undefined, 10))).toEqual(['CVE-2', 'CVE-3']);
    expect(idsOf(await repo.listAdvisories({ kev: true }, undefined, 10))).toEqual(['CVE-1']);
    expect(await repo.countAdvisories({ kev: false })).toBe(4);
    expect(idsOf(await repo.listAdvisories({ withFindings: true }, undefined, 10))).toEqual(['CVE-2']);
    expect(await repo.countAdvisories({ withFindings: false })).toBe(4);
    expect(idsOf(await repo.listAdvisories({ q: 'dicom' }, undefined, 10))).toEqual(['CVE-1']);
    expect(idsOf(await repo.listAdvisories({ q: 'icsma-24' }, undefined, 10))).toEqual(['CVE-3']);
    expect(await repo.countAdvisories({ q: '100%_' })).toBe(1);
    expect(await repo.countAdvisories({ q: '_' })).toBe(1);
    expect(idsOf(await repo.listAdvisories({ q: 'überlauf im gerät' }, undefined, 10))).toEqual(['CVE-4']);
    expect(await repo.countAdvisories({ q: 'sql', source: 'nvd', withFindings: true, kev: false })).toBe(1);
  });

  it('scans all advisories in id-ordered pages', async () => {
    const pages: string[][] = [];
    for await (const page of repo.scanAdvisories(3)) pages.push(idsOf(page));
    expect(pages).toEqual([]);
    await repo.upsertAdvisories(['CVE-7', 'CVE-1', 'CVE-3', 'CVE-6', 'CVE-2', 'CVE-5', 'CVE-4'].map((id) => input(advisory(id))), T1);
    for await (const page of repo.scanAdvisories(3)) pages.push(idsOf(page));
    expect(pages).toEqual([['CVE-1', 'CVE-2', 'CVE-3'], ['CVE-4', 'CVE-5', 'CVE-6'], ['CVE-7']]);
    const scan = repo.scanAdvisories(0)[Symbol.asyncIterator]();
    await expect(scan.next()).rejects.toThrow('batchSize must be a positive integer, got 0');
  });

  it('round-trips Unicode, quotes, SQL metacharacters and U+0000 in advisory ids, text and keys', async () => {
    const id = "ADV-'; drop table vuln_advisories; --🙂\u0000";
    const a = advisory(id, { title: 'Überlauf "quoted" %_\\ \u0000 nul', aliases: ['ALIAS-é\u0000'], details: 'line1\nline2\ttab' });
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    await repo.upsertAdvisories([input(a, ['purl:pkg:generic/é\u0000x', "cpe:'"], hash)], T1);
    const expected = { advisory: a, keys: ["cpe:'", 'purl:pkg:generic/é\u0000x'], contentHash: hash, firstIngestedAt: T1, lastChangedAt: T1 };
    expect(await repo.getAdvisory(id)).toEqual(expected);
    expect(await repo.advisoriesByKeys(['purl:pkg:generic/é\u0000x'])).toEqual([expected]);
    expect(await repo.advisoriesForVulnerability('ALIAS-é\u0000')).toEqual([expected]);
    expect(await repo.listAdvisories({ q: 'überlauf "QUOTED" %_\\' }, undefined, 5)).toEqual([expected]);
    expect(await repo.upsertAdvisories([input(a, ['purl:pkg:generic/é\u0000x', "cpe:'"], hash)], T2)).toEqual({ inserted: [], changed: [], unchanged: 1 });
  });

  it('rolls back advisory upserts made inside a failed repository transaction', async () => {
    await expect(
      repo.transaction(async (store) => {
        await store.upsertAdvisories([input(advisory('CVE-9'))], T3);
        expect(await store.getAdvisory('CVE-9')).toBeDefined();
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await repo.getAdvisory('CVE-9')).toBeUndefined();
    expect(await repo.advisoriesByKeys(['purl:pkg:npm/CVE-9'])).toEqual([]);
  });
});
