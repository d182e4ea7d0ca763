import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, systemActor } from '../../core/index.js';
import { writeDemoCsv } from '../../inventory/demo/index.js';
import { ImportService } from '../../inventory/import/index.js';
import { InventoryService, type DeviceReport } from '../../inventory/index.js';
import { MemoryAuditRecorder, provenance, report, testActor } from '../../inventory/testing.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { KyselyDeviceRepository } from './devices.js';
import { decodeDevice } from './devices-doc.js';
import { IP_LOOKUP_CHUNK, diffDeviceIps, ipLookupForms } from './devices-ips.js';

const seen = provenance('discovery:netmon', '2024-04-01T00:00:00.000Z', { kind: 'discovery', confidence: 0.6 });
const later = provenance('discovery:netmon', '2024-05-01T00:00:00.000Z', { kind: 'discovery', confidence: 0.6 });

const dir = mkdtempSync(join(tmpdir(), 'cg-devices-ips-'));
const csv = join(dir, 'hospital.csv');
const CSV_ROWS = 700;
beforeAll(() => writeDemoCsv(csv, { seed: 11, count: CSV_ROWS }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The address index as stored, as sorted "ip device" strings. */
async function indexRows(handle: DatabaseHandle): Promise<string[]> {
  const rows = await handle.db.selectFrom('device_ips').select(['ip', 'device_id']).execute();
  return rows.map((r) => `${r.ip} ${r.device_id}`).sort();
}

/** What the index must hold: every distinct address of every stored document, with its device. */
async function rowsFromDocuments(handle: DatabaseHandle): Promise<string[]> {
  const docs = await sql<{ doc: string }>`select doc from device_docs`.execute(handle.db);
  const out: string[] = [];
  for (const { doc } of docs.rows) {
    const d = decodeDevice(doc);
    for (const ip of new Set(d.network.ips)) out.push(`${ip} ${d.id}`);
  }
  return out.sort();
}

describeEachEngine('device repository: findByIps', ({ open }) => {
  let handle: DatabaseHandle;
  let repo: KyselyDeviceRepository;
  let service: InventoryService;

  beforeEach(async () => {
    handle = await open();
    repo = new KyselyDeviceRepository(handle);
    service = new InventoryService({ repo, audit: new MemoryAuditRecorder(), clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
  });
  afterEach(async () => handle?.close());

  const create = async (reports: DeviceReport[]) => (await service.applyReports(reports, testActor)).map((o) => o.device.id);
  const ids = async (ips: string[]) => (await repo.findByIps(ips)).map((dev) => dev.id);
  /** Asserts the index holds exactly the addresses the documents list; returns its rows. */
  const expectIndexInStep = async () => {
    const rows = await indexRows(handle);
    expect(rows).toEqual(await rowsFromDocuments(handle));
    return rows;
  };

  it('returns the devices holding any of the addresses, exactly (not as a substring), ordered by id', async () => {
    const [a, b, c, d] = await create([
      report({ name: 'pump a' }, seen, { ips: ['10.0.0.1'] }),
      report({ name: 'pump b' }, seen, { ips: ['10.0.0.10', '192.168.1.7'] }),
      report({ name: 'pump c' }, seen, { ips: ['110.0.0.1'] }),
      report({ name: 'pump d' }, seen, { ips: ['10.0.0.1', '10.9.9.9'] }),
    ]);
    expect(await ids(['10.0.0.1'])).toEqual([a, d].sort());
    expect(await ids(['192.168.1.7', '10.9.9.9', '10.0.0.1'])).toEqual([a, b, d].sort());
    expect(await ids(['10.0.0'])).toEqual([]);
    expect(await ids([])).toEqual([]);
    expect(c).toBeDefined();
    // whole devices come back, as get() reads them
    const [first] = await repo.findByIps(['110.0.0.1']);
    expect(first).toEqual(await service.get(c!));
    expect(await expectIndexInStep()).toHaveLength(6);
  });

  it('looks up more addresses than one statement takes, and lists a device matched in two chunks once', async () => {
    const n = IP_LOOKUP_CHUNK * 2 + 5;
    const ips = Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}`);
    const created = await create([
      report({ name: 'first chunk' }, seen, { ips: [ips[3]!] }),
      report({ name: 'last chunk' }, seen, { ips: [ips[n - 1]!] }),
      // one address in the first chunk, one in the third
      report({ name: 'both' }, seen, { ips: [ips[10]!, ips[n - 2]!] }),
      report({ name: 'elsewhere' }, seen, { ips: ['172.16.0.1'] }),
    ]);
    const found = await repo.findByIps(ips);
    expect(found.map((d) => d.name)).toEqual(
      created
        .slice(0, 3)
        .map((id, i) => ({ id, name: ['first chunk', 'last chunk', 'both'][i] }))
        .sort((x, y) => (x.id < y.id ? -1 : 1))
        .map((x) => x.name),
    );
  });

  it('finds a device by an address a later report added, and no longer by addresses a manual edit removed', async () => {
    const [pump] = await create([report({ name: 'pump' }, seen, { macs: ['00:09:fb:00:00:01'], ips: ['10.1.0.1'] })]);
    const [again] = await create([report({}, later, { macs: ['00:09:fb:00:00:01'], ips: ['10.1.0.2'] })]);
    expect(again).toBe(pump);
    expect(await ids(['10.1.0.2'])).toEqual([pump]);
    expect(await ids(['10.1.0.1'])).toEqual([pump]);
    expect(await expectIndexInStep()).toEqual([`10.1.0.1 ${pump}`, `10.1.0.2 ${pump}`]);

    await service.update(pump!, { network: { ips: ['10.1.0.2', '10.1.0.3'] } }, testActor);
    expect(await ids(['10.1.0.1'])).toEqual([]);
    expect(await ids(['10.1.0.2', '10.1.0.3'])).toEqual([pump]);
    expect(await expectIndexInStep()).toEqual([`10.1.0.2 ${pump}`, `10.1.0.3 ${pump}`]);

    await service.update(pump!, { network: { ips: [] } }, testActor);
    expect(await ids(['10.1.0.1', '10.1.0.2', '10.1.0.3'])).toEqual([]);
    expect(await indexRows(handle)).toEqual([]);
  });

  it('finds both devices at an address they share; taking it from one leaves the other', async () => {
    const [a, b] = await create([
      report({ name: 'monitor a' }, seen, { macs: ['00:09:fb:00:00:0a'], ips: ['10.2.0.1', '10.2.0.2'] }),
      report({ name: 'monitor b' }, seen, { macs: ['00:09:fb:00:00:0b'], ips: ['10.2.0.1'] }),
    ]);
    expect(await ids(['10.2.0.1'])).toEqual([a, b].sort());
    await service.update(a!, { network: { ips: ['10.2.0.2'] } }, testActor);
    expect(await ids(['10.2.0.1'])).toEqual([b]);
    expect(await ids(['10.2.0.2'])).toEqual([a]);
    await expectIndexInStep();
  });

  it('leaves no rows for a deleted device, and its shared address still finds the other device', async () => {
    const [a, b] = await create([report({ name: 'gone' }, seen, { macs: ['00:09:fb:00:00:0c'], ips: ['10.3.0.1', '10.3.0.2'] }), report({ name: 'stays' }, seen, { macs: ['00:09:fb:00:00:0d'], ips: ['10.3.0.2'] })]);
    await service.delete(a!, testActor);
    expect(await ids(['10.3.0.1'])).toEqual([]);
    expect(await ids(['10.3.0.1', '10.3.0.2'])).toEqual([b]);
    expect(await expectIndexInStep()).toEqual([`10.3.0.2 ${b}`]);
  });

  it('moves the addresses of a device folded into another to the survivor, in one batch with other writes', async () => {
    const [ct, folded, other] = await create([
      report({ name: 'CT 1', serialNumber: 'CT-0001', manufacturer: 'GE' }, seen, { macs: ['00:11:22:33:44:55'], ips: ['10.4.0.1'] }),
      report({ name: 'CT console' }, seen, { aeTitles: ['CT_ROOM1'], ips: ['10.4.0.2', '10.4.0.3'] }),
      report({ name: 'other' }, seen, { macs: ['00:11:22:33:44:66'], ips: ['10.4.0.3'] }),
    ]);
    const outcomes = await service.applyReports(
      [report({}, later, { macs: ['00:11:22:33:44:55'], aeTitles: ['CT_ROOM1'], ips: ['10.4.0.4'] }), report({ name: 'new' }, later, { ips: ['10.4.0.5'] })],
      testActor,
    );
    expect(outcomes[0]).toMatchObject({ mergedFrom: [folded] });
    expect(outcomes[0]!.device.id).toBe(ct);
    expect(await ids(['10.4.0.1'])).toEqual([ct]);
    expect(await ids(['10.4.0.2'])).toEqual([ct]);
    expect(await ids(['10.4.0.3'])).toEqual([ct, other].sort());
    expect(await ids(['10.4.0.4', '10.4.0.5'])).toEqual([ct, outcomes[1]!.device.id].sort());
    const rows = await expectIndexInStep();
    expect(rows.filter((r) => r.endsWith(` ${folded}`))).toEqual([]);
  });

  it('keeps the index in step for writes of devices the unit of work did not read (from their stored documents)', async () => {
    const [a, b] = await create([report({ name: 'a' }, seen, { ips: ['10.6.0.1', '10.6.0.2'] }), report({ name: 'b' }, seen, { ips: ['10.6.0.3'] })]);
    const device = (await repo.get(a!))!;
    await repo.transaction((uow) => uow.apply([{ device: { ...device, network: { ...device.network, ips: ['10.6.0.2', '10.6.0.9'] } }, created: false, addKeys: [], removeKeys: [] }], [{ id: b!, keys: [] }]));
    expect(await ids(['10.6.0.1', '10.6.0.3'])).toEqual([]);
    expect(await ids(['10.6.0.9'])).toEqual([a]);
    expect(await expectIndexInStep()).toEqual([`10.6.0.2 ${a}`, `10.6.0.9 ${a}`]);
  });

  it('keeps the index in step over several writes in one unit of work, also when the caller changed the device it read', async () => {
    const [a] = await create([report({ name: 'a' }, seen, { ips: ['10.7.0.1'] })]);
    await repo.transaction(async (uow) => {
      const read = (await uow.getMany([a!])).get(a!)!;
      const first = { ...read, network: { ...read.network, ips: ['10.7.0.2'] } };
      await uow.apply([{ device: first, created: false, addKeys: [], removeKeys: [] }], []);
      await uow.apply([{ device: { ...first, network: { ...first.network, ips: ['10.7.0.3'] } }, created: false, addKeys: [], removeKeys: [] }], []);
    });
    expect(await expectIndexInStep()).toEqual([`10.7.0.3 ${a}`]);
    await repo.transaction(async (uow) => {
      const read = (await uow.getMany([a!])).get(a!)!;
      read.network.ips.push('10.7.0.4'); // changed in place, as a merge may do
      await uow.apply([{ device: read, created: false, addKeys: [], removeKeys: [] }], []);
    });
    expect(await ids(['10.7.0.4'])).toEqual([a]);
    expect(await expectIndexInStep()).toEqual([`10.7.0.3 ${a}`, `10.7.0.4 ${a}`]);
  });

  it('finds an IPv6 address stored in canonical form by any spelling of it, and bad input by nothing', async () => {
    const [v6, v4] = await create([report({ name: 'v6' }, seen, { ips: ['2001:DB8:0:0:0:0:0:1'] }), report({ name: 'v4' }, seen, { ips: ['10.5.0.1'] })]);
    expect((await service.get(v6!)).network.ips).toEqual(['2001:db8::1']);
    for (const spelling of ['2001:db8::1', '2001:0DB8::0:1', '[2001:db8::1]', ' 2001:db8:0:0::1 ']) expect(await ids([spelling])).toEqual([v6]);
    expect(await ids(['2001:db8::2'])).toEqual([]);
    expect(await ids([' 10.5.0.1'])).toEqual([v4]);
    // leading zeros are not an address the inventory accepts (some parsers read them as octal)
    for (const bad of ['010.5.0.1', '10.5.0', '', 'not an address', '2001:db8::1%eth0']) expect(await ids([bad])).toEqual([]);
    expect(await expectIndexInStep()).toEqual([`10.5.0.1 ${v4}`, `2001:db8::1 ${v6}`].sort());
  });

  it('indexes every address of an import that runs as a bulk load, and those a later discovery batch adds', async () => {
    const clock = fixedClock('2025-05-01T10:00:00.000Z', 1);
    let bulkLoads = 0;
    const sink = {
      applyReports: service.applyReports.bind(service),
      applyNormalizedReports: service.applyNormalizedReports.bind(service),
      count: () => service.count(),
      beginBulkLoad: () => (bulkLoads++, service.beginBulkLoad()),
      endBulkLoad: () => service.endBulkLoad(),
    };
    const imports = new ImportService({ inventory: sink, clock, bulkLoad: { minRows: 300, minCreatedShare: 0.5 } });
    const result = await imports.importFile(csv, { batchSize: 200 }, systemActor('ips-test'));
    expect(result).toMatchObject({ rowsRead: CSV_ROWS, created: CSV_ROWS });
    expect(bulkLoads).toBe(1);
    const rows = await expectIndexInStep();
    expect(rows.length).toBeGreaterThan(CSV_ROWS / 2);
    // every indexed address finds exactly the devices the documents list it under
    const byIp = new Map<string, string[]>();
    for (const r of rows) {
      const [ip, id] = r.split(' ') as [string, string];
      byIp.set(ip, [...(byIp.get(ip) ?? []), id]);
    }
    const sample = [...byIp.keys()].filter((_, i) => i % 7 === 0);
    expect(await ids(sample)).toEqual([...new Set(sample.flatMap((ip) => byIp.get(ip)!))].sort());

    // a discovery pass over the same devices (by MAC) gives each a second address: one batch of updates
    const devices = (await repo.findByIps([...byIp.keys()])).filter((d) => d.network.macs.length > 0).slice(0, 150);
    const reports = devices.map((d, i) => report({}, later, { macs: [d.network.macs[0]!], ips: [`172.31.${i >> 8}.${i & 255}`] }));
    const outcomes = await service.applyReports(reports, testActor);
    expect(outcomes.every((o, i) => o.device.id === devices[i]!.id)).toBe(true);
    await expectIndexInStep();
    expect(await ids(['172.31.0.0', '172.31.0.149'])).toEqual([devices[0]!.id, devices[149]!.id].sort());
  });
});

describe('ipLookupForms', () => {
  it('looks up each address as given and in canonical form, once each', () => {
    expect(ipLookupForms(['10.0.0.1', '2001:DB8::1', '[::1]', '10.0.0.1', 'junk'])).toEqual(['10.0.0.1', '2001:DB8::1', '2001:db8::1', '[::1]', '::1', 'junk']);
    expect(ipLookupForms([])).toEqual([]);
  });
});

describe('diffDeviceIps', () => {
  it('drops the addresses a device lost, adds those it gained, drops all of a removed device, and sorts by (ip, device)', () => {
    const before = new Map([
      ['dev_b', ['10.0.0.2', '10.0.0.1']],
      ['dev_gone', ['10.0.0.9', '10.0.0.1']],
      ['dev_untouched', ['10.0.0.7']],
    ]);
    const after = new Map<string, readonly string[]>([
      ['dev_b', ['10.0.0.3', '10.0.0.1', '10.0.0.3']],
      ['dev_gone', []],
      ['dev_new', ['10.0.0.1']],
    ]);
    expect(diffDeviceIps(before, after)).toEqual({
      drop: [
        ['10.0.0.1', 'dev_gone'],
        ['10.0.0.2', 'dev_b'],
        ['10.0.0.9', 'dev_gone'],
      ],
      add: [
        ['10.0.0.1', 'dev_new'],
        ['10.0.0.3', 'dev_b'],
      ],
    });
  });
});
