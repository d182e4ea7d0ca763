import { describe, expect, it } from 'vitest';
import { createDevice, normalizeReport, type Device, type DeviceReport } from '../../inventory/index.js';
import type { FlowKey, Observation } from '../model.js';
import { DiscoveryBuilder } from './builder.js';
import { describeProfile, toDeviceReportGroup } from './devices.js';
import { claimantOf, claimedKeys, claimsOf, findIdentityConflicts, judgeClaim, withoutRefusedClaims, type Claimant, type ClaimHolder, type IdentityClaim } from './identity-claims.js';
import { fallbackOuiDatabase } from './oui.js';

const MAC_A = '02:00:00:00:0a:0a';
const MAC_B = '02:00:00:00:0b:0b';
const serialClaim = (value = 'SN-0042', manufacturer = 'Baxter'): IdentityClaim => ({ kind: 'serial', value, key: { kind: 'serial', value }, manufacturer, frame: 7 });
const aeClaim = (value = 'CT_SCANNER1'): IdentityClaim => ({ kind: 'ae_title', value, key: { kind: 'ae_title', value }, frame: 3 });
const claimant = (key: string, macs: string[], claims: IdentityClaim[], ips = ['10.0.0.9']): Claimant => ({ key, name: key, macs, ips, claims });
const holder = (id: string, macs: string[], manufacturer?: string): ClaimHolder => ({ id, name: `record ${id}`, macs, ...(manufacturer ? { manufacturer } : {}) });

describe('judgeClaim', () => {
  it('refuses a serial whose record knows other MACs, naming that record', () => {
    const rogue = claimant('mac:b', [MAC_B], [serialClaim()]);
    const pump = holder('dev_pump', [MAC_A], 'Baxter');
    expect(judgeClaim(rogue, rogue.claims[0]!, [pump], [rogue])).toEqual({ claimant: rogue, claim: rogue.claims[0], basis: 'record', owners: [pump], rivals: [] });
  });

  it('accepts the claim of a host whose MAC the record already has', () => {
    const pump = claimant('mac:a', [MAC_A], [serialClaim()]);
    expect(judgeClaim(pump, pump.claims[0]!, [holder('dev_pump', [MAC_A], 'Baxter')], [pump])).toBeUndefined();
  });

  it('accepts a claim naming a record with no MAC (known only by serial or AE title), and a claimant without a MAC', () => {
    const rogue = claimant('mac:b', [MAC_B], [aeClaim()]);
    expect(judgeClaim(rogue, rogue.claims[0]!, [holder('dev_ct', [])], [rogue])).toBeUndefined();
    const routed = claimant('ip:10.9.0.4', [], [aeClaim()]);
    expect(judgeClaim(routed, routed.claims[0]!, [holder('dev_ct', [MAC_A])], [routed])).toBeUndefined();
  });

  it('ignores a serial record of another maker (serials are unique per maker only)', () => {
    const other = claimant('mac:b', [MAC_B], [serialClaim('SN-0042', 'Philips')]);
    expect(judgeClaim(other, other.claims[0]!, [holder('dev_pump', [MAC_A], 'Baxter')], [other])).toBeUndefined();
  });

  it('refuses when any record holding the identifier contradicts, even if another has the claimant\'s MAC', () => {
    const pump = claimant('mac:a', [MAC_A], [serialClaim()]);
    const other = holder('dev_other', ['02:00:00:00:0c:0c'], 'Baxter');
    expect(judgeClaim(pump, pump.claims[0]!, [holder('dev_pump', [MAC_A], 'Baxter'), other], [pump])).toMatchObject({ basis: 'record', owners: [other] });
  });

  it('without a record that knows the identifier by MAC, refuses it to every host of the capture that claims it', () => {
    const a = claimant('mac:a', [MAC_A], [aeClaim()]);
    const b = claimant('mac:b', [MAC_B], [aeClaim()]);
    expect(judgeClaim(a, a.claims[0]!, [], [a, b])).toMatchObject({ basis: 'rivals', rivals: [b], owners: [] });
    expect(judgeClaim(b, b.claims[0]!, [holder('dev_ct', [])], [a, b])).toMatchObject({ basis: 'rivals', rivals: [a] });
  });

  it('when a record knows the identifier by MAC, it decides and the capture\'s other claimants do not', () => {
    const a = claimant('mac:a', [MAC_A], [aeClaim()]);
    const b = claimant('mac:b', [MAC_B], [aeClaim()]);
    const ct = holder('dev_ct', [MAC_A]);
    expect(judgeClaim(a, a.claims[0]!, [ct], [a, b])).toBeUndefined();
    expect(judgeClaim(b, b.claims[0]!, [ct], [a, b])).toMatchObject({ basis: 'record', owners: [ct] });
  });
});

const NOW = '2026-01-01T00:00:00.000Z';
function device(id: string, r: DeviceReport): Device {
  return createDevice(id, normalizeReport(r, 0), NOW).device;
}
const imported = (attributes: DeviceReport['attributes'], network: DeviceReport['network']): DeviceReport => ({ attributes, network, provenance: { source: 'import:cmms.csv', kind: 'import', confidence: 0.9, observedAt: NOW } });

describe('findIdentityConflicts', () => {
  it('indexes the records by their own keys of the kind judged (normalized as the inventory does)', () => {
    const pump = device('dev_pump', imported({ name: 'Pump 7', manufacturer: 'Baxter', serialNumber: 'sn 0042' }, { macs: [MAC_A.toUpperCase()] }));
    const rogue = claimant('mac:b', [MAC_B], [serialClaim('SN0042'), aeClaim('PUMP7')]);
    const conflicts = findIdentityConflicts([rogue], 'serial', [pump]);
    expect(conflicts).toEqual([{ claimant: rogue, claim: rogue.claims[0], basis: 'record', owners: [{ id: 'dev_pump', name: 'Pump 7', manufacturer: 'Baxter', macs: [MAC_A] }], rivals: [] }]);
    // the AE title claim is judged on its own turn, and no record holds it
    expect(findIdentityConflicts([rogue], 'ae_title', [pump])).toEqual([]);
  });

  it('asks the inventory only for the keys of claimants that have a MAC', () => {
    const routed = claimant('ip:10.9.0.4', [], [aeClaim('ROUTED_AE')]);
    const local = claimant('mac:b', [MAC_B], [aeClaim('LOCAL_AE'), serialClaim()]);
    expect(claimedKeys([routed, local, local], 'ae_title')).toEqual([{ kind: 'ae_title', value: 'LOCAL_AE' }]);
    expect(claimedKeys([routed, local], 'serial')).toEqual([{ kind: 'serial', value: 'SN-0042' }]);
  });
});

const flow = (server: { ip: string; mac: string }): FlowKey => ({ transport: 'tcp', client: { ip: '10.3.0.5', port: 50000, mac: '02:00:00:00:03:05' }, server: { ip: server.ip, port: 49152, mac: server.mac } });
const upnp = (server: { ip: string; mac: string }, frame: number, fields: Record<string, unknown>): Observation => ({
  protocol: 'http', kind: 'http.upnp-description', producer: 'http@1.1.0', ts: 1_700_000_000_000_000 + frame, frame, flow: flow(server), dir: 's2c',
  fields: { deviceType: null, friendlyName: null, manufacturer: null, modelName: null, modelNumber: null, modelDescription: null, serialNumber: null, udn: null, embeddedDevices: [], ...fields },
});
function discovered(...observations: Observation[]) {
  const b = new DiscoveryBuilder();
  for (const o of observations) b.observe(o);
  return b.finish().map((p) => describeProfile(p, fallbackOuiDatabase())).filter((d) => d.ips[0] !== '10.3.0.5');
}

describe('claimsOf', () => {
  it('claims the serial the reports would carry, with its maker and the frame that declared it', () => {
    const [d] = discovered(upnp({ ip: '10.3.0.40', mac: MAC_B }, 9, { friendlyName: 'Pump', manufacturer: 'Baxter', serialNumber: 'SN-0042' }));
    expect(claimsOf(d!)).toEqual([{ kind: 'serial', value: 'SN-0042', key: { kind: 'serial', value: 'SN-0042' }, manufacturer: 'Baxter', frame: 9 }]);
    expect(claimantOf(d!)).toMatchObject({ macs: [MAC_B], ips: ['10.3.0.40'] });
  });

  it('claims no serial without the description\'s manufacturer, and none that is a placeholder', () => {
    const [noMaker] = discovered(upnp({ ip: '10.3.0.40', mac: MAC_B }, 9, { serialNumber: 'SN-0042' }));
    expect(claimsOf(noMaker!)).toEqual([]);
    const [placeholder] = discovered(upnp({ ip: '10.3.0.40', mac: MAC_B }, 9, { manufacturer: 'Baxter', serialNumber: 'N/A' }));
    expect(claimsOf(placeholder!)).toEqual([]);
  });

  it('claims identifying AE titles with their first frame, not toolkit defaults', () => {
    const b = new DiscoveryBuilder();
    const k: FlowKey = { transport: 'tcp', client: { ip: '10.1.0.7', port: 40000, mac: MAC_B }, server: { ip: '10.1.0.8', port: 104, mac: MAC_A } };
    b.observe({ protocol: 'dicom', kind: 'dicom.associate-rq', producer: 't@1', ts: 1, frame: 4, flow: k, dir: 'c2s', fields: { callingAe: 'CT_SCANNER1', calledAe: 'STORESCP' } });
    b.observe({ protocol: 'dicom', kind: 'dicom.associate-ac', producer: 't@1', ts: 2, frame: 5, flow: k, dir: 's2c', fields: { accepted: true, callingAe: 'CT_SCANNER1', calledAe: 'STORESCP' } });
    const devices = b.finish().map((p) => describeProfile(p, fallbackOuiDatabase()));
    const ct = devices.find((d) => d.macs.includes(MAC_B))!;
    const pacs = devices.find((d) => d.macs.includes(MAC_A))!;
    expect(claimsOf(ct)).toEqual([{ kind: 'ae_title', value: 'CT_SCANNER1', key: { kind: 'ae_title', value: 'CT_SCANNER1' }, frame: 4 }]);
    expect(pacs.aeTitles).toEqual(['STORESCP']);
    expect(claimsOf(pacs)).toEqual([]);
  });
});

describe('withoutRefusedClaims', () => {
  it('drops a refused serial and refused AE titles from every report of the group, and nothing else', () => {
    const [d] = discovered(upnp({ ip: '10.3.0.40', mac: MAC_B }, 9, { friendlyName: 'Pump', manufacturer: 'Baxter', serialNumber: 'SN-0042' }));
    const group = toDeviceReportGroup({ ...d!, aeTitles: ['CT_SCANNER1', 'OTHER_AE'], aeTitleFrames: [1, 2] }, { source: 't', observedAt: NOW });
    const out = withoutRefusedClaims(group, [serialClaim(), aeClaim('CT_SCANNER1')]);
    expect(out).toHaveLength(group.length);
    expect(out.some((r) => r.attributes.serialNumber !== undefined)).toBe(false);
    expect(out.find((r) => r.attributes.manufacturer !== undefined)?.attributes).toEqual({ manufacturer: 'Baxter' });
    for (const r of out) expect(r.network).toMatchObject({ macs: [MAC_B], aeTitles: ['OTHER_AE'] });
    // the input group is left as it was
    expect(group.some((r) => r.attributes.serialNumber === 'SN-0042')).toBe(true);
    expect(group[0]?.network?.aeTitles).toEqual(['CT_SCANNER1', 'OTHER_AE']);
    expect(withoutRefusedClaims(group, [])).toEqual(group);
  });
});
