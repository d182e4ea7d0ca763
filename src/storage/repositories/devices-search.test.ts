import { afterAll, beforeAll, expect, it } from 'vitest';
import { DomainError, fixedClock } from '../../core/index.js';
import {
  CRITICALITIES,
  DEVICE_SORT_FIELDS,
  InventoryService,
  LIFECYCLE_STATUSES,
  criticalityRank,
  type Device,
  type DeviceQuery,
  type DeviceReport,
  type DeviceSortField,
} from '../../inventory/index.js';
import { MemoryAuditRecorder, provenance, report, testActor } from '../../inventory/testing.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { KyselyDeviceRepository } from './devices.js';

const NAMES = ['Alpha', 'Bravo', 'charlie'];
const CATEGORIES = ['infusion-pump', 'ventilator', 'ct-scanner', 'printer'];
const MAKERS = ['GE Healthcare', 'Philips', 'Baxter'];
const UNITS = ['ICU', 'ER', 'Ward 5'];

/** 37 devices whose attributes cycle with different periods, so every sort has ties and every filter a mix. */
function fixture(): DeviceReport[] {
  return Array.from({ length: 37 }, (_, i) => {
    const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
    return report(
      {
        name: NAMES[i % 3],
        category: CATEGORIES[i % 4],
        manufacturer: MAKERS[i % 3],
        model: `M${i % 5}`,
        serialNumber: `FIX-${i}`,
        status: LIFECYCLE_STATUSES[i % 3],
        ...(i % 5 === 0 ? { criticality: CRITICALITIES[i % 5] } : {}),
        site: i % 2 ? 'North' : 'South',
        building: `B${i % 2 ? 1 : 2}`,
        unit: UNITS[i % 3],
      },
      provenance(i % 4 ? 'discovery:arp' : 'import:cmms.csv', `2024-03-${day}T00:00:00Z`, { kind: i % 4 ? 'discovery' : 'import' }),
      { macs: [`00:1a:2b:00:00:${i.toString(16).padStart(2, '0')}`] },
    );
  });
}

type Key = Array<string | number>;
function sortKey(d: Device, sort: DeviceSortField): Key {
  const name = d.name ?? '';
  switch (sort) {
    case 'name':
      return [name];
    case 'criticality':
      return [criticalityRank(d.criticality), name];
    case 'lastSeen':
      return [d.lastSeen];
    case 'firstSeen':
      return [d.firstSeen];
    default:
      return [d[sort] ?? '', name];
  }
}
const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};

describeEachEngine('device search contract', ({ open }) => {
  let handle: DatabaseHandle;
  let service: InventoryService;
  let all: Device[];

  async function collect(query: DeviceQuery): Promise<{ items: Device[]; totals: number[] }> {
    const items: Device[] = [];
    const totals: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await service.search({ ...query, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      totals.push(page.total);
      cursor = page.nextCursor;
      if (!cursor) return { items, totals };
    }
    throw new Error('pagination did not end');
  }

  beforeAll(async () => {
    handle = await open();
    service = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit: new MemoryAuditRecorder(), clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
    await service.applyReports(fixture(), testActor);
    all = (await service.search({ limit: 200 })).items;
  });
  afterAll(async () => handle?.close());

  it('returns every device exactly once across pages, in order, for every sort and direction', async () => {
    expect(all).toHaveLength(37);
    for (const sort of DEVICE_SORT_FIELDS) {
      for (const order of ['asc', 'desc'] as const) {
        const { items, totals } = await collect({ sort, order, limit: 4 });
        expect(new Set(items.map((d) => d.id)).size, `${sort} ${order}`).toBe(37);
        expect(items, `${sort} ${order}`).toHaveLength(37);
        expect(totals.every((t) => t === 37)).toBe(true);
        for (let i = 1; i < items.length; i++) {
          const c = compareKeys(sortKey(items[i - 1]!, sort), sortKey(items[i]!, sort));
          expect(order === 'asc' ? c <= 0 : c >= 0, `${sort} ${order} at ${i}`).toBe(true);
        }
      }
    }
  });

  it.each<[string, DeviceQuery, (d: Device) => boolean]>([
    ['category', { category: ['ventilator', 'printer'] }, (d) => d.category === 'ventilator' || d.category === 'printer'],
    ['category by name', { category: ['IV pump'] }, (d) => d.category === 'infusion-pump'],
    ['manufacturer alias', { manufacturer: ['GE Medical Systems'] }, (d) => d.manufacturer === 'GE Healthcare'],
    ['criticality', { criticality: ['life-sustaining', 'diagnostic'] }, (d) => d.criticality === 'life-sustaining' || d.criticality === 'diagnostic'],
    ['status', { status: ['maintenance'] }, (d) => d.status === 'maintenance'],
    ['site', { site: 'North' }, (d) => d.site === 'North'],
    ['building', { building: 'B2' }, (d) => d.building === 'B2'],
    ['unit', { unit: 'Ward 5' }, (d) => d.unit === 'Ward 5'],
    ['several fields', { category: ['infusion-pump', 'ventilator'], site: 'South', status: ['planned', 'in-service'] }, (d) => ['infusion-pump', 'ventilator'].includes(d.category!) && d.site === 'South' && ['planned', 'in-service'].includes(d.status!)],
  ])('filters by %s, with an exact total, across pages', async (_what, query, predicate) => {
    const expected = all.filter(predicate).map((d) => d.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    const { items, totals } = await collect({ ...query, limit: 3, sort: 'unit' });
    expect(items.map((d) => d.id).sort()).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([expected.length]));
  });

  it.each<[DeviceSortField, DeviceQuery, (d: Device) => boolean]>([
    ['category', { category: ['ventilator'] }, (d) => d.category === 'ventilator'],
    ['manufacturer', { manufacturer: ['Philips'] }, (d) => d.manufacturer === 'Philips'],
    ['criticality', { criticality: ['life-supporting'] }, (d) => d.criticality === 'life-supporting'],
    ['status', { status: ['planned'] }, (d) => d.status === 'planned'],
    ['unit', { unit: 'ER' }, (d) => d.unit === 'ER'],
  ])('pages exactly once through rows when the %s sort column is pinned by a filter', async (sort, query, predicate) => {
    for (const order of ['asc', 'desc'] as const) {
      const expected = all.filter(predicate);
      const { items } = await collect({ ...query, sort, order, limit: 2 });
      expect(items.map((d) => d.id).sort()).toEqual(expected.map((d) => d.id).sort());
      const names = items.map((d) => d.name ?? '');
      expect(names).toEqual([...names].sort((a, b) => (order === 'asc' ? compareKeys([a], [b]) : compareKeys([b], [a]))));
    }
  });

  it('counts facets under the other filters, each dimension ignoring its own selection', async () => {
    const facets = await service.facets({ category: ['ventilator'], site: 'North' });
    const count = (items: Device[], f: (d: Device) => string | undefined) => {
      const m = new Map<string, number>();
      for (const d of items) {
        const v = f(d);
        if (v) m.set(v, (m.get(v) ?? 0) + 1);
      }
      return m;
    };
    const asMap = (list: { value: string; count: number }[]) => new Map(list.map((f) => [f.value, f.count]));
    const north = all.filter((d) => d.site === 'North');
    const ventilators = all.filter((d) => d.category === 'ventilator');
    const both = north.filter((d) => d.category === 'ventilator');
    expect(asMap(facets.categories)).toEqual(count(north, (d) => d.category));
    expect(asMap(facets.sites)).toEqual(count(ventilators, (d) => d.site));
    expect(asMap(facets.manufacturers)).toEqual(count(both, (d) => d.manufacturer));
    expect(asMap(facets.criticalities)).toEqual(count(both, (d) => d.criticality));
    expect(asMap(facets.statuses)).toEqual(count(both, (d) => d.status));
    expect(asMap(facets.units)).toEqual(count(both, (d) => d.unit));
    const counts = facets.categories.map((f) => f.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('refuses a tampered cursor and a cursor issued for another sort', async () => {
    const page = await service.search({ limit: 2 });
    expect(page.nextCursor).toBeDefined();
    for (const [cursor, query] of [
      ['not a cursor!', {}],
      [Buffer.from('{"v":1,"s":"name","o":"asc","k":[1]}').toString('base64url'), {}],
      [page.nextCursor!, { sort: 'category' as const }],
      [page.nextCursor!, { order: 'desc' as const }],
    ] as const) {
      let error: unknown;
      try {
        await service.search({ ...query, cursor });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('device.invalid_cursor');
      expect((error as DomainError).status).toBe(400);
    }
  });
});

describeEachEngine('device text search contract', ({ open }) => {
  let handle: DatabaseHandle;
  let service: InventoryService;
  const ids = new Map<string, string>();
  const p = provenance('import:cmms.csv', '2024-04-01T00:00:00Z');

  beforeAll(async () => {
    handle = await open();
    service = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit: new MemoryAuditRecorder(), clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
    const out = await service.applyReports(
      [
        report({ name: 'Infusion Pump ICU-7', manufacturer: 'Baxter', model: 'Sigma Spectrum' }, p, { macs: ['00:1A:2B:3C:4D:5E'], ips: ['10.20.30.40'] }),
        report({ name: 'Pump ER-2', manufacturer: 'BD', model: 'Alaris 8015' }, p, { hostnames: ['alaris-er2.hospital.local'] }),
        report({ name: 'CT Room 1', category: 'CT' }, p, { aeTitles: ['CT_ROOM1'] }),
        report({ name: "x'; DROP TABLE devices; --y" }, p),
        report({ name: '50%_off' }, p),
        report({ name: '50 off' }, p),
        report({ name: '5000ff' }, p),
      ],
      testActor,
    );
    for (const o of out) ids.set(o.device.name!, o.device.id);
  });
  afterAll(async () => handle?.close());

  const names = async (text: string) => (await service.search({ text, limit: 200 })).items.map((d) => d.name).sort();

  it('requires every word, ignores case and searches across fields and network identities', async () => {
    expect(await names('pump')).toEqual(['Infusion Pump ICU-7', 'Pump ER-2']);
    expect(await names('PUMP icu')).toEqual(['Infusion Pump ICU-7']);
    expect(await names('sigma')).toEqual(['Infusion Pump ICU-7']);
    expect(await names('001a2b3c')).toEqual(['Infusion Pump ICU-7']);
    expect(await names('00:1a:2b')).toEqual(['Infusion Pump ICU-7']);
    expect(await names('10.20.30')).toEqual(['Infusion Pump ICU-7']);
    expect(await names('alaris-er2')).toEqual(['Pump ER-2']);
    expect(await names('ct_room1')).toEqual(['CT Room 1']);
    expect(await names('ct scanner')).toEqual(['CT Room 1']);
    expect(await names('pump nothing')).toEqual([]);
    expect((await service.search({ text: 'pump' })).total).toBe(2);
  });

  it('treats SQL metacharacters literally', async () => {
    expect(await names("'; DROP TABLE devices; --")).toEqual(["x'; DROP TABLE devices; --y"]);
    expect(await names('%_')).toEqual(['50%_off']);
    expect(await names('%')).toEqual(['50%_off']);
    expect(await names('0_o')).toEqual([]);
    expect(await names('"')).toEqual([]);
    expect((await service.search({ limit: 200 })).total).toBe(7);
  });

  it('keeps totals exact as devices are added and folded', async () => {
    expect((await service.search({ text: 'pump' })).total).toBe(2);
    await service.applyReports([report({ name: 'Syringe pump 3' }, p, { aeTitles: ['SYR_3'] })], testActor);
    expect((await service.search({ text: 'pump' })).total).toBe(3);
    const [fold] = await service.applyReports([report({}, p, { aeTitles: ['SYR_3', 'CT_ROOM1'] })], testActor);
    expect(fold!.mergedFrom).toHaveLength(1);
    expect((await service.search({ limit: 200 })).total).toBe(7);
  });
});
