/**
 * Flow logs run the baseline and flow rules: a Zeek conn.log with one host probing 80 ports of
 * another is ingested as a port scan alert, and the learnt baseline is stored for the next ingest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { auditServiceFor } from '../../src/audit/testing.js';
import { systemActor, systemClock } from '../../src/core/index.js';
import { InventoryService } from '../../src/inventory/index.js';
import { zeekHeader } from '../../src/netmon/flowlogs/testing/zeek-samples.js';
import { NetmonService } from '../../src/netmon/service.js';
import type { DatabaseHandle } from '../../src/storage/index.js';
import { createAlertRepository } from '../../src/storage/repositories/alerts.js';
import { KyselyDeviceRepository } from '../../src/storage/repositories/devices.js';
import { createNetmonRepository } from '../../src/storage/repositories/netmon.js';
import { describeEachEngine } from '../../src/storage/testing/engines.js';

describeEachEngine('flow log detections', (engine) => {
  let h: DatabaseHandle;
  let dir: string;
  beforeEach(async () => {
    h = await engine.open();
    dir = mkdtempSync(join(tmpdir(), 'cg-zeek-'));
  });
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises a port scan from conn.log records and stores the baseline', async () => {
    const audit = auditServiceFor(h);
    const alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: systemClock });
    const netmon = new NetmonService({ store: createNetmonRepository(h.db, h.dialect), inventory: new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock: systemClock }), alerts, clock: systemClock });
    const rows = Array.from({ length: 80 }, (_, i) =>
      [(1709287200 + i * 0.01).toFixed(6), `Cscan${i}`, '10.20.0.66', 40000 + i, '10.20.0.9', 1 + i, 'tcp', '-', '0.001000', 0, 0, 'REJ', 'T', 'T', 0, 'Sr', 1, 44, 1, 40, '(empty)', '-'].join('\t'),
    );
    const file = join(dir, 'conn.log');
    writeFileSync(file, [...zeekHeader(), ...rows, ''].join('\n'));
    const r = await netmon.ingest(file, { kind: 'flow-log', name: 'conn.log' }, systemActor('test'));
    const kinds = (r.report.detections ?? []).map((d) => d.rule);
    expect(kinds.some((k) => /scan/.test(k))).toBe(true);
    const raised = await alerts.list({ source: 'netmon', limit: 50 });
    expect(raised.items.some((a) => /scan/.test(a.category))).toBe(true);
    expect(await netmon.baseline('default')).toBeDefined();
    // the same detection summary a capture ingest reports: rule status, baseline window, engine stats
    expect(r.report.detection?.rules.length).toBeGreaterThan(0);
    expect(r.report.detection?.baseline.learnSeconds).toBe(86_400);
    expect(r.report.detection?.stats).toBeDefined();
  });
});
