import { afterEach, beforeEach, expect, it } from 'vitest';
import { DomainError, fixedClock } from '../../core/index.js';
import { InventoryService, MAX_BATCH, type DeviceReport } from '../../inventory/index.js';
import { MemoryAuditRecorder, provenance, report, testActor } from '../../inventory/testing.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { KyselyDeviceRepository } from './devices.js';
import { TEXT_SET_LIMIT } from './devices-search.js';

const T1 = '2024-04-01T00:00:00.000Z';
const T2 = '2024-05-01T00:00:00.000Z';
const cmms = provenance('import:cmms.csv', T1, { confidence: 0.9 });
const dicom = provenance('discovery:dicom', T2, { kind: 'discovery', confidence: 0.6 });

async function errorOf(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describeEachEngine('device repository contract', ({ open }) => {
  let handle: DatabaseHandle;
  let audit: MemoryAuditRecorder;
  let service: InventoryService;

  beforeEach(async () => {
    handle = await open();
    audit = new MemoryAuditRecorder();
    service = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
  });
  afterEach(async () => handle?.close());

  const revision = async () => Number((await handle.db.selectFrom('inventory_revision').select('revision').executeTakeFirstOrThrow()).revision);
  const deviceCount = async () => Number((await handle.db.selectFrom('devices').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const apply = (reports: DeviceReport[]) => service.applyReports(reports, testActor);

  it('creates a device and reads it back with provenance for every attribute it has', async () => {
    const [out] = await apply([report({ name: 'Pump 12', category: 'IV pump', manufacturer: 'Baxter', serialNumber: 'SN12', unit: 'ICU' }, cmms, { macs: ['00-1A-2B-3C-4D-5E'] })]);
    expect(out).toMatchObject({ created: true, mergedFrom: [], written: true });
    const device = await service.get(out!.device.id);
    expect(device).toMatchObject({ name: 'Pump 12', category: 'infusion-pump', manufacturer: 'Baxter', serialNumber: 'SN12', unit: 'ICU', criticality: 'life-supporting' });
    expect(device.network.macs).toEqual(['00:1a:2b:3c:4d:5e']);
    for (const attr of ['name', 'category', 'manufacturer', 'serialNumber', 'unit', 'network'] as const) expect(device.provenance[attr]).toEqual(cmms);
    expect(device.provenance.criticality?.kind).toBe('inferred');
    expect((await errorOf(service.get('dev_nope'))).status).toBe(404);
  });

  it('merges a second source reporting the same MAC into one device and keeps the provenance of both', async () => {
    const [first] = await apply([report({ name: 'Monitor 3', category: 'patient monitor', manufacturer: 'Philips', model: 'MX800' }, cmms, { macs: ['00:1a:2b:3c:4d:5e'] })]);
    const [second] = await apply([report({ model: 'MX850', firmwareVersion: 'M.00.03' }, dicom, { macs: ['00:1A:2B:3C:4D:5E'], ips: ['10.1.2.3'] })]);
    expect(second).toMatchObject({ created: false, changed: ['firmwareVersion'], networkChanged: true });
    expect(second!.device.id).toBe(first!.device.id);
    const device = await service.get(first!.device.id);
    expect(device.model).toBe('MX800'); // higher confidence import wins over discovery
    expect(device.provenance.model).toEqual(cmms);
    expect(device.provenance.firmwareVersion).toEqual(dicom);
    expect(device.sources).toEqual(['import:cmms.csv', 'discovery:dicom']);
    expect(device.network.ips).toEqual(['10.1.2.3']);
    expect(device.lastSeen).toBe(T2);
    expect(await deviceCount()).toBe(1);
  });

  it('merges by DICOM AE title regardless of space padding', async () => {
    const [ct] = await apply([report({ name: 'CT 1', category: 'CT' }, cmms, { aeTitles: ['CT_ROOM1'] })]);
    const [seen] = await apply([report({ softwareVersion: '27.0' }, dicom, { aeTitles: ['CT_ROOM1        '] })]);
    expect(seen!.device.id).toBe(ct!.device.id);
    expect((await service.get(ct!.device.id)).softwareVersion).toBe('27.0');
    const [other] = await apply([report({}, dicom, { aeTitles: ['ct_room1'] })]);
    expect(other!.created).toBe(true); // AE titles are case-sensitive
  });

  it('folds two existing devices that one report links, keeping provenance; the folded id is gone', async () => {
    const [a] = await apply([report({ name: 'CT 1', owner: 'Radiology', serialNumber: 'CT-0001', manufacturer: 'GE' }, cmms, { macs: ['00:11:22:33:44:55'] })]);
    const [b] = await apply([report({ model: 'Revolution' }, dicom, { aeTitles: ['CT_ROOM1'] })]);
    const [link] = await apply([report({}, provenance('discovery:arp', T2, { kind: 'discovery', confidence: 0.5 }), { macs: ['00:11:22:33:44:55'], aeTitles: ['CT_ROOM1'] })]);
    expect(link!.device.id).toBe(a!.device.id);
    expect(link!.mergedFrom).toEqual([b!.device.id]);
    expect(await deviceCount()).toBe(1);
    expect((await errorOf(service.get(b!.device.id))).status).toBe(404);
    const device = await service.get(a!.device.id);
    expect(device).toMatchObject({ name: 'CT 1', owner: 'Radiology', model: 'Revolution' });
    expect(device.provenance.owner).toEqual(cmms);
    expect(device.provenance.model).toEqual(dicom);
    expect(device.sources).toEqual(['import:cmms.csv', 'discovery:dicom', 'discovery:arp']);
    expect((await service.lookup('CT_ROOM1')).id).toBe(a!.device.id);
    expect(audit.events.at(-1)?.details).toMatchObject({ merged: [{ id: a!.device.id, mergedFrom: [b!.device.id] }] });
  });

  it('writes nothing when the same batch is applied twice', async () => {
    const batch = [
      report({ name: 'Vent 1', category: 'ventilator', serialNumber: 'V1', manufacturer: 'Dräger' }, cmms, { macs: ['00:11:22:33:44:01'] }),
      report({ name: 'Vent 2', category: 'ventilator', serialNumber: 'V2', manufacturer: 'Draeger' }, cmms, { macs: ['00:11:22:33:44:02'] }),
    ];
    const first = await apply(batch);
    const rev = await revision();
    const events = audit.events.length;
    const second = await apply(batch);
    expect(second.map((o) => [o.created, o.changed, o.written])).toEqual([
      [false, [], false],
      [false, [], false],
    ]);
    expect(await revision()).toBe(rev);
    expect(audit.events.length).toBe(events);
    for (const o of first) expect((await service.get(o.device.id)).updatedAt).toBe(o.device.updatedAt);
  });

  it('records one audit entry per batch inside the write transaction', async () => {
    const out = await apply([report({ name: 'A', serialNumber: 'A-1' }, cmms), report({ name: 'B', serialNumber: 'B-1' }, cmms)]);
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({ action: 'device.batch_upsert', targetType: 'device', details: { reports: 2, created: out.map((o) => o.device.id) } });
    expect(audit.executors[0]).toBeDefined();
    await apply([report({ name: 'A2', serialNumber: 'A-1' }, provenance('import:cmms.csv', T2, { confidence: 0.9 }))]);
    expect(audit.events[1]?.details).toMatchObject({ updated: [{ id: out[0]!.device.id, changed: ['name'] }] });
  });

  it('records a batch of more than 2,000 changed devices as several audit entries, each under the size limit', async () => {
    const reports = Array.from({ length: 2500 }, (_, i) => report({ name: `D${i}`, serialNumber: `SPLIT-${i}` }, cmms));
    const out = await apply(reports);
    expect(audit.events.map((e) => e.details)).toMatchObject([
      { reports: 2500, part: 1, parts: 2, created: out.slice(0, 2000).map((o) => o.device.id), updated: [], merged: [] },
      { reports: 2500, part: 2, parts: 2, created: out.slice(2000).map((o) => o.device.id) },
    ]);
    expect(audit.executors.every((x) => x === audit.executors[0])).toBe(true); // one transaction
  });

  it('rolls the device writes back when the audit entry cannot be recorded', async () => {
    const failing = new InventoryService({
      repo: new KyselyDeviceRepository(handle),
      audit: { record: async () => Promise.reject(new Error('audit store unavailable')) },
      clock: fixedClock('2024-06-01T00:00:00Z'),
    });
    await expect(failing.applyReports([report({ name: 'Lost', serialNumber: 'L-1' }, cmms)], testActor)).rejects.toThrow('audit store unavailable');
    expect(await deviceCount()).toBe(0);
    expect(await revision()).toBe(0);
  });

  it('keeps a manual edit against later imports and audits it with before and after', async () => {
    const [out] = await apply([report({ name: 'Pump', owner: 'Biomed', serialNumber: 'P-9' }, cmms)]);
    const id = out!.device.id;
    const edited = await service.update(id, { owner: 'Oncology', room: '4B' }, testActor);
    expect(edited.provenance.owner).toMatchObject({ kind: 'manual', confidence: 1, source: 'manual:user_test' });
    const entry = audit.events.at(-1)!;
    expect(entry).toMatchObject({ action: 'device.update', targetId: id, before: { owner: 'Biomed' }, after: { owner: 'Oncology', room: '4B' } });
    await apply([report({ owner: 'Biomed', serialNumber: 'P-9' }, provenance('import:cmms.csv', T2, { confidence: 1 }))]);
    expect((await service.get(id)).owner).toBe('Oncology');
    expect((await service.retire(id, testActor)).status).toBe('retired');
    expect((await service.update(id, { status: 'retired' }, testActor)).updatedAt).toBe((await service.get(id)).updatedAt);
  });

  it('applies batches larger than one statement, text-searches past the key-collection limit and reapplies as a no-op', async () => {
    const n = TEXT_SET_LIMIT + 300;
    const reports = Array.from({ length: n }, (_, i) =>
      report({ name: `Pump ${String(i).padStart(5, '0')}`, category: 'infusion pump', serialNumber: `BULK-${i}`, unit: `U${i % 7}` }, cmms, {
        macs: [`02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`],
      }),
    );
    const out = await apply(reports);
    expect(out.filter((o) => o.created)).toHaveLength(n);
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await service.search({ text: 'pump', limit: 200, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(n);
      for (const d of page.items) seen.add(d.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(n);
    const rev = await revision();
    const macOnly = reports.map((r) => report({}, r.provenance, r.network));
    expect((await apply(macOnly)).every((o) => !o.written && !o.created)).toBe(true);
    expect(await revision()).toBe(rev);
    expect(await deviceCount()).toBe(n);
  });

  it('refuses a batch over the size limit before touching the database', async () => {
    const big: DeviceReport[] = new Array<DeviceReport>(MAX_BATCH + 1).fill(report({ name: 'x' }, cmms));
    expect((await errorOf(apply(big))).code).toBe('device.batch_too_large');
    expect(await deviceCount()).toBe(0);
  });

  it('does not create one device twice when two batches for it run concurrently', async () => {
    const r = (source: string) => report({ name: 'Same' }, provenance(source, T1), { macs: ['00:aa:bb:cc:dd:ee'] });
    await Promise.all([apply([r('discovery:a')]), apply([r('discovery:b')]), apply([r('discovery:c')])]);
    expect(await deviceCount()).toBe(1);
  });

  it('looks devices up by id, serial, asset tag, MAC or AE title and reports an ambiguous reference', async () => {
    const [a] = await apply([report({ serialNumber: 'SER-1', assetTag: 'TAG-77' }, cmms, { macs: ['00:11:22:33:44:55'], aeTitles: ['US_1'] })]);
    for (const ref of [a!.device.id, 'ser-1', 'TAG-77', '00-11-22-33-44-55', 'US_1']) expect((await service.lookup(ref)).id).toBe(a!.device.id);
    await apply([report({ serialNumber: 'SER-1', manufacturer: 'Acme' }, cmms)]);
    await apply([report({ serialNumber: 'SER-1', manufacturer: 'Other' }, cmms)]);
    expect((await errorOf(service.lookup('SER-1'))).status).toBe(409);
    expect((await errorOf(service.lookup('nothing-here'))).status).toBe(404);
  });

  it('deletes a device with its identifiers', async () => {
    const [a] = await apply([report({ serialNumber: 'DEL-1' }, cmms, { macs: ['00:11:22:33:44:66'] })]);
    await service.delete(a!.device.id, testActor);
    expect((await errorOf(service.get(a!.device.id))).status).toBe(404);
    expect(Number((await handle.db.selectFrom('device_identifiers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    const [again] = await apply([report({}, cmms, { macs: ['00:11:22:33:44:66'] })]);
    expect(again!.created).toBe(true);
    expect(audit.events.find((e) => e.action === 'device.delete')).toMatchObject({ targetId: a!.device.id });
  });
});
