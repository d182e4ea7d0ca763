import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Finding, TriageDecision } from '../../vulns/findings/model.js';
import { triageKeyString, type FindingCursor, type FindingFilter, type FindingSort, type TriageKey, type VulnRepository } from '../../vulns/ports.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createVulnRepository } from './vulns.js';

const T1 = '2025-03-01T00:00:00.000Z';
const T2 = '2025-03-02T00:00:00.000Z';

const decision = (state: TriageDecision['state'], over: Partial<TriageDecision> = {}): TriageDecision => ({
  state,
  by: { kind: 'user', id: 'usr_ana', name: 'ana' },
  at: T1,
  origin: 'analyst',
  ...over,
});

/** 24 findings with repeating risk scores and seen times, so keyset ties are exercised. */
const finding = (n: number, over: Partial<Finding> = {}): Finding => ({
  id: `fnd_${String(n).padStart(3, '0')}`,
  productId: `prd_${n % 3}`,
  componentRef: `ref-${n}`,
  componentKey: `pkg:npm/lib-${n}`,
  componentName: n % 4 === 0 ? 'OpenSSL' : `lib-${n}`,
  componentVersion: '1.0.0',
  componentPurl: `pkg:npm/lib-${n}@1.0.0`,
  vulnerabilityId: `CVE-2024-${String(1000 + (n % 5))}`,
  advisoryId: n % 2 === 0 ? `GHSA-${n % 5}` : `CVE-2024-${String(1000 + (n % 5))}`,
  advisorySource: n % 2 === 0 ? 'osv' : 'nvd',
  rule: 'purl',
  confidence: 0.9,
  needsReview: n % 3 === 0,
  evidence: { advisoryField: 'affected[0].ranges[0]', advisoryValue: '<1.2.0', componentField: 'purl', componentValue: `pkg:npm/lib-${n}@1.0.0`, explanation: '1.0.0 is in [0, 1.2.0) (semver)' },
  fixedVersions: ['1.2.0'],
  status: 'open',
  riskScore: [12.5, 80, 45, 80, 99.9, 0][n % 6] as number,
  firstSeen: T1,
  lastSeen: `2025-03-0${1 + (n % 4)}T00:00:00.000Z`,
  ...(n % 4 === 1 ? { triage: decision('not_affected', { justification: 'vulnerable_code_not_in_execute_path', detail: 'not reachable' }) } : {}),
  ...(n % 4 === 2 ? { triage: decision('affected', { action: 'update firmware' }) } : {}),
  ...over,
});

const all = Array.from({ length: 24 }, (_, n) => finding(n));
const ids = (fs: readonly Finding[]) => fs.map((f) => f.id);

/** Reference order of a sort, computed in JS from the fixtures. */
function expected(fs: readonly Finding[], sort: FindingSort): string[] {
  const key = (f: Finding) => (sort === 'risk' ? f.riskScore : f.lastSeen);
  return [...fs].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : a.id < b.id ? 1 : -1)).map((f) => f.id);
}

const cursorOf = (f: Finding, sort: FindingSort): FindingCursor => ({ sortValue: sort === 'risk' ? f.riskScore : f.lastSeen, id: f.id });

describeEachEngine('vuln repository: findings, triage and feed state', ({ open }) => {
  let h: DatabaseHandle;
  let repo: VulnRepository;
  beforeEach(async () => {
    h = await open();
    repo = createVulnRepository(h.db, h.dialect);
  });
  afterEach(async () => h.close());

  async function pages(filter: FindingFilter, sort: FindingSort, size: number): Promise<string[]> {
    const out: string[] = [];
    let after: FindingCursor | undefined;
    for (;;) {
      const page = await repo.listFindings(filter, sort, after, size);
      out.push(...ids(page));
      if (page.length < size) return out;
      after = cursorOf(page[page.length - 1]!, sort);
    }
  }

  it('stores a finding and reads it back unchanged, with and without optional fields', async () => {
    const full = finding(1, { alertId: 'alr_1', alertedAt: T2, advisoryPublished: T1 });
    const bare: Finding = { ...finding(2), id: 'fnd_bare' };
    delete bare.triage;
    delete bare.componentVersion;
    delete bare.componentPurl;
    await repo.insertFindings([full, bare]);
    expect(await repo.getFinding(full.id)).toEqual(full);
    expect(await repo.getFinding('fnd_bare')).toEqual(bare);
    expect(await repo.getFinding('fnd_missing')).toBeUndefined();
  });

  it('keeps one open finding per product, component, vulnerability and source; a closed one allows a new one', async () => {
    const first = finding(1);
    await repo.insertFindings([first]);
    await repo.insertFindings([{ ...first, id: 'fnd_dup', riskScore: 1 }]);
    expect(await repo.getFinding('fnd_dup')).toBeUndefined();
    expect(ids(await repo.findingsOfProduct(first.productId))).toEqual([first.id]);
    // another source for the same vulnerability is another finding
    await repo.insertFindings([{ ...first, id: 'fnd_osv', advisorySource: 'osv', advisoryId: 'GHSA-1' }]);
    expect(ids(await repo.findingsOfProduct(first.productId))).toEqual([first.id, 'fnd_osv']);

    await repo.closeFindings([first.id], 'component-removed', T2);
    await repo.insertFindings([{ ...first, id: 'fnd_again' }]);
    expect(ids(await repo.findingsOfProduct(first.productId))).toEqual(['fnd_again', 'fnd_osv']);
    expect(await repo.getFinding(first.id)).toEqual({ ...first, status: 'closed', closeReason: 'component-removed', closedAt: T2 });
    // closing again keeps the original reason and time
    await repo.closeFindings([first.id, 'fnd_missing'], 'advisory-withdrawn', '2025-04-01T00:00:00.000Z');
    expect(await repo.getFinding(first.id)).toMatchObject({ closeReason: 'component-removed', closedAt: T2 });
  });

  it('returns only open findings of a product or an advisory', async () => {
    await repo.insertFindings(all);
    await repo.closeFindings(['fnd_000', 'fnd_004'], 'fixed', T2);
    const ofProduct = all.filter((f) => f.productId === 'prd_0' && !['fnd_000'].includes(f.id)).map((f) => f.id);
    expect(ids(await repo.findingsOfProduct('prd_0'))).toEqual(ofProduct);
    const ofAdvisory = all.filter((f) => f.advisoryId === 'GHSA-4' && f.id !== 'fnd_004').map((f) => f.id);
    expect(ids(await repo.findingsOfAdvisory('GHSA-4'))).toEqual(ofAdvisory);
    expect(await repo.findingsOfAdvisory('GHSA-none')).toEqual([]);
  });

  it('replaces whole rows on update, including fields that went away', async () => {
    await repo.insertFindings([finding(1), finding(5)]);
    const changed = { ...finding(1), riskScore: 3, lastSeen: T2, needsReview: true, fixedVersions: ['2.0.0'] };
    delete changed.triage;
    await repo.updateFindings([changed, { ...finding(9), id: 'fnd_not_stored' }]);
    expect(await repo.getFinding('fnd_001')).toEqual(changed);
    expect(await repo.getFinding('fnd_not_stored')).toBeUndefined();
    expect(ids(await repo.listFindings({ triage: 'untriaged' }, 'risk', undefined, 10))).toEqual(['fnd_001']);
    expect(await repo.getFinding('fnd_005')).toEqual(finding(5));
  });

  it('applies every filter alone and combined, with matching counts', async () => {
    await repo.insertFindings(all);
    await repo.closeFindings(['fnd_003', 'fnd_010'], 'no-longer-matches', T2);
    const stored = all.map((f) => (['fnd_003', 'fnd_010'].includes(f.id) ? { ...f, status: 'closed' as const } : f));
    const cases: Array<[FindingFilter, (f: Finding) => boolean]> = [
      [{}, () => true],
      [{ productId: 'prd_1' }, (f) => f.productId === 'prd_1'],
      [{ productIds: ['prd_0', 'prd_2'] }, (f) => f.productId !== 'prd_1'],
      [{ productIds: [] }, () => false],
      [{ productId: 'prd_0', productIds: ['prd_1'] }, () => false],
      [{ status: 'closed' }, (f) => f.status === 'closed'],
      [{ status: 'open' }, (f) => f.status === 'open'],
      [{ vulnerabilityId: 'CVE-2024-1002' }, (f) => f.vulnerabilityId === 'CVE-2024-1002'],
      [{ advisoryId: 'GHSA-2' }, (f) => f.advisoryId === 'GHSA-2'],
      [{ triage: 'not_affected' }, (f) => f.triage?.state === 'not_affected'],
      [{ triage: 'affected' }, (f) => f.triage?.state === 'affected'],
      [{ triage: 'untriaged' }, (f) => f.triage === undefined],
      [{ needsReview: true }, (f) => f.needsReview],
      [{ needsReview: false }, (f) => !f.needsReview],
      [{ minRisk: 80 }, (f) => f.riskScore >= 80],
      [{ q: 'openssl' }, (f) => f.componentName === 'OpenSSL'],
      [{ q: 'cve-2024-1003' }, (f) => f.vulnerabilityId === 'CVE-2024-1003'],
      [{ q: 'LIB-1' }, (f) => f.componentName.startsWith('lib-1')],
      [{ q: '%' }, () => false],
      [{ status: 'open', productId: 'prd_0', minRisk: 40, triage: 'untriaged' }, (f) => f.status === 'open' && f.productId === 'prd_0' && f.riskScore >= 40 && !f.triage],
    ];
    for (const [filter, pick] of cases) {
      const want = expected(stored.filter(pick), 'risk');
      expect(ids(await repo.listFindings(filter, 'risk', undefined, 100)), JSON.stringify(filter)).toEqual(want);
      expect(await repo.countFindings(filter), JSON.stringify(filter)).toBe(want.length);
    }
  });

  it('pages by risk and by last seen with cursors, ties broken by id, across filters', async () => {
    await repo.insertFindings(all);
    for (const sort of ['risk', 'lastSeen'] as const) {
      for (const size of [1, 5, 7, 24]) expect(await pages({}, sort, size), `${sort}/${size}`).toEqual(expected(all, sort));
      expect(await pages({ productId: 'prd_1' }, sort, 2)).toEqual(expected(all.filter((f) => f.productId === 'prd_1'), sort));
    }
    // the same keyset position expressed as text (as an API cursor would carry it)
    const page = await repo.listFindings({}, 'risk', { sortValue: '80', id: 'fnd_015' }, 3);
    expect(ids(page)).toEqual(expected(all, 'risk').slice(expected(all, 'risk').indexOf('fnd_015') + 1).slice(0, 3));
    await expect(repo.listFindings({}, 'risk', { sortValue: 'high', id: 'x' }, 3)).rejects.toThrow("needs a numeric sortValue, got \"high\"");
  });

  it('searches finding text literally and case-insensitively, with Unicode and SQL metacharacters', async () => {
    const odd = finding(1, { id: 'fnd_odd', componentName: "Ärzte-Lib '; drop table vuln_findings; -- 100%_\\ \u0000", componentKey: 'k\u0000', componentRef: 'ref\u0000' });
    await repo.insertFindings([odd, finding(2)]);
    expect(await repo.getFinding('fnd_odd')).toEqual(odd);
    expect(ids(await repo.listFindings({ q: 'ÄRZTE-lib' }, 'risk', undefined, 10))).toEqual(['fnd_odd']);
    expect(ids(await repo.listFindings({ q: "'; drop" }, 'risk', undefined, 10))).toEqual(['fnd_odd']);
    expect(await repo.countFindings({ q: '100%_\\' })).toBe(1);
    expect(await repo.countFindings({ q: '\u0000' })).toBe(1);
    expect(await repo.countFindings({ q: '_' })).toBe(1);
    // the NUL in the component key still identifies it among open findings
    await repo.insertFindings([{ ...odd, id: 'fnd_odd2' }]);
    expect(await repo.getFinding('fnd_odd2')).toBeUndefined();
  });

  it('stores triage decisions by product line, component and vulnerability, carried over to other versions', async () => {
    const k = (productLine: string, componentKey: string, vulnerabilityId: string): TriageKey => ({ productLine, componentKey, vulnerabilityId });
    const pump = k('b_braun/infusomat', 'pkg:generic/openssl', 'CVE-2024-1');
    await repo.putTriage(pump, decision('not_affected', { justification: 'component_not_present' }));
    await repo.putTriage(k('b_braun/infusomat', 'pkg:generic/openssl', 'CVE-2024-2'), decision('affected'));
    expect(await repo.getTriage(pump)).toEqual(decision('not_affected', { justification: 'component_not_present' }));
    await repo.putTriage(pump, decision('fixed', { at: T2, origin: 'vex:cyclonedx sbom.json' }));
    expect(await repo.getTriage(pump)).toEqual(decision('fixed', { at: T2, origin: 'vex:cyclonedx sbom.json' }));
    expect(await repo.getTriage(k('b_braun/other', 'pkg:generic/openssl', 'CVE-2024-1'))).toBeUndefined();

    // a new SBOM of another version asks with the same product line: the decisions come back
    const asked = [pump, k('b_braun/infusomat', 'pkg:generic/openssl', 'CVE-2024-2'), k('b_braun/infusomat', 'pkg:generic/zlib', 'CVE-2024-1'), pump];
    const got = await repo.getTriages(asked);
    expect([...got.keys()].sort()).toEqual([triageKeyString(asked[0]!), triageKeyString(asked[1]!)].sort());
    expect(got.get(triageKeyString(pump))?.state).toBe('fixed');
    expect(await repo.getTriages([])).toEqual(new Map());

    const many = Array.from({ length: 700 }, (_, i) => k('line', `c${i}`, 'CVE-1'));
    for (const key of many.slice(0, 5)) await repo.putTriage(key, decision('under_investigation'));
    expect((await repo.getTriages(many)).size).toBe(5);
    const weird = k("line'\u0000é", 'c%_', 'CVE-🙂');
    await repo.putTriage(weird, decision('affected', { detail: 'émoji 🙂 "quoted"' }));
    expect((await repo.getTriages([weird])).get(triageKeyString(weird))).toEqual(decision('affected', { detail: 'émoji 🙂 "quoted"' }));
  });

  it('round-trips feed state by url, replacing optional fields on each put', async () => {
    const url = "https://example.org/feeds/csaf/changes.csv?x='1'&y=%20é";
    expect(await repo.getFeedState(url)).toBeUndefined();
    const full = { url, etag: 'W/"abc"', lastModified: 'Sat, 01 Mar 2025 00:00:00 GMT', sha256: 'ef'.repeat(32), fetchedAt: T1, cursor: '2025-03-01T00:00:00Z' };
    await repo.putFeedState(full);
    expect(await repo.getFeedState(url)).toEqual(full);
    await repo.putFeedState({ url, fetchedAt: T2, etag: 'W/"def"' });
    expect(await repo.getFeedState(url)).toEqual({ url, fetchedAt: T2, etag: 'W/"def"' });
    await repo.putFeedState({ url: 'https://example.org/other', fetchedAt: T1 });
    expect(await repo.getFeedState(url)).toEqual({ url, fetchedAt: T2, etag: 'W/"def"' });
  });

  it('commits findings and triage together in a transaction, or neither', async () => {
    const key: TriageKey = { productLine: 'a/b', componentKey: 'c', vulnerabilityId: 'CVE-1' };
    await expect(
      repo.transaction(async (store) => {
        await store.insertFindings([finding(1)]);
        await store.putTriage(key, decision('affected'));
        await store.closeFindings(['fnd_001'], 'fixed', T2);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await repo.getFinding('fnd_001')).toBeUndefined();
    expect(await repo.getTriage(key)).toBeUndefined();
    const result = await repo.transaction(async (store) => {
      await store.insertFindings([finding(1)]);
      await store.updateFindings([{ ...finding(1), riskScore: 55 }]);
      await store.putTriage(key, decision('affected'));
      return 'done';
    });
    expect(result).toBe('done');
    expect((await repo.getFinding('fnd_001'))?.riskScore).toBe(55);
    expect(await repo.getTriage(key)).toEqual(decision('affected'));
  });
});
