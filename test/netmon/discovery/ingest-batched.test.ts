/**
 * `ingestReport` writes in batches (one address lookup for the endpoints without a merge key,
 * alerts through raiseMany): on a generated capture with hundreds of address-only devices, the
 * batch size changes nothing, re-ingest creates nothing, and the earlier device of an address is
 * found by the address itself, however many other devices mention it in their text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { generateCapture } from '../../../scripts/gen-capture.js';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, generateSigningKey } from '../../../src/audit/index.js';
import { systemClock } from '../../../src/core/index.js';
import { InventoryService } from '../../../src/inventory/index.js';
import { ingestReport } from '../../../src/netmon/ingest.js';
import { analyzeCapture, type NetmonReport } from '../../../src/netmon/report.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';

const actor = { kind: 'user' as const, id: 'user_netmon_test', name: 'tester', role: 'admin' };
let dir: string;
let report: NetmonReport;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'netmon-ingest-batched-'));
  const file = path.join(dir, 'generated.pcap');
  await generateCapture({ out: file, sizeMb: 3, seed: 11 });
  report = await analyzeCapture(file, {});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEachEngine('netmon ingest in batches', ({ open }) => {
  const handles: DatabaseHandle[] = [];
  const world = async () => {
    const h = await open();
    handles.push(h);
    const audit = new AuditService({ repo: createAuditRepository(h.db, h.dialect), signingKey: generateSigningKey(), clock: systemClock });
    return { audit, inventory: new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock: systemClock }), alerts: new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: systemClock }) };
  };
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
  });

  it('gives the same devices, alerts and alert audit entries whatever the batch size, and re-ingest creates nothing', async () => {
    const addressOnly = report.devices.filter((d) => d.reportable && !d.hasMergeKey);
    expect(addressOnly.length).toBeGreaterThan(100);
    const small = await world();
    const large = await world();
    const a = await ingestReport(report, small, actor, { batchSize: 7 });
    const b = await ingestReport(report, large, actor);
    expect(a.devices).toEqual(b.devices);
    expect(a.alerts).toEqual(b.alerts);
    expect(a.alerts.created).toBeGreaterThan(0);
    // the inventory audits one entry per batch; the alerts one per creation or escalation, as raise() would (device ids are random)
    const actions = async (w: typeof small) => (await w.audit.list({ order: 'asc', limit: 1000 })).items.filter((e) => e.action.startsWith('alert.')).map((e) => [e.action, { ...(e.after as object), deviceId: undefined, dedupKey: undefined }]);
    expect(await actions(small)).toEqual(await actions(large));
    const alertView = async (w: typeof small) => (await w.alerts.list({ limit: 500 })).items.map((x) => [x.title, x.count, x.severity]).sort();
    expect(await alertView(small)).toEqual(await alertView(large));

    const again = await ingestReport(report, small, actor, { batchSize: 7 });
    expect(again.devices).toMatchObject({ reported: a.devices.reported, created: 0 });
    expect(again.alerts).toEqual({ created: 0, folded: a.alerts.created + a.alerts.folded });
    expect(again.deviceIds).toEqual(a.deviceIds);
    expect(await small.inventory.count()).toBe(a.devices.created);
  });

  it('finds the device an earlier ingest made for an address even when over 100 other devices mention that address', async () => {
    const w = await world();
    const first = await ingestReport(report, w, actor);
    const target = report.devices.find((d) => d.reportable && !d.hasMergeKey && d.ips.length === 1)!;
    const ip = target.ips[0]!;
    // Devices without the address whose names contain it, sorting before any discovered name:
    // a text search for the address fills its page with these.
    const decoys = Array.from({ length: 120 }, (_, i) => ({
      attributes: { name: `0000 decoy ${String(i).padStart(3, '0')} near ${ip}` },
      network: {},
      provenance: { source: 'import:decoys.csv', kind: 'import' as const, confidence: 0.9, observedAt: '2026-01-01T00:00:00.000Z' },
    }));
    await w.inventory.applyReports(decoys, actor);
    const before = await w.inventory.count();
    const again = await ingestReport(report, w, actor);
    expect(again.devices.created).toBe(0);
    expect(again.deviceIds[target.key]).toBe(first.deviceIds[target.key]);
    expect(await w.inventory.count()).toBe(before);
  });
});
