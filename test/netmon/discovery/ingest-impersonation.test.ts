/**
 * An identifier a host declares about itself on the wire (a UPnP serial number, a DICOM AE title)
 * does not move another device's inventory record onto that host. Against real storage (SQLite and
 * PostgreSQL), an imported infusion pump (serial, MAC A) stays on MAC A when a host with MAC B
 * serves a description with the pump's serial and maker; B becomes its own device and one
 * `identity.conflict` alert names both. The pump itself declaring its serial still enriches its
 * record, and an AE title still merges into a record known only by that AE title.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, generateSigningKey } from '../../../src/audit/index.js';
import { systemClock } from '../../../src/core/index.js';
import { InventoryService, type Device, type DeviceReport } from '../../../src/inventory/index.js';
import * as F from '../../../src/netmon/capture/testing/frames.js';
import { concatBytes, PcapWriter } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { TcpFlag } from '../../../src/netmon/decode/index.js';
import { DiscoveryBuilder, describeProfile, fallbackOuiDatabase } from '../../../src/netmon/discovery/index.js';
import { ingestCapture, ingestReport } from '../../../src/netmon/ingest.js';
import type { Observation } from '../../../src/netmon/model.js';
import { analyzeCapture } from '../../../src/netmon/report.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';

const { SYN, ACK, PSH, FIN } = TcpFlag;
const enc = (s: string) => new TextEncoder().encode(s);
const actor = { kind: 'user' as const, id: 'user_netmon_test', name: 'tester', role: 'admin' };

const MAC_A = '02:1e:c0:00:00:0a';
const MAC_B = '02:1e:c0:00:00:0b';
const STATION = { ip: '10.20.1.5', mac: '02:1e:c0:00:00:05' };
const SERIAL = 'BX-77120045';

interface Host {
  ip: string;
  mac: string;
}

const description = (serial: string, manufacturer: string) => `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <device>
    <deviceType>urn:baxter-com:device:InfusionPump:1</deviceType>
    <friendlyName>Pump ICU-3 bed 7</friendlyName>
    <manufacturer>${manufacturer}</manufacturer>
    <modelName>Sigma Spectrum</modelName>
    <serialNumber>${serial}</serialNumber>
  </device>
</root>`;

/** A central station fetches the UPnP description `host` serves (frames 1-3 handshake and GET, 4 the answer). */
function upnpCapture(host: Host, serial: string, manufacturer = 'Baxter'): Uint8Array {
  const pw = new PcapWriter();
  const tcp = (from: Host, to: Host, sport: number, dport: number, seq: number, ack: number, flags: number, data = '') =>
    F.ethernet({ src: from.mac, dst: to.mac, etherType: 0x0800, payload: F.ipv4({ src: from.ip, dst: to.ip, proto: 6, payload: F.tcp({ sport, dport, seq, ack, flags, payload: enc(data) }) }) });
  const c = 51000;
  const port = 49152;
  const get = `GET /description.xml HTTP/1.1\r\nHost: ${host.ip}:${port}\r\nUser-Agent: CentralStation/1.0 UPnP/1.0\r\n\r\n`;
  const body = description(serial, manufacturer);
  const answer = `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset="utf-8"\r\nContent-Length: ${enc(body).length}\r\n\r\n${body}`;
  const frames = [
    tcp(STATION, host, c, port, 1000, 0, SYN),
    tcp(host, STATION, port, c, 5000, 1001, SYN | ACK),
    tcp(STATION, host, c, port, 1001, 5001, ACK | PSH, get),
    tcp(host, STATION, port, c, 5001, 1001 + get.length, ACK | PSH, answer),
    tcp(STATION, host, c, port, 1001 + get.length, 5001 + answer.length, FIN | ACK),
  ];
  return concatBytes([pw.header(), ...frames.map((data, i) => pw.record({ ts: 1_700_000_000_000_000 + i * 1000, data }))]);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const imported = (attributes: DeviceReport['attributes'], network: DeviceReport['network']): DeviceReport => ({
  attributes,
  network,
  provenance: { source: 'import:cmms.csv', kind: 'import', confidence: 0.9, observedAt: '2023-11-01T00:00:00.000Z' },
});

describeEachEngine('netmon ingest: identity claimed on the wire', ({ open }) => {
  let handle: DatabaseHandle;
  let inventory: InventoryService;
  let alerts: AlertService;

  beforeEach(async () => {
    handle = await open();
    const audit = new AuditService({ repo: createAuditRepository(handle.db, handle.dialect), signingKey: generateSigningKey(), clock: systemClock });
    inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock: systemClock });
    alerts = new AlertService({ repo: createAlertRepository(handle.db, handle.dialect), audit, clock: systemClock });
  });
  afterEach(async () => {
    await handle?.close();
  });

  const importPump = async (): Promise<Device> => {
    const [o] = await inventory.applyReports([imported({ name: 'Infusion pump ICU-3/7 (CMMS)', manufacturer: 'Baxter', serialNumber: SERIAL, category: 'infusion-pump' }, { macs: [MAC_A] })], actor);
    return o!.device;
  };
  const ingest = (host: Host, serial: string, manufacturer?: string) =>
    ingestCapture({ bytes: once(upnpCapture(host, serial, manufacturer)), name: 'ward3.pcap' }, { inventory, alerts }, actor, undefined, { oui: fallbackOuiDatabase(), detection: { enabled: false } });
  const all = async () => (await inventory.search({ limit: 100 })).items;
  const conflictAlerts = async () => (await alerts.list({ source: 'netmon', limit: 100 })).items.filter((a) => a.category === 'identity.conflict');

  it('a host with another MAC declaring the pump\'s serial and maker stays a separate device, and one alert names both', async () => {
    const pump = await importPump();
    const rogueHost = { ip: '10.20.1.66', mac: MAC_B };
    const result = await ingest(rogueHost, SERIAL);

    const after = await inventory.get(pump.id);
    expect(after.network.macs).toEqual([MAC_A]);
    expect(after.network.ips).toEqual([]);
    expect(after).toMatchObject({ name: 'Infusion pump ICU-3/7 (CMMS)', serialNumber: SERIAL });
    const rogue = (await all()).find((d) => d.network.macs.includes(MAC_B));
    expect(rogue).toBeDefined();
    expect(rogue!.id).not.toBe(pump.id);
    expect(rogue).toMatchObject({ manufacturer: 'Baxter', network: { ips: [rogueHost.ip] } });
    expect(rogue!.serialNumber).toBeUndefined();
    // the claim stays in the capture's report (evidence) but not in the inventory
    expect(result.report.devices.find((d) => d.macs.includes(MAC_B))?.serialNumbers).toEqual([SERIAL]);
    expect(result.identityConflicts).toHaveLength(1);

    const [alert, ...more] = await conflictAlerts();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ severity: 'high', deviceId: rogue!.id, source: 'netmon', dedupKey: `netmon:identity.conflict:${rogue!.id}:serial:${SERIAL}` });
    expect(alert!.title).toContain(`serial number "${SERIAL}" (Baxter)`);
    expect(alert!.description).toContain(`ownerDeviceIds=${pump.id}`);
    expect(alert!.description).toContain(`observedMacs=${MAC_B}`);
    expect(alert!.description).toContain(`observedIps=${rogueHost.ip}`);
    // the answer carrying the description is frame 4
    expect(alert!.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'packet', ref: 'ward3.pcap#frame=4' }),
        expect.objectContaining({ kind: 'device', ref: `device:${pump.id}` }),
        expect.objectContaining({ kind: 'device', ref: `device:${rogue!.id}` }),
      ]),
    );

    // re-ingesting changes nothing and folds into the same alert
    const again = await ingest(rogueHost, SERIAL);
    expect(again.devices.created).toBe(0);
    expect((await inventory.get(pump.id)).network.macs).toEqual([MAC_A]);
    const folded = await conflictAlerts();
    expect(folded).toHaveLength(1);
    expect(folded[0]!.count).toBe(2);
  });

  it('the pump\'s own MAC declaring its serial, which an earlier discovery gave another MAC\'s device, folds nothing and is flagged', async () => {
    // an earlier discovery (before the pump was imported) gave MAC B's device the serial: the pump's
    // own MAC declaring it now must not fold the two records together either
    await ingest({ ip: '10.20.1.66', mac: MAC_B }, SERIAL);
    const squatter = (await all()).find((d) => d.network.macs.includes(MAC_B))!;
    expect(squatter.serialNumber).toBe(SERIAL);
    const [pump] = await inventory.applyReports([imported({ name: 'Infusion pump ICU-3/7 (CMMS)' }, { macs: [MAC_A] })], actor);
    const result = await ingest({ ip: '10.20.1.40', mac: MAC_A }, SERIAL);
    expect(result.identityConflicts.map((c) => [c.basis, c.owners.map((o) => o.id)])).toEqual([['record', [squatter.id]]]);
    expect((await inventory.get(pump!.device.id)).network.macs).toEqual([MAC_A]);
    expect((await inventory.get(squatter.id)).network.macs).toEqual([MAC_B]);
  });

  it('the pump itself (MAC A) declaring its serial still enriches its record, with no conflict', async () => {
    const pump = await importPump();
    const result = await ingest({ ip: '10.20.1.40', mac: MAC_A }, SERIAL);
    expect(result.identityConflicts).toEqual([]);
    const after = await inventory.get(pump.id);
    expect(after).toMatchObject({ name: 'Infusion pump ICU-3/7 (CMMS)', serialNumber: SERIAL, manufacturer: 'Baxter', model: 'Sigma Spectrum', network: { macs: [MAC_A], ips: ['10.20.1.40'] } });
    expect((await all()).filter((d) => d.manufacturer === 'Baxter')).toHaveLength(1);
    expect(await conflictAlerts()).toEqual([]);
  });

  it('a pump imported without a MAC is found by its declared serial: its record takes the MAC, and alerts and ids name it', async () => {
    // the serial folds the device the identifiers just created into the imported record; the
    // reports and alerts that follow must name the record that survived, not the one folded away
    const [p] = await inventory.applyReports([imported({ name: 'Infusion pump ICU-3/7 (CMMS)', manufacturer: 'Baxter', serialNumber: SERIAL }, {})], actor);
    const host = { ip: '10.20.1.40', mac: MAC_A };
    const result = await ingest(host, SERIAL);
    expect(result.identityConflicts).toEqual([]);
    const pump = await inventory.get(p!.device.id);
    expect(pump).toMatchObject({ serialNumber: SERIAL, model: 'Sigma Spectrum', network: { macs: [MAC_A], ips: [host.ip] } });
    const key = result.report.devices.find((d) => d.macs.includes(MAC_A))!.key;
    expect(result.deviceIds[key]).toBe(pump.id);
    for (const id of Object.values(result.deviceIds)) await expect(inventory.get(id)).resolves.toBeDefined();
    expect((await all()).filter((d) => d.manufacturer === 'Baxter')).toHaveLength(1);
    // a second ingest finds the record by its MAC now
    const again = await ingest(host, SERIAL);
    expect(again.devices.created).toBe(0);
    expect(again.deviceIds[key]).toBe(pump.id);
  });

  it('another maker\'s device with the same serial number is no claim on the pump', async () => {
    const pump = await importPump();
    const result = await ingest({ ip: '10.20.1.66', mac: MAC_B }, SERIAL, 'Philips Medical Systems');
    expect(result.identityConflicts).toEqual([]);
    expect((await inventory.get(pump.id)).network.macs).toEqual([MAC_A]);
    expect((await all()).find((d) => d.network.macs.includes(MAC_B))).toMatchObject({ serialNumber: SERIAL, manufacturer: 'Philips' });
  });

  describe('AE titles', () => {
    /** A report whose only device is `host` calling a PACS as `callingAe` (the PACS has no MAC, so it is not judged). */
    async function aeReport(host: Host, callingAe: string) {
      const base = await analyzeCapture({ bytes: once(upnpCapture(STATION, 'unused-serial')), name: 'ct.pcap' }, { oui: fallbackOuiDatabase(), detection: { enabled: false } });
      const b = new DiscoveryBuilder();
      const flow = { transport: 'tcp' as const, client: { ip: host.ip, port: 40000, mac: host.mac }, server: { ip: '10.20.9.9', port: 104, mac: '00:00:00:00:00:00' } };
      const obs = (kind: string, frame: number, dir: 'c2s' | 's2c'): Observation => ({ protocol: 'dicom', kind, producer: 'dicom@1', ts: 1_700_000_000_000_000 + frame, frame, flow, dir, fields: { callingAe, calledAe: 'ARCHIVE1', accepted: true } });
      b.observe(obs('dicom.associate-rq', 21, 'c2s'));
      b.observe(obs('dicom.associate-ac', 22, 's2c'));
      const devices = b.finish().map((p) => describeProfile(p, fallbackOuiDatabase())).filter((d) => d.macs.includes(host.mac));
      return { ...base, devices };
    }

    it('a host with another MAC calling itself by a CT\'s AE title does not take the CT\'s record', async () => {
      const [ct] = await inventory.applyReports([imported({ name: 'CT room 1' }, { macs: [MAC_A], aeTitles: ['CT_SCANNER1'] })], actor);
      const result = await ingestReport(await aeReport({ ip: '10.20.1.66', mac: MAC_B }, 'CT_SCANNER1'), { inventory, alerts }, actor);
      expect((await inventory.get(ct!.device.id)).network).toMatchObject({ macs: [MAC_A], ips: [], aeTitles: ['CT_SCANNER1'] });
      const rogue = (await all()).find((d) => d.network.macs.includes(MAC_B));
      expect(rogue?.network.aeTitles).toEqual([]);
      const [alert, ...more] = await conflictAlerts();
      expect(more).toEqual([]);
      expect(alert).toMatchObject({ severity: 'high', deviceId: rogue!.id, dedupKey: `netmon:identity.conflict:${rogue!.id}:ae_title:CT_SCANNER1` });
      expect(alert!.evidence).toEqual(expect.arrayContaining([expect.objectContaining({ ref: 'ct.pcap#frame=21' }), expect.objectContaining({ ref: `device:${ct!.device.id}` })]));
      expect(result.identityConflicts).toHaveLength(1);
    });

    it('still merges into a record known only by that AE title (no MAC to contradict)', async () => {
      const [ct] = await inventory.applyReports([imported({ name: 'CT room 1' }, { aeTitles: ['CT_SCANNER1'] })], actor);
      const result = await ingestReport(await aeReport({ ip: '10.20.1.41', mac: MAC_A }, 'CT_SCANNER1'), { inventory, alerts }, actor);
      expect(result.identityConflicts).toEqual([]);
      expect((await inventory.get(ct!.device.id)).network).toMatchObject({ macs: [MAC_A], ips: ['10.20.1.41'], aeTitles: ['CT_SCANNER1'] });
      expect(await conflictAlerts()).toEqual([]);
    });
  });
});
