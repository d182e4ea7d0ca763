/**
 * `ingestCapture` against real storage (SQLite and PostgreSQL), with the services wired as the
 * composition root wires them: devices discovered from the shared captures land in the inventory,
 * re-ingesting creates nothing new, imported devices are enriched, and alerts fold by dedup key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, loadOrCreateSigningKey } from '../../../src/audit/index.js';
import { systemClock } from '../../../src/core/index.js';
import { InventoryService } from '../../../src/inventory/index.js';
import { ingestCapture } from '../../../src/netmon/ingest.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';
import { inCi, missingSharedCaptures, pcap } from './support.js';

const CAPTURES = ['dicom-dcmtk-loopback.pcap', 'hl7.pcap', 'mqtt.pcap'];
const missing = missingSharedCaptures(CAPTURES);
if (missing.length > 0 && !inCi) console.warn(`skipping netmon ingest tests: missing ${missing.join(', ')}`);
const actor = { kind: 'user' as const, id: 'user_netmon_test', name: 'tester', role: 'admin' };

describeEachEngine('netmon ingest', ({ open }) => {
  let handle: DatabaseHandle;
  let inventory: InventoryService;
  let alerts: AlertService;

  beforeEach(async () => {
    if (missing.length > 0 && inCi) throw new Error(`CI requires ${missing.join(', ')}`);
    handle = await open();
    const audit = new AuditService({ repo: createAuditRepository(handle.db, handle.dialect), signingKey: loadOrCreateSigningKey({ dataDir: mkdtempSync(path.join(tmpdir(), 'netmon-ingest-')) }), clock: systemClock });
    inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock: systemClock });
    alerts = new AlertService({ repo: createAlertRepository(handle.db, handle.dialect), audit, clock: systemClock });
  });
  afterEach(async () => {
    await handle?.close();
  });
  const run = (name: string) => ingestCapture(pcap(name), { inventory, alerts }, actor);
  const all = async () => (await inventory.search({ limit: 200 })).items;

  it.skipIf(missing.length > 0 && !inCi)('creates devices from a loopback DICOM capture by IP and AE title, and re-ingest creates no duplicates', async () => {
    const first = await run('dicom-dcmtk-loopback.pcap');
    expect(first.devices).toMatchObject({ reported: 2, created: 2 });
    const devices = await all();
    expect(devices.map((d) => d.network.aeTitles.sort())).toEqual(expect.arrayContaining([['MODALITY1'], ['STORESCP', 'WRONG_AE']]));
    const pacs = devices.find((d) => d.network.aeTitles.includes('STORESCP'));
    expect(pacs).toMatchObject({ category: 'pacs', softwareVersion: 'dcmtk 3.6.7', network: { ips: ['127.0.0.1'], macs: [] } });
    expect(pacs?.provenance.category).toMatchObject({ source: 'discovery:' + pcap('dicom-dcmtk-loopback.pcap'), kind: 'discovery', confidence: 0.8 });

    const second = await run('dicom-dcmtk-loopback.pcap');
    expect(second.devices).toMatchObject({ reported: 2, created: 0 });
    expect(await all()).toHaveLength(2);
    expect(second.deviceIds).toEqual(first.deviceIds);
  });

  it.skipIf(missing.length > 0 && !inCi)('raises one alert per finding code and device, folding re-ingests into it', async () => {
    const first = await run('mqtt.pcap');
    expect(first.alerts.created).toBeGreaterThan(0);
    const second = await run('mqtt.pcap');
    expect(second.alerts).toEqual({ created: 0, folded: first.alerts.created });
    const page = await alerts.list({ source: 'netmon', limit: 100 });
    expect(page.total).toBe(first.alerts.created);
    const keys = page.items.map((a) => a.dedupKey);
    expect(new Set(keys).size).toBe(keys.length);
    // Wire findings fold per (code, device); detections fold by their own dedup key (rule + subject).
    const findingAlerts = page.items.filter((a) => a.dedupKey === `netmon:${a.category}:${a.deviceId}`);
    expect(findingAlerts.length).toBeGreaterThan(0);
    for (const a of page.items) expect(a.count).toBe(2);
    for (const a of findingAlerts) expect(a.evidence[0]?.ref).toMatch(/mqtt\.pcap#frame=\d+$/);
    for (const a of page.items.filter((x) => !findingAlerts.includes(x))) expect(a.dedupKey).toMatch(/^netmon:[a-z-]+\.[a-z.-]+:/);
  });

  it.skipIf(missing.length > 0 && !inCi)('enriches an imported device with the same MAC instead of creating another', async () => {
    const [imported] = await inventory.applyReports(
      [{ attributes: { name: 'ADT sender (CMMS)', manufacturer: 'Acme Medical', serialNumber: 'SN-4471' }, network: { macs: ['00:0C:29:B5:B6:48'] }, provenance: { source: 'import:cmms.csv', kind: 'import', confidence: 0.9, observedAt: '2026-01-01T00:00:00.000Z' } }],
      actor,
    );
    const result = await run('hl7.pcap');
    expect(result.devices).toMatchObject({ reported: 2, created: 1, updated: 1 });
    const device = await inventory.get(imported!.device.id);
    expect(device).toMatchObject({ name: 'ADT sender (CMMS)', manufacturer: 'Acme Medical', category: 'clinical-information-system', network: { ips: ['10.0.0.155'], hl7Applications: ['SENDING_APPLICATION^SENDING_FACILITY'] } });
    expect(await all()).toHaveLength(2);
    const [alert] = (await alerts.list({ source: 'netmon', limit: 10 })).items;
    expect(alert).toMatchObject({ deviceId: device.id, category: 'hl7.cleartext-phi', severity: 'high' });
  });
});
