/**
 * An ingest keeps a bounded sample of its observations with the capture record (both engines):
 * every observation the report counted is either in a stored group's total or counted as dropped,
 * no group keeps more than its share, and the service pages through them all with its cursor.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { AlertService } from '../../alerts/index.js';
import { auditServiceFor } from '../../audit/testing.js';
import { systemActor, systemClock } from '../../core/index.js';
import { InventoryService } from '../../inventory/index.js';
import { PcapWriter, concatBytes } from '../../netmon/capture/testing/pcap-writer.js';
import { syntheticPackets } from '../../netmon/capture/testing/synthetic-capture.js';
import type { ObservationSampleStats } from '../../netmon/observation-sample.js';
import type { StoredObservation } from '../../netmon/ports.js';
import { NetmonService, type NetmonServiceDeps } from '../../netmon/service.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createAlertRepository } from './alerts.js';
import { KyselyDeviceRepository } from './devices.js';
import { createNetmonRepository } from './netmon.js';

let dir = '';
let file = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-obs-'));
  file = join(dir, 'synthetic.pcap');
  const w = new PcapWriter({ snaplen: 262144 });
  const parts = [w.header()];
  let n = 0;
  for (const p of syntheticPackets({ seed: 3, concurrency: 16 })) {
    parts.push(w.record({ ts: p.ts, data: p.data }));
    if (++n >= 12_000) break;
  }
  await writeFile(file, concatBytes(parts));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const groupKey = (o: StoredObservation) => [o.kind, o.flow?.client.ip ?? '', o.flow?.server.ip ?? '', o.flow?.server.port ?? ''].join(' ');

describeEachEngine('netmon ingest stores observations', (engine) => {
  let h: DatabaseHandle;
  beforeEach(async () => {
    h = await engine.open();
  });
  afterEach(async () => {
    await h.close();
  });

  const service = (observations: NetmonServiceDeps['observations']) => {
    const audit = auditServiceFor(h);
    return new NetmonService({
      store: createNetmonRepository(h.db, h.dialect),
      inventory: new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock: systemClock }),
      alerts: new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: systemClock }),
      clock: systemClock,
      ...(observations ? { observations } : {}),
    });
  };

  async function allOf(netmon: NetmonService, captureId: string): Promise<StoredObservation[]> {
    const out: StoredObservation[] = [];
    let cursor: string | undefined;
    do {
      const page = await netmon.observations({ captureId, limit: 500, ...(cursor ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  it('stores the first few of each group with group totals that add up to the report', async () => {
    const netmon = service({ perGroup: 3 });
    const r = await netmon.ingest(file, { name: 'synthetic.pcap', baseline: null }, systemActor('test'));
    const seen = r.report.capture.observations;
    expect(seen).toBeGreaterThan(100);
    const stats = (await netmon.capture(r.captureId)).summary.observations as ObservationSampleStats;
    const rows = await allOf(netmon, r.captureId);
    expect(stats).toMatchObject({ seen, stored: rows.length, dropped: 0, perGroup: 3 });
    expect(rows.reduce((a, o) => a + (o.groupCount ?? 0), 0)).toBe(seen);
    const groups = new Map<string, StoredObservation[]>();
    for (const o of rows) groups.set(groupKey(o), [...(groups.get(groupKey(o)) ?? []), o]);
    expect(groups.size).toBe(stats.groups);
    for (const members of groups.values()) {
      expect(members.length).toBeLessThanOrEqual(3);
      expect(members.filter((o) => o.groupCount !== undefined)).toHaveLength(1);
    }
    expect(new Set(rows.map((o) => o.id)).size).toBe(rows.length);
    expect(rows.map((o) => o.ts)).toEqual([...rows.map((o) => o.ts)].sort());
  });

  it('counts the observations of groups past the hard cap as dropped in the capture summary', async () => {
    const netmon = service({ perGroup: 2, maxStored: 5 });
    const r = await netmon.ingest(file, { name: 'synthetic.pcap', baseline: null }, systemActor('test'));
    const stats = (await netmon.capture(r.captureId)).summary.observations as ObservationSampleStats;
    const rows = await allOf(netmon, r.captureId);
    expect(rows).toHaveLength(5);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(rows.reduce((a, o) => a + (o.groupCount ?? 0), 0) + stats.dropped).toBe(r.report.capture.observations);
  });
});
