/**
 * A device announced by SSDP and described by the UPnP description its LOCATION names: through the
 * whole pipeline (pcap -> flows -> HTTP dissector -> discovery), the description's manufacturer, model,
 * friendly name and serial number become the device's report, each with the frame that showed it.
 */
import { describe, expect, it } from 'vitest';
import * as F from '../../../src/netmon/capture/testing/frames.js';
import { concatBytes, PcapWriter } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { TcpFlag } from '../../../src/netmon/decode/index.js';
import { fallbackOuiDatabase, toDeviceReportGroup } from '../../../src/netmon/discovery/index.js';
import { analyzeCapture } from '../../../src/netmon/index.js';

const { SYN, ACK, PSH, FIN } = TcpFlag;
const enc = (s: string) => new TextEncoder().encode(s);

const MONITOR = { ip: '10.20.1.30', mac: '02:1e:c0:00:00:30' };
const STATION = { ip: '10.20.1.5', mac: '02:1e:c0:00:00:05' };
const PORT = 49152;

const DESCRIPTION = `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <device>
    <deviceType>urn:philips-com:device:PatientMonitor:1</deviceType>
    <friendlyName>ICU-3 Bed 12 Monitor</friendlyName>
    <manufacturer>Philips Medical Systems</manufacturer>
    <modelDescription>Patient Monitor</modelDescription>
    <modelName>IntelliVue MX800</modelName>
    <modelNumber>866062</modelNumber>
    <serialNumber>DE71234567</serialNumber>
    <UDN>uuid:4D696E69-444C-164E-9D41-001EC0000030</UDN>
  </device>
</root>`;

function capture(): Uint8Array {
  const pw = new PcapWriter();
  const frames: Uint8Array[] = [];
  const ether = (from: { mac: string }, to: { mac: string }, payload: Uint8Array) => F.ethernet({ src: from.mac, dst: to.mac, etherType: 0x0800, payload });
  const tcp = (from: typeof MONITOR, to: typeof MONITOR, sport: number, dport: number, seq: number, ack: number, flags: number, data = '') =>
    ether(from, to, F.ipv4({ src: from.ip, dst: to.ip, proto: 6, payload: F.tcp({ sport, dport, seq, ack, flags, payload: enc(data) }) }));
  // 1: the monitor announces itself and where its description is
  const notify = `NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://${MONITOR.ip}:${PORT}/description.xml\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nSERVER: Linux/4.14 UPnP/1.0 IntelliVue/M.00.03\r\nUSN: uuid:4d696e69-444c-164e-9d41-001ec0000030::upnp:rootdevice\r\n\r\n`;
  frames.push(ether(MONITOR, { mac: '01:00:5e:7f:ff:fa' }, F.ipv4({ src: MONITOR.ip, dst: '239.255.255.250', proto: 17, payload: F.udp({ sport: 1900, dport: 1900, payload: enc(notify) }) })));
  // 2-4: the central station connects and asks for the description
  const c = 51000;
  frames.push(tcp(STATION, MONITOR, c, PORT, 1000, 0, SYN));
  frames.push(tcp(MONITOR, STATION, PORT, c, 5000, 1001, SYN | ACK));
  const get = `GET /description.xml HTTP/1.1\r\nHost: ${MONITOR.ip}:${PORT}\r\nUser-Agent: CentralStation/1.0 UPnP/1.0\r\n\r\n`;
  frames.push(tcp(STATION, MONITOR, c, PORT, 1001, 5001, ACK | PSH, get));
  // 5-6: the answer, chunked and split over two segments
  const body = enc(DESCRIPTION);
  const half = 300;
  const head = `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset="utf-8"\r\nTransfer-Encoding: chunked\r\nServer: Linux/4.14 UPnP/1.0 IntelliVue/M.00.03\r\n\r\n`;
  const part1 = `${head}${half.toString(16)}\r\n${DESCRIPTION.slice(0, half)}\r\n`;
  const part2 = `${(body.length - half).toString(16)}\r\n${DESCRIPTION.slice(half)}\r\n0\r\n\r\n`;
  frames.push(tcp(MONITOR, STATION, PORT, c, 5001, 1001 + get.length, ACK | PSH, part1));
  frames.push(tcp(MONITOR, STATION, PORT, c, 5001 + part1.length, 1001 + get.length, ACK | PSH, part2));
  frames.push(tcp(STATION, MONITOR, c, PORT, 1001 + get.length, 5001 + part1.length + part2.length, FIN | ACK));
  return concatBytes([pw.header(), ...frames.map((data, i) => pw.record({ ts: 1_700_000_000_000_000 + i * 1000, data }))]);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('UPnP device descriptions in discovery', () => {
  it('a described monitor is reported with its manufacturer, model, friendly name, serial and UDN, citing the description frame', async () => {
    const report = await analyzeCapture({ bytes: once(capture()), name: 'upnp.pcap' }, { oui: fallbackOuiDatabase(), detection: { enabled: false } });
    const monitor = report.devices.find((d) => d.ips.includes(MONITOR.ip));
    expect(monitor).toBeDefined();
    expect(monitor).toMatchObject({
      name: 'ICU-3 Bed 12 Monitor',
      friendlyNames: ['ICU-3 Bed 12 Monitor'],
      serialNumbers: ['DE71234567'],
      upnpUdns: ['uuid:4d696e69-444c-164e-9d41-001ec0000030'],
      upnpDeviceTypes: ['urn:philips-com:device:PatientMonitor:1'],
      software: ['Linux/4.14 UPnP/1.0 IntelliVue/M.00.03'],
    });
    // the description completes in frame 6 (the second response segment)
    const evidence = [{ frame: 6, field: 'announcedManufacturers', value: 'Philips Medical Systems' }];
    expect(monitor?.manufacturer).toMatchObject({ value: 'Philips', rule: 'upnp.manufacturer', evidence });
    expect(monitor?.model).toMatchObject({ value: 'IntelliVue MX800 866062', rule: 'announced-model', evidence: [{ frame: 6, field: 'announcedModels', value: 'IntelliVue MX800 866062' }] });
    expect(monitor?.category).toMatchObject({ value: 'patient-monitor', rule: 'upnp.vendor-device-type', evidence: [{ frame: 6, field: 'upnpDeviceTypes' }] });

    const [seen, ...inferred] = toDeviceReportGroup(monitor!, { source: 'upnp.pcap', observedAt: '2023-11-14T22:13:20.000Z' });
    expect(seen?.attributes).toMatchObject({ name: 'ICU-3 Bed 12 Monitor' });
    expect(seen?.attributes.serialNumber).toBeUndefined();
    // the serial travels only with the manufacturer the same description named (serials are unique per maker)
    const withSerial = inferred.filter((r) => r.attributes.serialNumber !== undefined);
    expect(withSerial).toHaveLength(1);
    expect(withSerial[0]?.attributes).toMatchObject({ serialNumber: 'DE71234567', manufacturer: 'Philips' });

    const station = report.devices.find((d) => d.ips.includes(STATION.ip));
    expect(station?.friendlyNames).toEqual([]);
    expect(station?.manufacturer).toBeUndefined();
  });
});
