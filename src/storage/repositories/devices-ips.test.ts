import { afterEach, beforeEach, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { InventoryService, type DeviceReport } from '../../inventory/index.js';
import { MemoryAuditRecorder, provenance, report, testActor } from '../../inventory/testing.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { KyselyDeviceRepository } from './devices.js';
import { IP_LOOKUP_CHUNK } from './devices-write.js';

const seen = provenance('discovery:netmon', '2024-04-01T00:00:00.000Z', { kind: 'discovery', confidence: 0.6 });

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

  it('returns the devices holding any of the addresses, exactly (not as a substring), ordered by id', async () => {
    const [a, b, c, d] = await create([
      report({ name: 'pump a' }, seen, { ips: ['10.0.0.1'] }),
      report({ name: 'pump b' }, seen, { ips: ['10.0.0.10', '192.168.1.7'] }),
      report({ name: 'pump c' }, seen, { ips: ['110.0.0.1'] }),
      report({ name: 'pump d' }, seen, { ips: ['10.0.0.1', '10.9.9.9'] }),
    ]);
    const ids = async (ips: string[]) => (await repo.findByIps(ips)).map((dev) => dev.id);
    expect(await ids(['10.0.0.1'])).toEqual([a, d].sort());
    expect(await ids(['192.168.1.7', '10.9.9.9', '10.0.0.1'])).toEqual([a, b, d].sort());
    expect(await ids(['10.0.0'])).toEqual([]);
    expect(await ids([])).toEqual([]);
    expect(c).toBeDefined();
    // whole devices come back, as get() reads them
    const [first] = await repo.findByIps(['110.0.0.1']);
    expect(first).toEqual(await service.get(c!));
  });

  it('looks up more addresses than one statement takes, and lists a device matched in two chunks once', async () => {
    const n = IP_LOOKUP_CHUNK * 2 + 5;
    const ips = Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 65536) % 256}.${Math.floor(i / 256) % 256}.${i % 256}`);
    const ids = await create([
      report({ name: 'first chunk' }, seen, { ips: [ips[3]!] }),
      report({ name: 'last chunk' }, seen, { ips: [ips[n - 1]!] }),
      // one address in the first chunk, one in the third
      report({ name: 'both' }, seen, { ips: [ips[10]!, ips[n - 2]!] }),
      report({ name: 'elsewhere' }, seen, { ips: ['172.16.0.1'] }),
    ]);
    const found = await repo.findByIps(ips);
    expect(found.map((d) => d.name)).toEqual(
      ids
        .slice(0, 3)
        .map((id, i) => ({ id, name: ['first chunk', 'last chunk', 'both'][i] }))
        .sort((x, y) => (x.id < y.id ? -1 : 1))
        .map((x) => x.name),
    );
  });
});
