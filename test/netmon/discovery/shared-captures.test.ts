/**
 * Passive discovery over the public captures in ../shared/data/pcap, checked against tshark's
 * reading of the same packets (AE titles, HL7 MSH-3/MSH-4, DHCP host name, MQTT client ids).
 */
import { createReadStream, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeProgress } from '../../../src/netmon/report.js';
import { parsePolicy } from '../../../src/netmon/detect/index.js';
import { analyzeCapture, type NetmonReport } from '../../../src/netmon/report.js';
import { inCi, missingSharedCaptures, pcap, tsharkFields } from './support.js';

const CAPTURES = ['dicom-dcmtk-loopback.pcap', 'hl7.pcap', 'dhcp-fuzz.pcapng', 'mqtt.pcap', 'google_ssl.pcap', 'http.pcapng'];
const missing = missingSharedCaptures(CAPTURES, ['tshark']);
if (missing.length > 0 && !inCi) console.warn(`skipping discovery shared-capture tests: missing ${missing.join(', ')}`);

const reports = new Map<string, NetmonReport>();
const rep = (name: string): NetmonReport => reports.get(name) ?? (() => { throw new Error(`${name} not analysed`); })();

describe.skipIf(missing.length > 0 && !inCi)('discovery on the shared captures', () => {
  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`CI requires ${missing.join(', ')}`);
    for (const name of CAPTURES) reports.set(name, await analyzeCapture(pcap(name)));
  });

  it('discovers the loopback DICOM peers by IP and AE title despite all-zero MACs, with the AE titles tshark prints', () => {
    const file = pcap('dicom-dcmtk-loopback.pcap');
    const rows = tsharkFields(file, ['-d', 'tcp.port==11112,dicom', '-Y', 'dicom.pdu.type==1', '-e', 'ip.src', '-e', 'dicom.assoc.ae.calling', '-e', 'dicom.assoc.ae.called']);
    const accepted = new Set(tsharkFields(file, ['-d', 'tcp.port==11112,dicom', '-Y', 'dicom.pdu.type==2', '-e', 'dicom.assoc.ae.called']).map(([ae]) => ae!.trim()));
    const calling = [...new Set(rows.map((r) => r[1]!.trim()))];
    const called = [...new Set(rows.map((r) => r[2]!.trim()).filter((ae) => accepted.has(ae)))];
    const r = rep('dicom-dcmtk-loopback.pcap');
    expect(r.devices.every((d) => d.macs.length === 0 && d.ips.every((ip) => ip === rows[0]![0]))).toBe(true);
    const client = r.devices.find((d) => d.services.some((s) => s.protocol === 'dicom' && s.role === 'client'));
    const server = r.devices.find((d) => d.services.some((s) => s.protocol === 'dicom' && s.role === 'server'));
    expect(client?.aeTitles).toEqual(calling);
    expect(server?.aeTitles.sort()).toEqual(called.sort());
    expect(client).toMatchObject({ identity: 'ip+ae', reportable: true, software: ['dcmtk 3.6.7'], dicomImplementations: ['OFFIS_DCMTK_367'] });
    expect(server?.category).toMatchObject({ value: 'pacs', rule: 'dicom.store-scp' });
    expect(r.findings.map((f) => f.code)).toContain('dicom.cleartext-phi');
  });

  it('discovers the HL7 sender application tshark reads from MSH-3/MSH-4, on the client that sent it', () => {
    const rows = tsharkFields(pcap('hl7.pcap'), ['-d', 'tcp.port==6661,hl7', '-Y', 'hl7.message.type', '-e', 'ip.src', '-e', 'hl7.segment']);
    const [srcIp, segment] = rows[0]!;
    const msh = segment!.split(/\\r|,/)[0]!.split('|');
    const r = rep('hl7.pcap');
    const sender = r.devices.find((d) => d.ips.includes(srcIp!));
    expect(sender?.hl7Applications).toEqual([`${msh[2]}^${msh[3]}`]);
    expect(sender?.services).toEqual([expect.objectContaining({ protocol: 'hl7', role: 'client', port: 6661 })]);
    expect(sender?.macs).toHaveLength(1);
    expect(r.protocols).toEqual([expect.objectContaining({ protocol: 'hl7', flows: 1 })]);
  });

  it('names the DHCP client by its option-12 host name under its hardware address', () => {
    const [[mac, host]] = tsharkFields(pcap('dhcp-fuzz.pcapng'), ['-e', 'dhcp.hw.mac_addr', '-e', 'dhcp.option.hostname']) as [[string, string]];
    // tshark lists the chaddr once per field occurrence ("a,a")
    const d = rep('dhcp-fuzz.pcapng').devices.find((x) => x.key === `mac:${mac.split(',')[0]}`);
    expect(d?.hostnames).toEqual([host.toLowerCase()]);
    expect(d?.manufacturer?.rule).toBe('oui.vendor');
  });

  it('takes MQTT client ids from the CONNECT packets tshark reads', () => {
    const ids = tsharkFields(pcap('mqtt.pcap'), ['-Y', 'mqtt.msgtype==1', '-e', 'mqtt.clientid']).map(([id]) => id);
    const found = rep('mqtt.pcap').devices.flatMap((d) => d.mqttClientIds);
    expect(found.sort()).toEqual([...ids].sort());
  });

  it('groups wire findings by code with counts, first frames and endpoints', () => {
    const tls = rep('google_ssl.pcap');
    for (const f of tls.findings) {
      expect(f.count).toBeGreaterThan(0);
      expect(f.firstFrame).toBe(Math.min(...f.frames));
      for (const e of f.endpoints) expect(tls.devices.map((d) => d.key)).toContain(e);
    }
    expect(rep('http.pcapng').topTalkers).toEqual([expect.objectContaining({ protocol: 'http', transport: 'tcp' })]);
  });

  it('gives internet hosts neither the uplink router MAC nor its vendor, unless the policy claims their addresses', async () => {
    const tls = rep('google_ssl.pcap');
    const google = tls.devices.find((d) => d.ips.includes('216.58.212.100'));
    expect(google).toMatchObject({ key: 'ip:216.58.212.100', macs: [] });
    expect(google?.vendor).toBeUndefined();
    const web = rep('http.pcapng').devices.find((d) => d.hostnames.includes('google.com'));
    expect(web).toMatchObject({ macs: [] });
    expect(web?.vendor).toBeUndefined();
    // the local client keeps its own MAC and vendor
    expect(tls.devices.find((d) => d.ips.includes('172.31.3.224'))).toMatchObject({ macs: ['80:c6:ca:00:9e:9f'], vendor: expect.any(String) });
    // a zone claiming that address space makes it the hospital's own: the MAC is then the host's
    const claimed = await analyzeCapture(pcap('google_ssl.pcap'), { detection: { policy: parsePolicy({ zones: [{ name: 'campus', cidrs: ['216.58.212.0/24'] }] }) } });
    expect(claimed.devices.find((d) => d.ips.includes('216.58.212.100'))?.macs).toEqual(['00:0e:8e:4d:b4:a8']);
  });

  it('reads any byte stream (stdin) and reports progress in bytes, packets and flows ending at the totals', async () => {
    const file = pcap('google_ssl.pcap');
    const seen: AnalyzeProgress[] = [];
    const r = await analyzeCapture({ bytes: createReadStream(file, { highWaterMark: 1024 }), name: 'stdin' }, { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    expect(r.capture.name).toBe('stdin');
    expect(r.devices.map((d) => d.key)).toEqual(rep('google_ssl.pcap').devices.map((d) => d.key));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toMatchObject({ bytes: statSync(file).size, packets: r.capture.packets, flows: r.capture.flows });
    expect(seen.map((p) => p.bytes)).toEqual([...seen.map((p) => p.bytes)].sort((a, b) => a - b));
  });
});
