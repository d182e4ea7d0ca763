import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Product, StoredComponent, StoredSbom, VulnRepository } from '../../vulns/ports.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createVulnRepository } from './vulns.js';

const T0 = '2025-03-01T00:00:00.000Z';

const product = (n: number, over: Partial<Product> = {}): Product => ({
  id: `prd_${String(n).padStart(3, '0')}`,
  manufacturer: n % 2 === 0 ? 'Baxter' : 'B. Braun',
  name: `Pump ${n}`,
  version: `1.${n}`,
  normalizedVendor: n % 2 === 0 ? 'baxter' : 'b_braun',
  normalizedProduct: `pump_${n}`,
  origin: 'inventory',
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

const sbom = (id: string, productId: string, importedAt: string, count: number): StoredSbom => ({
  id,
  productId,
  format: 'cyclonedx',
  specVersion: '1.6',
  serialNumber: `urn:uuid:${id}`,
  parser: 'cyclonedx-json@1.0.0',
  sha256: 'ab'.repeat(32),
  componentCount: count,
  importedAt,
  importedBy: 'usr_ana',
});

const component = (sbomId: string, productId: string, ref: string, over: Partial<StoredComponent> = {}): StoredComponent => ({
  id: `${sbomId}:${ref}`,
  sbomId,
  productId,
  componentKey: `key:${ref}`,
  keys: [`purl:pkg:generic/${ref}`, `name:${ref}`],
  ref,
  name: ref,
  version: '1.0.0',
  purl: `pkg:generic/${ref}@1.0.0`,
  cpes: [],
  type: 'library',
  hashes: [{ alg: 'SHA-256', value: 'cd'.repeat(32) }],
  licenses: ['MIT'],
  properties: [],
  flags: [],
  ...over,
});

const components = (sbomId: string, productId: string, refs: readonly string[]) => refs.map((r) => component(sbomId, productId, r));
const selfComponent = (productId: string, keys: string[]): StoredComponent => ({
  ...component('x', productId, '#product', { keys }),
  id: `${productId}#product`,
  sbomId: undefined,
});
const ids = (cs: readonly { id: string }[]) => cs.map((c) => c.id);

describeEachEngine('vuln repository: products', ({ open }) => {
  let h: DatabaseHandle;
  let repo: VulnRepository;
  beforeEach(async () => {
    h = await open();
    repo = createVulnRepository(h.db, h.dialect);
  });
  afterEach(async () => h.close());

  it('upserts a product by normalized identity, keeping the first id and creation time', async () => {
    const first = await repo.upsertProduct(product(1, { cpe: 'cpe:2.3:h:b_braun:pump:1.1:*:*:*:*:*:*:*', rubric: { AV: 'N' } }));
    expect(first).toEqual(product(1, { cpe: 'cpe:2.3:h:b_braun:pump:1.1:*:*:*:*:*:*:*', rubric: { AV: 'N' } }));
    const again = await repo.upsertProduct(product(1, { id: 'prd_other', name: 'Infusomat', origin: 'sbom', createdAt: '2025-04-01T00:00:00.000Z', updatedAt: '2025-04-01T00:00:00.000Z' }));
    expect(again.id).toBe('prd_001');
    expect(again.createdAt).toBe(T0);
    expect(again).toMatchObject({ name: 'Infusomat', origin: 'sbom', updatedAt: '2025-04-01T00:00:00.000Z' });
    // optional values the caller leaves out keep what is stored
    expect(again.cpe).toBe('cpe:2.3:h:b_braun:pump:1.1:*:*:*:*:*:*:*');
    expect(again.rubric).toEqual({ AV: 'N' });
    expect(await repo.getProduct('prd_other')).toBeUndefined();
    expect(await repo.getProduct('prd_001')).toEqual(again);
    expect(await repo.countProducts({})).toBe(1);
  });

  it('treats another version of the same product line as another product', async () => {
    await repo.upsertProduct(product(1));
    await repo.upsertProduct(product(2, { normalizedVendor: 'b_braun', normalizedProduct: 'pump_1', version: '2.0' }));
    expect((await repo.findProduct('b_braun', 'pump_1', '1.1'))?.id).toBe('prd_001');
    expect((await repo.findProduct('b_braun', 'pump_1', '2.0'))?.id).toBe('prd_002');
    expect(await repo.findProduct('b_braun', 'pump_1', '')).toBeUndefined();
  });

  it('lists products in id order with a keyset cursor and filters by manufacturer and text', async () => {
    for (let n = 0; n < 7; n++) await repo.upsertProduct(product(n));
    const page1 = await repo.listProducts({}, undefined, 3);
    expect(ids(page1)).toEqual(['prd_000', 'prd_001', 'prd_002']);
    const page2 = await repo.listProducts({}, 'prd_002', 3);
    expect(ids(page2)).toEqual(['prd_003', 'prd_004', 'prd_005']);
    expect(ids(await repo.listProducts({}, 'prd_005', 3))).toEqual(['prd_006']);
    expect(ids(await repo.listProducts({ manufacturer: 'Baxter' }, undefined, 10))).toEqual(['prd_000', 'prd_002', 'prd_004', 'prd_006']);
    expect(await repo.countProducts({ manufacturer: 'Baxter' })).toBe(4);
    expect(ids(await repo.listProducts({ q: 'PUMP 3' }, undefined, 10))).toEqual(['prd_003']);
    expect(await repo.countProducts({ q: 'b. braun' })).toBe(3);
    expect(await repo.countProducts({ q: 'baxter', manufacturer: 'B. Braun' })).toBe(0);
  });

  it('searches product text literally: % _ and quotes are not special, Unicode folds on both engines', async () => {
    await repo.upsertProduct(product(1, { manufacturer: 'Dräger', name: "O'Neil 100%_ready" }));
    await repo.upsertProduct(product(2, { name: 'Pump 1000 ready' }));
    expect(await repo.countProducts({ q: '100%_' })).toBe(1);
    expect(await repo.countProducts({ q: '%' })).toBe(1);
    expect(await repo.countProducts({ q: "o'neil" })).toBe(1);
    expect(await repo.countProducts({ q: 'DRÄGER' })).toBe(1);
  });

  it('sets and clears the rubric, and reports a missing product', async () => {
    await repo.upsertProduct(product(1));
    expect(await repo.setRubric('prd_001', { AV: 'A', 'Clinical impact': 'high' }, '2025-05-01T00:00:00.000Z')).toBe(true);
    expect(await repo.getProduct('prd_001')).toMatchObject({ rubric: { AV: 'A', 'Clinical impact': 'high' }, updatedAt: '2025-05-01T00:00:00.000Z' });
    expect(await repo.setRubric('prd_001', undefined, '2025-05-02T00:00:00.000Z')).toBe(true);
    expect((await repo.getProduct('prd_001'))?.rubric).toBeUndefined();
    expect(await repo.setRubric('prd_missing', { AV: 'N' }, T0)).toBe(false);
  });
});

describeEachEngine('vuln repository: SBOMs and components', ({ open }) => {
  let h: DatabaseHandle;
  let repo: VulnRepository;
  beforeEach(async () => {
    h = await open();
    repo = createVulnRepository(h.db, h.dialect);
    await repo.upsertProduct(product(1));
    await repo.upsertProduct(product(2));
  });
  afterEach(async () => h.close());

  it('stores an SBOM with its components in document order and reads them back unchanged', async () => {
    const s = sbom('sbm_a', 'prd_001', '2025-03-02T00:00:00.000Z', 3);
    const cs = [component('sbm_a', 'prd_001', 'zlib', { parentRef: 'fw', cpes: ['cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*'] }), component('sbm_a', 'prd_001', 'fw'), component('sbm_a', 'prd_001', 'busybox')];
    delete cs[1]!.version;
    await repo.insertSbom(s, cs);
    expect(await repo.getSbom('sbm_a')).toEqual(s);
    expect(await repo.getSbom('sbm_missing')).toBeUndefined();
    expect(await repo.sbomComponents('sbm_a')).toEqual(cs.map((c) => ({ ...c, keys: [...c.keys].sort() })));
    expect(await repo.latestSbom('prd_001')).toEqual(s);
    expect(await repo.latestSbom('prd_002')).toBeUndefined();
  });

  it('stores nothing when a component insert fails part-way (atomic SBOM import)', async () => {
    const refs = Array.from({ length: 700 }, (_, i) => `c${i}`);
    await repo.insertSbom(sbom('sbm_a', 'prd_001', '2025-03-02T00:00:00.000Z', 700), components('sbm_a', 'prd_001', refs));
    // Component 650 reuses an id already in the database. Earlier statements have written the
    // SBOM row and the first 500 components by the time the engine refuses the second batch.
    const bad = components('sbm_b', 'prd_001', refs);
    bad[650] = { ...bad[650]!, id: 'sbm_a:c7' };
    await expect(repo.insertSbom(sbom('sbm_b', 'prd_001', '2025-03-03T00:00:00.000Z', 700), bad)).rejects.toThrow(/unique|duplicate/i);
    expect(await repo.getSbom('sbm_b')).toBeUndefined();
    expect(await repo.sbomComponents('sbm_b')).toEqual([]);
    expect((await repo.latestSbom('prd_001'))?.id).toBe('sbm_a');
    expect(ids(await repo.componentsByKeys(['name:c1']))).toEqual(['sbm_a:c1']);
    expect(await repo.listSboms('prd_001')).toHaveLength(1);
  });

  it('rejects components of another product, SBOM or a repeated id, naming the component; nothing is stored', async () => {
    const s = sbom('sbm_a', 'prd_001', T0, 2);
    await expect(repo.insertSbom(s, [component('sbm_a', 'prd_001', 'a'), component('sbm_a', 'prd_002', 'b')])).rejects.toThrow(
      'component 1 (ref "b") belongs to product prd_002',
    );
    await expect(repo.insertSbom(s, [component('sbm_x', 'prd_001', 'a')])).rejects.toThrow('component 0 (ref "a") names SBOM sbm_x');
    await expect(repo.insertSbom(s, [component('sbm_a', 'prd_001', 'a'), component('sbm_a', 'prd_001', 'a')])).rejects.toThrow(
      'component 1 (ref "a") repeats id "sbm_a:a" of component 0',
    );
    await expect(repo.insertSbom(sbom('sbm_z', 'prd_missing', T0, 0), [])).rejects.toThrow('product prd_missing, which does not exist');
    expect(await repo.getSbom('sbm_a')).toBeUndefined();
    expect(await repo.getSbom('sbm_z')).toBeUndefined();
  });

  it('keeps only the latest SBOM live: productComponents and componentsByKeys ignore superseded versions', async () => {
    await repo.insertSbom(sbom('sbm_1', 'prd_001', '2025-03-02T00:00:00.000Z', 2), components('sbm_1', 'prd_001', ['openssl', 'zlib']));
    await repo.putProductComponent(selfComponent('prd_001', ['vendor:b_braun/pump_1']));
    await repo.insertSbom(sbom('sbm_2', 'prd_001', '2025-03-05T00:00:00.000Z', 2), components('sbm_2', 'prd_001', ['openssl', 'busybox']));
    await repo.insertSbom(sbom('sbm_other', 'prd_002', '2025-03-01T00:00:00.000Z', 1), components('sbm_other', 'prd_002', ['openssl']));

    expect(ids(await repo.productComponents('prd_001'))).toEqual(['sbm_2:openssl', 'sbm_2:busybox', 'prd_001#product']);
    expect(ids(await repo.componentsByKeys(['name:openssl']))).toEqual(['sbm_2:openssl', 'sbm_other:openssl']);
    expect(await repo.componentsByKeys(['name:zlib'])).toEqual([]);
    expect(ids(await repo.componentsByKeys(['vendor:b_braun/pump_1', 'name:busybox', 'purl:pkg:generic/busybox']))).toEqual(['prd_001#product', 'sbm_2:busybox']);
    // superseded SBOMs stay readable for history, with their keys
    expect((await repo.sbomComponents('sbm_1')).map((c) => c.keys)).toEqual([
      ['name:openssl', 'purl:pkg:generic/openssl'],
      ['name:zlib', 'purl:pkg:generic/zlib'],
    ]);
    expect(ids(await repo.listSboms('prd_001'))).toEqual(['sbm_2', 'sbm_1']);
    expect((await repo.latestSbom('prd_001'))?.id).toBe('sbm_2');
  });

  it('keeps a later-inserted SBOM with an older import time out of the live set; equal times go by id', async () => {
    await repo.insertSbom(sbom('sbm_m', 'prd_001', '2025-03-05T00:00:00.000Z', 1), components('sbm_m', 'prd_001', ['new']));
    await repo.insertSbom(sbom('sbm_z', 'prd_001', '2025-03-01T00:00:00.000Z', 1), components('sbm_z', 'prd_001', ['old']));
    expect((await repo.latestSbom('prd_001'))?.id).toBe('sbm_m');
    expect(await repo.componentsByKeys(['name:old'])).toEqual([]);
    await repo.insertSbom(sbom('sbm_a', 'prd_001', '2025-03-05T00:00:00.000Z', 1), components('sbm_a', 'prd_001', ['tie-low']));
    expect((await repo.latestSbom('prd_001'))?.id).toBe('sbm_m');
    await repo.insertSbom(sbom('sbm_n', 'prd_001', '2025-03-05T00:00:00.000Z', 1), components('sbm_n', 'prd_001', ['tie-high']));
    expect((await repo.latestSbom('prd_001'))?.id).toBe('sbm_n');
    expect(ids(await repo.productComponents('prd_001'))).toEqual(['sbm_n:tie-high']);
    expect(ids(await repo.componentsByKeys(['name:new', 'name:tie-low', 'name:tie-high']))).toEqual(['sbm_n:tie-high']);
  });

  it('replaces the product-self component and its keys', async () => {
    await repo.putProductComponent(selfComponent('prd_001', ['vendor:old']));
    await repo.putProductComponent({ ...selfComponent('prd_001', ['vendor:new', 'vendor:new']), name: 'Pump 1 firmware' });
    const live = await repo.productComponents('prd_001');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ id: 'prd_001#product', ref: '#product', name: 'Pump 1 firmware', keys: ['vendor:new'] });
    expect(live[0]!.sbomId).toBeUndefined();
    expect(await repo.componentsByKeys(['vendor:old'])).toEqual([]);
    expect(ids(await repo.componentsByKeys(['vendor:new']))).toEqual(['prd_001#product']);
  });

  it('looks up components by more keys than one statement binds, each component once', async () => {
    const refs = Array.from({ length: 1500 }, (_, i) => `lib${i}`);
    await repo.insertSbom(sbom('sbm_big', 'prd_001', T0, refs.length), components('sbm_big', 'prd_001', refs));
    const found = await repo.componentsByKeys([...refs.map((r) => `name:${r}`), ...refs.map((r) => `purl:pkg:generic/${r}`)]);
    expect(found).toHaveLength(1500);
    expect(new Set(ids(found)).size).toBe(1500);
    expect(await repo.componentsByKeys([])).toEqual([]);
  });

  it('round-trips Unicode, quotes, SQL metacharacters and U+0000 in component text and keys', async () => {
    const name = "libé🙂'; drop table vuln_components; --%_\\\u0000x";
    const c = component('sbm_u', 'prd_001', `ref-${name}`, { name, keys: [`name:${name}`, 'name:Ωmega'], componentKey: `key:${name}`, properties: [{ name: 'note', value: '"quoted"\n\ttab' }] });
    await repo.insertSbom(sbom('sbm_u', 'prd_001', T0, 1), [c]);
    const expected = { ...c, keys: [...c.keys].sort() };
    expect(await repo.sbomComponents('sbm_u')).toEqual([expected]);
    expect(await repo.componentsByKeys([`name:${name}`])).toEqual([expected]);
    expect(await repo.componentsByKeys(['name:libé🙂'])).toEqual([]);
    expect(await repo.productComponents('prd_001')).toEqual([expected]);
  });

  it('rolls back SBOM writes made inside a failed repository transaction', async () => {
    await expect(
      repo.transaction(async (store, executor) => {
        expect(executor).toBeDefined();
        await store.insertSbom(sbom('sbm_t', 'prd_001', T0, 1), components('sbm_t', 'prd_001', ['a']));
        expect((await store.latestSbom('prd_001'))?.id).toBe('sbm_t');
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await repo.getSbom('sbm_t')).toBeUndefined();
    expect(await repo.productComponents('prd_001')).toEqual([]);
  });
});
