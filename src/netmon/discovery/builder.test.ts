import { describe, expect, it } from 'vitest';
import type { FlowKey, FlowSummary, Observation } from '../model.js';
import { DiscoveryBuilder, isGlobalAddress } from './builder.js';
import { describeProfile } from './devices.js';
import { fallbackOuiDatabase } from './oui.js';

const key = (client: [string, number, string?], server: [string, number, string?], transport: 'tcp' | 'udp' = 'tcp'): FlowKey => ({
  transport,
  client: { ip: client[0], port: client[1], ...(client[2] ? { mac: client[2] } : {}) },
  server: { ip: server[0], port: server[1], ...(server[2] ? { mac: server[2] } : {}) },
});
const obs = (flow: FlowKey | undefined, kind: string, frame: number, fields: Record<string, unknown>, dir: 'c2s' | 's2c' = 'c2s', extra: Partial<Observation> = {}): Observation => ({
  protocol: kind.split('.')[0]!,
  kind,
  producer: 'test@1',
  ts: 1_700_000_000_000_000 + frame,
  frame,
  ...(flow ? { flow } : {}),
  dir,
  fields,
  ...extra,
});
const summary = (k: FlowKey, first: number, last: number): FlowSummary => ({
  id: first,
  key: k,
  roleGuessed: false,
  roleSource: 'syn',
  c2s: { packets: 3, bytes: 300, payloadBytes: 100 },
  s2c: { packets: 2, bytes: 200, payloadBytes: 50 },
  firstTs: 1_700_000_000_000_000 + first,
  lastTs: 1_700_000_000_000_000 + last,
  firstFrame: first,
  lastFrame: last,
  closeReason: 'fin',
});
const ctx = fallbackOuiDatabase();
const devices = (b: DiscoveryBuilder) => b.finish().map((p) => describeProfile(p, ctx));

const CT = '02:00:00:00:00:0c';
const PACS = '02:00:00:00:00:0a';

describe('DiscoveryBuilder', () => {
  it('keys endpoints by MAC and attributes the calling AE to the client and the accepted called AE to the server', () => {
    const b = new DiscoveryBuilder();
    const k = key(['10.1.0.5', 40000, CT], ['10.1.0.9', 104, PACS]);
    b.observe(obs(k, 'dicom.associate-rq', 4, { callingAe: 'CT_ROOM1', calledAe: 'ARCHIVE1', implementationVersionName: 'OFFIS_DCMTK_367', software: { product: 'dcmtk', version: '3.6.7' } }));
    b.observe(obs(k, 'dicom.associate-ac', 6, { accepted: true, callingAe: 'CT_ROOM1', calledAe: 'ARCHIVE1' }, 's2c'));
    b.observe(obs(k, 'dicom.dimse', 10, { command: 'C-STORE-RQ', modality: 'CT' }));
    b.onFlowEnd(summary(k, 1, 20), 'dicom');
    const [ct, pacs] = devices(b);
    expect(ct).toMatchObject({ key: `mac:${CT}`, aeTitles: ['CT_ROOM1'], ips: ['10.1.0.5'], software: ['dcmtk 3.6.7'], dicomImplementations: ['OFFIS_DCMTK_367'], packets: 3 });
    expect(ct?.category).toMatchObject({ value: 'ct-scanner', rule: 'dicom.modality-store', evidence: [{ frame: 10, field: 'dicom.storesSent', value: 'CT' }] });
    expect(pacs).toMatchObject({ key: `mac:${PACS}`, aeTitles: ['ARCHIVE1'], services: [{ protocol: 'dicom', role: 'server', port: 104, flows: 1 }] });
    expect(pacs?.category).toMatchObject({ value: 'pacs', confidence: 0.8, rule: 'dicom.store-scp' });
  });

  it('does not give a called AE title to a server that rejected the association', () => {
    const b = new DiscoveryBuilder();
    const k = key(['10.1.0.5', 40000, CT], ['10.1.0.9', 104, PACS]);
    b.observe(obs(k, 'dicom.associate-rq', 4, { callingAe: 'CT_ROOM1', calledAe: 'NOT_ME' }));
    b.observe(obs(k, 'dicom.associate-rj', 6, { accepted: false }, 's2c'));
    b.onFlowEnd(summary(k, 1, 8), 'dicom');
    expect(devices(b).map((d) => d.aeTitles)).toEqual([['CT_ROOM1'], []]);
  });

  it('keys all-zero-MAC endpoints by IP and splits a loopback host into client AE and server port', () => {
    const b = new DiscoveryBuilder();
    const zero = '00:00:00:00:00:00';
    const k = key(['127.0.0.1', 45000, zero], ['127.0.0.1', 11112, zero]);
    b.observe(obs(k, 'dicom.associate-rq', 4, { callingAe: 'MODALITY1', calledAe: 'STORESCP' }));
    b.observe(obs(k, 'dicom.associate-ac', 6, { accepted: true }, 's2c'));
    b.onFlowEnd(summary(k, 1, 9), 'dicom');
    const d = devices(b);
    expect(d.map((x) => [x.key, x.aeTitles, x.macs, x.reportable])).toEqual([
      ['ip:127.0.0.1/ae:MODALITY1', ['MODALITY1'], [], true],
      ['ip:127.0.0.1/tcp:11112', ['STORESCP'], [], true],
    ]);
  });

  it('keeps a non-loopback host without MAC as one IP-keyed profile and a bare loopback client as not reportable', () => {
    const b = new DiscoveryBuilder();
    b.onFlowEnd(summary(key(['192.0.2.7', 5000], ['192.0.2.8', 80]), 1, 3), 'http');
    b.onFlowEnd(summary(key(['127.0.0.1', 5001], ['127.0.0.1', 8080]), 4, 6), 'http');
    expect(devices(b).map((d) => [d.key, d.reportable])).toEqual([
      ['ip:192.0.2.7', true],
      ['ip:192.0.2.8', true],
      ['ip:127.0.0.1', false],
      ['ip:127.0.0.1/tcp:8080', false],
    ]);
  });

  it('attributes an HL7 sending application to the side that sent the message', () => {
    const b = new DiscoveryBuilder();
    const k = key(['10.2.0.1', 40000, '02:00:00:00:01:01'], ['10.2.0.2', 2575, '02:00:00:00:01:02']);
    b.observe(obs(k, 'hl7.message', 4, { sendingApplication: 'COBAS_LAB', sendingFacility: 'CORE', messageType: 'ORU', triggerEvent: 'R01' }, 'c2s', { findings: [{ code: 'hl7.cleartext-phi', severity: 'high', message: 'PHI' }] }));
    b.observe(obs(k, 'hl7.message', 5, { sendingApplication: 'LIS_ENGINE', messageType: 'ACK' }, 's2c'));
    const [lab, lis] = devices(b);
    expect(lab).toMatchObject({ hl7Applications: ['COBAS_LAB^CORE'], hl7MessagesSent: ['ORU^R01'], findings: [{ code: 'hl7.cleartext-phi', count: 1, frames: [4] }] });
    expect(lab?.category).toMatchObject({ value: 'lab-analyzer', rule: 'hl7.lab-results-sender' });
    expect(lis).toMatchObject({ hl7Applications: ['LIS_ENGINE'], hl7MessagesSent: ['ACK'], findings: [] });
  });

  it('profiles a DHCP client by its hardware address with host name, vendor class and option-55 fingerprint', () => {
    const b = new DiscoveryBuilder();
    const k = key(['0.0.0.0', 68], ['255.255.255.255', 67], 'udp');
    b.observe(obs(k, 'dhcp.request', 1, { clientMac: '00:1f:29:da:2d:79', clientIp: '0.0.0.0', requestedIp: '10.0.0.44', hostname: 'WS-RADIOLOGY-3', vendorClass: 'MSFT 5.0', parameterRequestList: '1,3,6,15,31,33' }));
    const d = devices(b).find((x) => x.key === 'mac:00:1f:29:da:2d:79');
    expect(d).toMatchObject({ ips: ['10.0.0.44'], hostnames: ['ws-radiology-3'], dhcpVendorClasses: ['MSFT 5.0'], dhcpFingerprints: ['1,3,6,15,31,33'], vendor: 'Hewlett Packard' });
    expect(d?.category).toMatchObject({ value: 'workstation', rule: 'dhcp.msft-vendor-class' });
    expect(d?.operatingSystem?.value).toBe('Windows');
    expect(d?.manufacturer).toMatchObject({ value: 'HP', confidence: 0.3, rule: 'oui.vendor' });
  });

  it('names profiles from DNS answers, and takes MQTT client ids, HTTP and TLS fingerprints from their sides', () => {
    const b = new DiscoveryBuilder();
    const dns = key(['10.3.0.1', 5353], ['10.3.0.53', 53], 'udp');
    b.observe(obs(dns, 'dns.response', 2, { answers: [{ name: 'pump-gw.example.org', type: 'A', data: '10.3.0.20' }] }, 's2c'));
    const mq = key(['10.3.0.30', 40000], ['10.3.0.20', 1883]);
    b.observe(obs(mq, 'mqtt.connect', 3, { clientId: 'pump-0042' }));
    const web = key(['10.3.0.30', 40001], ['10.3.0.20', 80]);
    b.observe(obs(web, 'http.request', 5, { userAgent: 'PumpAgent/2.1', host: 'pump-gw.example.org:80' }));
    b.observe(obs(web, 'http.response', 6, { server: 'lighttpd/1.4' }, 's2c'));
    const tls = key(['10.3.0.30', 40002], ['10.3.0.20', 443]);
    b.observe(obs(tls, 'tls.client-hello', 7, { sni: 'Pump-GW.example.org', ja3: 'abc123' }));
    const all = devices(b);
    const client = all.find((d) => d.key === 'ip:10.3.0.30');
    const server = all.find((d) => d.key === 'ip:10.3.0.20');
    expect(client).toMatchObject({ mqttClientIds: ['pump-0042'], httpUserAgents: ['PumpAgent/2.1'], tlsSni: ['pump-gw.example.org'], ja3: ['abc123'] });
    expect(server).toMatchObject({ hostnames: ['pump-gw.example.org'], httpServers: ['lighttpd/1.4'] });
  });

  it('binds an ARP sender IP to its MAC', () => {
    const b = new DiscoveryBuilder();
    b.onArp({ senderIp: '10.0.0.9', senderMac: '02:00:00:00:00:99', op: 1 }, { frame: 1, ts: 1 });
    expect(devices(b).map((d) => [d.key, d.ips])).toEqual([['mac:02:00:00:00:00:99', ['10.0.0.9']]]);
  });

  it('stops profiling new endpoints at the cap and counts each endpoint left out once', () => {
    const b = new DiscoveryBuilder({ maxProfiles: 3 });
    // five clients of one server, each seen in three flows: the server and two clients fit
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) b.onFlowEnd(summary(key([`10.9.0.${i}`, 1000 + round], ['10.9.1.1', 80]), 10 * round + i + 1, 10 * round + i + 1), 'http');
    }
    expect(b.size).toBe(3);
    expect(b.droppedEndpoints).toBe(3);
  });

  it('does not take a late-sync give-up on a DICOM port for DICOM: the flow keeps its transport', () => {
    const b = new DiscoveryBuilder();
    const k = key(['10.6.0.5', 40000, CT], ['10.6.0.9', 104, PACS]);
    b.observe(obs(k, 'dicom.late-sync-given-up', 3, { selectedBy: 'server-port-after-content-detection-failed', scannedBytes: 1024, scanLimit: 1024 }));
    b.onFlowEnd(summary(k, 1, 20));
    expect(devices(b).find((d) => d.key === `mac:${PACS}`)?.services).toEqual([expect.objectContaining({ protocol: 'tcp', role: 'server', port: 104 })]);
  });

  it('bounds every fact list', () => {
    const b = new DiscoveryBuilder();
    const k = key(['10.4.0.1', 40000, CT], ['10.4.0.2', 1883, PACS]);
    for (let i = 0; i < 100; i++) b.observe(obs(k, 'mqtt.connect', i + 1, { clientId: `client-${i}` }));
    expect(devices(b)[0]?.mqttClientIds).toHaveLength(32);
  });

  it('treats a MAC seen with many addresses as a router: the hosts behind it stay separate devices and only its ARP-bound address keeps it', () => {
    const b = new DiscoveryBuilder({ maxIpsPerMac: 4 });
    const gw = '02:00:00:00:00:fe';
    b.onArp({ senderIp: '10.0.0.1', senderMac: gw, op: 2 }, { frame: 1, ts: 1 });
    for (let i = 0; i < 6; i++) b.onFlowEnd(summary(key([`192.0.2.${i + 10}`, 40000 + i, gw], ['10.0.0.9', 443, PACS]), i + 2, i + 2), 'tls');
    const d = devices(b);
    expect(d.filter((x) => x.ips[0]?.startsWith('192.0.2.')).map((x) => [x.key, x.macs])).toEqual(
      Array.from({ length: 6 }, (_, i) => [`ip:192.0.2.${i + 10}`, []]),
    );
    expect(d.find((x) => x.key === `mac:${gw}`)?.ips).toEqual(['10.0.0.1']);
    expect(d.find((x) => x.key === `mac:${PACS}`)?.services).toEqual([expect.objectContaining({ protocol: 'tls', role: 'server', port: 443, flows: 6 })]);
  });

  it('treats a MAC seen with a few addresses of different networks as a router: in a small capture the routed hosts stay apart', () => {
    const b = new DiscoveryBuilder();
    const gw = '02:00:00:00:00:fe';
    b.onArp({ senderIp: '10.0.0.1', senderMac: gw, op: 2 }, { frame: 1, ts: 1 });
    // one cloud service and one remote DICOM node, both reached through the gateway
    b.onFlowEnd(summary(key(['10.0.0.9', 40000, PACS], ['192.0.2.10', 443, gw]), 2, 3), 'tls');
    b.observe(obs(key(['198.51.100.7', 40001, gw], ['10.0.0.9', 104, PACS]), 'dicom.associate-rq', 4, { callingAe: 'REMOTE_CT', calledAe: 'ARCHIVE1' }));
    b.onFlowEnd(summary(key(['198.51.100.7', 40001, gw], ['10.0.0.9', 104, PACS]), 4, 6), 'dicom');
    const d = devices(b);
    expect(d.find((x) => x.key === `mac:${gw}`)?.ips).toEqual(['10.0.0.1']);
    expect(d.find((x) => x.key === 'ip:192.0.2.10')?.macs).toEqual([]);
    expect(d.find((x) => x.key === 'ip:198.51.100.7')).toMatchObject({ macs: [], aeTitles: ['REMOTE_CT'] });
  });

  it('takes the MAC an internet address arrives with for the router it came through: the remote host gets neither MAC nor vendor', () => {
    const b = new DiscoveryBuilder();
    // an HP OUI on the uplink: one flow to one internet service is too few addresses for the other router rules
    const gw = '00:1f:29:00:00:fe';
    b.onFlowEnd(summary(key(['10.0.0.9', 40000, PACS], ['216.58.212.100', 443, gw]), 2, 3), 'tls');
    const d = devices(b);
    expect(d.find((x) => x.ips.includes('216.58.212.100'))).toMatchObject({ key: 'ip:216.58.212.100', macs: [] });
    expect(d.find((x) => x.ips.includes('216.58.212.100'))).not.toHaveProperty('vendor');
    expect(d.find((x) => x.key === `mac:${PACS}`)?.ips).toEqual(['10.0.0.9']);
  });

  it('keeps the MAC of a dual-stack host with a global IPv6 address (SLAAC): only IPv4 internet addresses mark a router', () => {
    const b = new DiscoveryBuilder();
    const host = '00:1f:29:00:00:09';
    b.onFlowEnd(summary(key(['10.0.0.9', 40000, host], ['10.0.0.20', 104, PACS]), 1, 2), 'dicom');
    b.onFlowEnd(summary(key(['2a01:4f8:1:2::9', 40001, host], ['2a01:4f8:1:2::20', 104, PACS]), 3, 4), 'dicom');
    expect(devices(b).map((x) => [x.key, x.ips])).toEqual([
      [`mac:${host}`, ['10.0.0.9', '2a01:4f8:1:2::9']],
      [`mac:${PACS}`, ['10.0.0.20', '2a01:4f8:1:2::20']],
    ]);
  });

  it('keeps the MAC of a public address the policy claims as internal, or one ARP bound to it (a hospital on public address space)', () => {
    const flow = () => summary(key(['130.100.4.9', 40000, CT], ['130.100.4.20', 104, PACS]), 2, 3);
    const claimed = new DiscoveryBuilder({ isInternet: (ip) => !ip.startsWith('130.100.') && isGlobalAddress(ip) });
    claimed.onFlowEnd(flow(), 'dicom');
    expect(devices(claimed).map((x) => [x.key, x.ips])).toEqual([[`mac:${CT}`, ['130.100.4.9']], [`mac:${PACS}`, ['130.100.4.20']]]);
    // without a policy, only the address ARP bound to its MAC keeps it
    const unclaimed = new DiscoveryBuilder();
    unclaimed.onArp({ senderIp: '130.100.4.20', senderMac: PACS, op: 2 }, { frame: 1, ts: 1 });
    unclaimed.onFlowEnd(flow(), 'dicom');
    expect(devices(unclaimed).map((x) => [x.key, x.macs])).toEqual([[`mac:${PACS}`, [PACS]], ['ip:130.100.4.9', []]]);
    expect(isGlobalAddress('130.100.4.9')).toBe(true);
    expect(['10.0.0.1', '100.64.0.1', '192.0.2.1', 'fe80::1', '224.0.0.251', 'not-an-ip'].map(isGlobalAddress)).toEqual([false, false, false, false, false, false]);
  });

  it('keeps one device for one interface: a lease change inside a /24, or addresses it ARP-announced in two VLANs', () => {
    const b = new DiscoveryBuilder();
    const pump = '00:1f:29:00:00:43';
    const server = '00:1f:29:00:00:44';
    b.onFlowEnd(summary(key(['10.5.0.42', 40000, pump], ['10.5.0.1', 80]), 1, 2), 'http');
    b.onFlowEnd(summary(key(['10.5.0.77', 40001, pump], ['10.5.0.1', 80]), 3, 4), 'http');
    b.onArp({ senderIp: '10.20.0.5', senderMac: server, op: 2 }, { frame: 5, ts: 5 });
    b.onArp({ senderIp: '10.30.0.5', senderMac: server, op: 2 }, { frame: 6, ts: 6 });
    b.onFlowEnd(summary(key(['10.20.0.8', 40002], ['10.20.0.5', 104, server]), 7, 8), 'dicom');
    b.onFlowEnd(summary(key(['10.30.0.8', 40003], ['10.30.0.5', 104, server]), 9, 10), 'dicom');
    const d = devices(b);
    expect(d.find((x) => x.key === `mac:${pump}`)?.ips).toEqual(['10.5.0.42', '10.5.0.77']);
    expect(d.find((x) => x.key === `mac:${server}`)?.ips).toEqual(['10.20.0.5', '10.30.0.5']);
  });

  it('merges the IPv4 and IPv6 addresses and a DHCP-only sighting of one interface into one device', () => {
    const b = new DiscoveryBuilder();
    const mac = '00:1f:29:00:00:42';
    b.observe(obs(key(['0.0.0.0', 68], ['255.255.255.255', 67], 'udp'), 'dhcp.request', 1, { clientMac: mac, hostname: 'infusion-gw' }));
    b.onFlowEnd(summary(key(['10.5.0.42', 40000, mac], ['10.5.0.1', 80]), 2, 4), 'http');
    b.onFlowEnd(summary(key(['fe80::42', 40001, mac], ['fe80::1', 80]), 5, 7), 'http');
    const d = devices(b).filter((x) => x.macs.includes(mac));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ key: `mac:${mac}`, ips: ['10.5.0.42', 'fe80::42'], hostnames: ['infusion-gw'], services: [expect.objectContaining({ protocol: 'http', role: 'client', port: 80, flows: 2 })], packets: 6 });
  });

  it('release() empties the builder and leaves the profiles finish() returned as they were', () => {
    const b = new DiscoveryBuilder();
    const k = key(['10.1.0.5', 40000, CT], ['10.1.0.9', 104, PACS]);
    b.observe(obs(k, 'dicom.associate-rq', 4, { callingAe: 'CT_ROOM1', calledAe: 'ARCHIVE1' }));
    b.onFlowEnd(summary(k, 1, 20), 'dicom');
    const profiles = b.finish();
    const before = profiles.map((p) => describeProfile(p, ctx));
    b.release();
    expect(b.size).toBe(0);
    expect(profiles.map((p) => describeProfile(p, ctx))).toEqual(before);
    expect(before.map((d) => d.key)).toEqual([`mac:${CT}`, `mac:${PACS}`]);
  });
});
