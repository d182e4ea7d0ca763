import { describe, expect, it } from 'vitest';
import type { FlowKey, Observation } from '../model.js';
import { DiscoveryBuilder } from './builder.js';
import { describeProfile, toDeviceReportGroup } from './devices.js';
import { fallbackOuiDatabase } from './oui.js';

const DEVICE = { ip: '10.3.0.40', mac: '02:00:00:00:03:40' };
const flow: FlowKey = { transport: 'tcp', client: { ip: '10.3.0.5', port: 50000, mac: '02:00:00:00:03:05' }, server: { ip: DEVICE.ip, port: 49152, mac: DEVICE.mac } };
const base = { deviceType: null, friendlyName: null, manufacturer: null, modelName: null, modelNumber: null, modelDescription: null, serialNumber: null, udn: null, embeddedDevices: [] };
const description = (frame: number, fields: Record<string, unknown>): Observation => ({
  protocol: 'http', kind: 'http.upnp-description', producer: 'http@1.1.0', ts: 1_700_000_000_000_000 + frame, frame, flow, dir: 's2c', fields: { ...base, ...fields },
});
const ctx = fallbackOuiDatabase();

function device(...observations: Observation[]) {
  const b = new DiscoveryBuilder();
  for (const o of observations) b.observe(o);
  const d = b.finish().map((p) => describeProfile(p, ctx)).find((x) => x.ips.includes(DEVICE.ip));
  if (!d) throw new Error('device not discovered');
  return d;
}

describe('discovery from UPnP device descriptions', () => {
  it('records the description on the HTTP server side only, with the frame as evidence', () => {
    const d = device(description(7, { friendlyName: 'Ward 4 printer', manufacturer: 'Brother', modelName: 'HL-L5100DN', modelNumber: 'HL-L5100DN', serialNumber: 'E12345A6N', udn: 'uuid:E3248000-80CE-11DB-8000-30055C000001', deviceType: 'urn:schemas-upnp-org:device:Printer:1' }));
    expect(d).toMatchObject({ name: 'Ward 4 printer', friendlyNames: ['Ward 4 printer'], serialNumbers: ['E12345A6N'], upnpUdns: ['uuid:e3248000-80ce-11db-8000-30055c000001'] });
    expect(d.model).toMatchObject({ value: 'HL-L5100DN', evidence: [{ frame: 7, field: 'announcedModels', value: 'HL-L5100DN' }] });
    expect(d.category).toMatchObject({ value: 'printer', rule: 'upnp.device-type', confidence: 0.6, evidence: [{ frame: 7, field: 'upnpDeviceTypes', value: 'urn:schemas-upnp-org:device:Printer:1' }] });
    expect(d.manufacturer).toMatchObject({ value: 'Brother', rule: 'upnp.manufacturer' });
  });

  it('takes a category from an embedded device type when the root says nothing', () => {
    const d = device(description(3, { deviceType: 'urn:schemas-upnp-org:device:Basic:1', embeddedDevices: [{ deviceType: 'urn:schemas-upnp-org:device:DigitalSecurityCamera:1' }] }));
    expect(d.category).toMatchObject({ value: 'ip-camera', rule: 'upnp.device-type' });
  });

  it('a media renderer type or a vague "Media Server" description does not outvote a Windows user agent', () => {
    const ua: Observation = { protocol: 'http', kind: 'http.request', producer: 'http@1.1.0', ts: 1, frame: 1, flow: { ...flow, client: flow.server, server: flow.client }, dir: 'c2s', fields: { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' } };
    const d = device(ua, description(9, { deviceType: 'urn:schemas-upnp-org:device:MediaRenderer:1', modelDescription: 'UPnP/AV 1.0 Compliant Media Server' }));
    expect(d.category).toMatchObject({ value: 'workstation', rule: 'http.windows-user-agent' });
  });

  it('names the category a medical vendor device type or model description gives', () => {
    expect(device(description(2, { deviceType: 'urn:acme-med-com:device:InfusionPump:2' })).category).toMatchObject({ value: 'infusion-pump', rule: 'upnp.vendor-device-type' });
    expect(device(description(2, { modelDescription: 'Patient Monitor' })).category).toMatchObject({ value: 'patient-monitor', confidence: 0.4 });
  });

  it('sends a serial number only together with the manufacturer the description named, and not when several were seen', () => {
    const opts = { source: 't', observedAt: '2023-11-14T22:13:20.000Z' };
    const withMaker = toDeviceReportGroup(device(description(4, { manufacturer: 'Baxter', serialNumber: 'SN-0042' })), opts);
    expect(withMaker.filter((r) => r.attributes.serialNumber !== undefined).map((r) => r.attributes)).toEqual([{ manufacturer: 'Baxter', serialNumber: 'SN-0042' }]);
    const noMaker = toDeviceReportGroup(device(description(4, { serialNumber: 'SN-0042' })), opts);
    expect(noMaker.some((r) => r.attributes.serialNumber !== undefined)).toBe(false);
    const two = toDeviceReportGroup(device(description(4, { manufacturer: 'Baxter', serialNumber: 'SN-0042' }), description(5, { manufacturer: 'Baxter', serialNumber: 'SN-0043' })), opts);
    expect(two.some((r) => r.attributes.serialNumber !== undefined)).toBe(false);
  });
});
