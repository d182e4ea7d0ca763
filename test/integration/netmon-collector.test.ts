/**
 * The server's NetFlow/IPFIX collector end to end: real UDP datagrams on 127.0.0.1 are recorded per
 * window as a "netflow" capture with conversations, and the exporters' flows show on the map.
 */
import { createSocket } from 'node:dgram';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { auditServiceFor } from '../../src/audit/testing.js';
import { systemClock } from '../../src/core/index.js';
import { InventoryService } from '../../src/inventory/index.js';
import { startCollectorService, type RunningCollector } from '../../src/netmon/collector-service.js';
import { syntheticFlows, v5Packets } from '../../src/netmon/flowlogs/testing/flows.js';
import { NetmonService } from '../../src/netmon/service.js';
import type { DatabaseHandle } from '../../src/storage/index.js';
import { createAlertRepository } from '../../src/storage/repositories/alerts.js';
import { KyselyDeviceRepository } from '../../src/storage/repositories/devices.js';
import { createNetmonRepository } from '../../src/storage/repositories/netmon.js';
import { describeEachEngine } from '../../src/storage/testing/engines.js';

describeEachEngine('NetFlow collector service', (engine) => {
  let h: DatabaseHandle;
  let running: RunningCollector | undefined;
  beforeEach(async () => {
    h = await engine.open();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await h.close();
  });

  it('records a window of received NetFlow v5 flows as a capture with conversations', async () => {
    const audit = auditServiceFor(h);
    const inventory = new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock: systemClock });
    const alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: systemClock });
    const netmon = new NetmonService({ store: createNetmonRepository(h.db, h.dialect), inventory, alerts, clock: systemClock });
    running = await startCollectorService(netmon, { host: '127.0.0.1', port: 0, windowSeconds: 3600 }, systemClock);
    const now = Date.now();
    const flows = syntheticFlows(40, 3, now).filter((f) => !f.v6);
    const sock = createSocket('udp4');
    for (const p of v5Packets(flows, { exportMs: now })) await new Promise<void>((res, rej) => sock.send(p, running!.port, '127.0.0.1', (e) => (e ? rej(e) : res())));
    sock.close();
    // datagrams are asynchronous: flush until the window holds them
    for (let i = 0; i < 100 && (await netmon.captures(5)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      await running.flush();
    }
    const [capture] = await netmon.captures(5);
    expect(capture).toMatchObject({ kind: 'netflow' });
    expect(capture!.flows).toBeGreaterThan(0);
    const conv = await netmon.conversations({}, 500);
    expect(conv.length).toBeGreaterThan(0);
    const f = flows[0]!;
    expect(conv.some((c) => (c.client === f.src && c.server === f.dst) || (c.client === f.dst && c.server === f.src))).toBe(true);
    expect(await netmon.baseline('netflow')).toBeDefined(); // the next window resumes what this one learnt
  });
});
