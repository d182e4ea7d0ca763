/**
 * Edge cases of judging identifiers declared on the wire at ingest, against real storage (SQLite
 * and PostgreSQL): records folded while an ingest runs (alerts and reports must name the record
 * that survived, and an ingest must not fail on a record folded earlier in the same batch), a
 * claimant seen without a MAC of its own (routed) whose claims would fold devices known by
 * different MACs, and re-ingesting a capture of a routed device that an imported record without a
 * MAC holds by serial. Reports are built from discovered devices directly, so each case states
 * exactly what the capture showed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, generateSigningKey } from '../../../src/audit/index.js';
import type { Clock } from '../../../src/core/index.js';
import { InventoryService, isIdentifyingAeTitle, isIdentifyingMac, type Device, type DeviceReport } from '../../../src/inventory/index.js';
import { PcapWriter } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { fallbackOuiDatabase, type DiscoveredDevice } from '../../../src/netmon/discovery/index.js';
import { ingestReport } from '../../../src/netmon/ingest.js';
import { analyzeCapture, type NetmonReport } from '../../../src/netmon/report.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';

const actor = { kind: 'user' as const, id: 'user_netmon_test', name: 'tester', role: 'admin' };
const SEEN = '2026-03-02T10:00:00.000Z';
const MAC_A = '02:1e:c0:00:01:0a';
const MAC_B = '02:1e:c0:00:01:0b';
const MAC_C = '02:1e:c0:00:01:0c';

/** A discovered device as describeProfile would give it: only what the case needs is passed. */
function discovered(d: Partial<DiscoveredDevice> & Pick<DiscoveredDevice, 'key'>): DiscoveredDevice {
  const macs = d.macs ?? [];
  const aeTitles = d.aeTitles ?? [];
  const ips = d.ips ?? [];
  return {
    identity: macs.length > 0 ? 'mac' : 'ip',
    reportable: true,
    hasMergeKey: macs.some(isIdentifyingMac) || aeTitles.some(isIdentifyingAeTitle),
    name: aeTitles[0] ?? d.friendlyNames?.[0] ?? d.hl7Applications?.[0] ?? ips[0] ?? d.key,
    macs,
    ips,
    hostnames: [],
    aeTitles,
    aeTitleFrames: aeTitles.map((_, i) => 20 + i),
    hl7Applications: [],
    hl7MessagesSent: [],
    mqttClientIds: [],
    dicomImplementations: [],
    software: [],
    httpUserAgents: [],
    httpServers: [],
    dhcpVendorClasses: [],
    dhcpFingerprints: [],
    tlsSni: [],
    ja3: [],
    friendlyNames: [],
    serialNumbers: [],
    serialNumberFrames: [],
    upnpUdns: [],
    upnpDeviceTypes: [],
    services: [],
    peers: 1,
    peersOverflow: false,
    packets: 10,
    bytes: 1000,
    firstFrame: 1,
    lastFrame: 40,
    firstSeen: SEEN,
    lastSeen: SEEN,
    rules: [],
    findings: [],
    ...d,
  };
}

/** What a UPnP description declaring `serial` by `maker` adds (the serial travels with upnp.manufacturer). */
const declares = (serial: string, maker = 'Baxter', frame = 4): Partial<DiscoveredDevice> => ({
  serialNumbers: [serial],
  serialNumberFrames: [frame],
  manufacturer: { value: maker, confidence: 0.55, rule: 'upnp.manufacturer', evidence: [{ frame, field: 'announcedManufacturers', value: maker }] },
});

const imported = (attributes: DeviceReport['attributes'], network: DeviceReport['network']): DeviceReport => ({
  attributes,
  network,
  provenance: { source: 'import:cmms.csv', kind: 'import', confidence: 0.9, observedAt: '2025-11-01T00:00:00.000Z' },
});

async function* empty(): AsyncGenerator<Uint8Array> {
  yield new PcapWriter().header();
}

describeEachEngine('netmon ingest: identity claims, edge cases', ({ open }) => {
  let handle: DatabaseHandle;
  let inventory: InventoryService;
  let alerts: AlertService;
  let base: NetmonReport;

  beforeEach(async () => {
    handle = await open();
    // one second per reading: records imported one after the other are older in that order (the older survives a fold)
    let t = Date.parse('2026-03-01T00:00:00.000Z');
    const clock: Clock = { now: () => new Date((t += 1000)) };
    const audit = new AuditService({ repo: createAuditRepository(handle.db, handle.dialect), signingKey: generateSigningKey(), clock });
    inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock });
    alerts = new AlertService({ repo: createAlertRepository(handle.db, handle.dialect), audit, clock });
    base = await analyzeCapture({ bytes: empty(), name: 'ward3.pcap' }, { oui: fallbackOuiDatabase(), detection: { enabled: false } });
  });
  afterEach(async () => {
    await handle?.close();
  });

  const importOne = async (attributes: DeviceReport['attributes'], network: DeviceReport['network']): Promise<Device> => (await inventory.applyReports([imported(attributes, network)], actor))[0]!.device;
  const ingest = (...devices: DiscoveredDevice[]) => ingestReport({ ...base, capture: { ...base.capture, lastSeen: SEEN }, devices }, { inventory, alerts }, actor, { batchSize: 50 });
  const all = async () => (await inventory.search({ limit: 100 })).items;
  const exists = async (id: string) => (await all()).some((d) => d.id === id);
  const conflictAlerts = async () => (await alerts.list({ source: 'netmon', limit: 100 })).items.filter((a) => a.category === 'identity.conflict');

  it('a conflict alert names the record its owner was folded into during the same ingest, not the one that is gone', async () => {
    // The CT's storage-commitment AE title was imported from the PACS configuration without a MAC
    // (older record); the CT itself from the asset system with its MAC and main AE title.
    const storageCommit = await importOne({ name: 'CT room 1 storage commitment' }, { aeTitles: ['CT1_STGCMT'] });
    const ct = await importOne({ name: 'CT room 1' }, { macs: [MAC_A], aeTitles: ['CT1'] });
    // The CT uses both AE titles (its report folds the two records, the older surviving); a host
    // with another MAC calls itself CT1, and the CT's record holds CT1 with MAC A: a conflict.
    const result = await ingest(
      discovered({ key: `mac:${MAC_A}`, macs: [MAC_A], ips: ['10.20.3.10'], aeTitles: ['CT1', 'CT1_STGCMT'] }),
      discovered({ key: `mac:${MAC_B}`, macs: [MAC_B], ips: ['10.20.3.66'], aeTitles: ['CT1'] }),
    );
    expect(await exists(ct.id)).toBe(false);
    expect((await inventory.get(storageCommit.id)).network.macs).toEqual([MAC_A]);

    expect(result.identityConflicts.map((c) => c.owners.map((o) => o.id))).toEqual([[storageCommit.id]]);
    const [alert, ...more] = await conflictAlerts();
    expect(more).toEqual([]);
    expect(alert!.description).toContain(`ownerDeviceIds=${storageCommit.id}`);
    const refs = alert!.evidence.filter((e) => e.kind === 'device').map((e) => e.ref.slice('device:'.length));
    expect(refs).toContain(storageCommit.id);
    for (const id of refs) expect(await exists(id)).toBe(true);
  });

  it('a routed host (no MAC of its own) calling itself by the AE titles of two devices known by different MACs folds neither into the other', async () => {
    const ct = await importOne({ name: 'CT room 1' }, { macs: [MAC_A], aeTitles: ['CT1'] });
    const mr = await importOne({ name: 'MR room 2' }, { macs: [MAC_B], aeTitles: ['MR2'] });
    const routed = '10.40.0.9';
    const result = await ingest(discovered({ key: `ip:${routed}`, ips: [routed], aeTitles: ['CT1', 'MR2'] }));

    for (const [record, mac, ae] of [[ct, MAC_A, 'CT1'], [mr, MAC_B, 'MR2']] as const) {
      const after = await inventory.get(record.id);
      expect(after.network).toMatchObject({ macs: [mac], ips: [], aeTitles: [ae] });
    }
    const host = (await all()).find((d) => d.network.ips.includes(routed));
    expect(host).toBeDefined();
    expect(host!.network.aeTitles).toEqual([]);
    expect(result.identityConflicts.map((c) => [c.claim.value, c.basis, c.owners.map((o) => o.id)])).toEqual([
      ['CT1', 'record', [ct.id]],
      ['MR2', 'record', [mr.id]],
    ]);
    const raised = await conflictAlerts();
    expect(raised.map((a) => [a.deviceId, a.severity])).toEqual([
      [host!.id, 'high'],
      [host!.id, 'high'],
    ]);
    expect(raised.map((a) => a.description).join('\n')).toContain(`observedIps=${routed}`);

    // re-ingesting finds the host's record by its address (its AE titles were its only merge keys)
    const again = await ingest(discovered({ key: `ip:${routed}`, ips: [routed], aeTitles: ['CT1', 'MR2'] }));
    expect(again.devices.created).toBe(0);
    expect((await all()).map((d) => d.id).sort()).toEqual([ct.id, mr.id, host!.id].sort());
    expect((await conflictAlerts()).map((a) => a.count)).toEqual([2, 2]);
  });

  it('a routed host that merged into a device by its AE title cannot fold a pump known by another MAC into it by declaring the pump\'s serial', async () => {
    const ct = await importOne({ name: 'CT room 1' }, { macs: [MAC_A], aeTitles: ['CT1'] });
    const pump = await importOne({ name: 'Infusion pump ICU-3/7', manufacturer: 'Baxter', serialNumber: 'BX-77120045' }, { macs: [MAC_C] });
    const routed = '10.40.0.9';
    const result = await ingest(discovered({ key: `ip:${routed}`, ips: [routed], aeTitles: ['CT1'], ...declares('BX-77120045') }));

    // the AE title names one record only: it stands (a routed CT keeps merging into its record)
    expect((await inventory.get(ct.id)).network).toMatchObject({ macs: [MAC_A], ips: [routed], aeTitles: ['CT1'] });
    // the serial would fold the pump (MAC C) into the CT's record (MAC A): refused
    expect(await inventory.get(pump.id)).toMatchObject({ serialNumber: 'BX-77120045', network: { macs: [MAC_C], ips: [] } });
    expect((await inventory.get(ct.id)).serialNumber).toBeUndefined();
    expect(result.identityConflicts.map((c) => [c.claim.kind, c.basis, c.owners.map((o) => o.id)])).toEqual([['serial', 'record', [pump.id]]]);
    expect((await conflictAlerts()).map((a) => a.deviceId)).toEqual([ct.id]);
  });

  it('a device with two NICs on one record whose NICs declare different serials is ingested (a fold earlier in a batch does not orphan the next report)', async () => {
    // an imported module without a MAC (older) holds the first serial; the cart's record knows both NICs
    const module = await importOne({ name: 'Pump module (CMMS)', manufacturer: 'Baxter', serialNumber: 'BX-1001' }, {});
    const cart = await importOne({ name: 'Infusion cart 4' }, { macs: [MAC_A, MAC_B] });
    const result = await ingest(
      discovered({ key: `mac:${MAC_A}`, macs: [MAC_A], ips: ['10.20.4.10'], friendlyNames: ['Cart 4 pump'], ...declares('BX-1001') }),
      discovered({ key: `mac:${MAC_B}`, macs: [MAC_B], ips: ['10.20.4.11'], friendlyNames: ['Cart 4 monitor'], ...declares('BX-2002') }),
    );
    expect(result.identityConflicts).toEqual([]);
    // the serial folded the cart's record into the older module record: both NICs name it
    expect(await exists(cart.id)).toBe(false);
    const survivor = await inventory.get(module.id);
    expect(survivor.network.macs).toEqual(expect.arrayContaining([MAC_A, MAC_B]));
    expect(Object.values(result.deviceIds)).toEqual([module.id, module.id]);
  });

  it('a device known only by address whose record is folded by another device\'s report in the same batch is ingested', async () => {
    // An analyzer first seen routed (no MAC) with its AE title and HL7 application; the asset system
    // (older record) knows its DICOM NIC by MAC only.
    const nic = await importOne({ name: 'Lab analyzer 2' }, { macs: [MAC_A] });
    const [seen] = await inventory.applyReports(
      [{ attributes: { name: 'LAB2_AE' }, network: { ips: ['10.30.0.7'], aeTitles: ['LAB2_AE'], hl7Applications: ['LIS^LAB2'] }, provenance: { source: 'discovery:earlier.pcap', kind: 'discovery', confidence: 0.6, observedAt: SEEN } }],
      actor,
    );
    // now the DICOM NIC shows MAC A with the AE title (folding the routed record into the asset's),
    // and the HL7 side is seen routed again at its address, known by its HL7 application only
    const result = await ingest(
      discovered({ key: `mac:${MAC_A}`, macs: [MAC_A], ips: ['10.20.5.7'], aeTitles: ['LAB2_AE'] }),
      discovered({ key: 'ip:10.30.0.7', ips: ['10.30.0.7'], hl7Applications: ['LIS^LAB2'] }),
    );
    expect(await exists(seen!.device.id)).toBe(false);
    expect(Object.values(result.deviceIds)).toEqual([nic.id, nic.id]);
    expect((await inventory.get(nic.id)).network.ips).toEqual(expect.arrayContaining(['10.20.5.7', '10.30.0.7']));
  });

  it('re-ingesting a routed pump that an imported record without a MAC holds by serial creates nothing', async () => {
    const pump = await importOne({ name: 'Infusion pump ICU-3/7 (CMMS)', manufacturer: 'Baxter', serialNumber: 'BX-77120045' }, {});
    const routedPump = discovered({ key: 'ip:10.40.2.17', ips: ['10.40.2.17'], friendlyNames: ['Pump ICU-3 bed 7'], ...declares('BX-77120045') });
    const first = await ingest(routedPump);
    expect(first.deviceIds[routedPump.key]).toBe(pump.id);
    expect((await all()).map((d) => d.id)).toEqual([pump.id]);

    const again = await ingest(routedPump);
    expect(again.devices).toMatchObject({ created: 0 });
    expect(again.deviceIds[routedPump.key]).toBe(pump.id);
    expect((await all()).map((d) => d.id)).toEqual([pump.id]);
  });
});
