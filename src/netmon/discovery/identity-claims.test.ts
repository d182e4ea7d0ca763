import { describe, expect, it } from 'vitest';
import { createDevice, normalizeReport, type Device, type DeviceReport } from '../../inventory/index.js';
import type { FlowKey, Observation } from '../model.js';
import { DiscoveryBuilder } from './builder.js';
import { describeProfile, toDeviceReportGroup } from './devices.js';
import { MAX_LISTED_RIVALS, claimantOf, claimedKeys, claimsOf, findIdentityConflicts, judgeClaim, withoutRefusedClaims, type Claimant, type ClaimHolder, type IdentityClaim } from './identity-claims.js';
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

  it('judges 10,000 claimants without comparing each claim with every other claimant (no quadratic rival scan)', () => {
    // a first ingest of a large site: every device declares its own AE title and serial, none is known yet
    const mac = (i: number) => `02:00:00:${[i >> 16, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    const many = Array.from({ length: 10_000 }, (_, i) => claimant(`mac:${i}`, [mac(i)], [aeClaim(`AE${i}`), serialClaim(`SN-${i}`)]));
    const twin = claimant('mac:twin', [MAC_B], [aeClaim('AE17')]);
    const started = performance.now();
    const ae = findIdentityConflicts([...many, twin], 'ae_title', []);
    const serial = findIdentityConflicts(many, 'serial', []);
    // linear work is tens of milliseconds; a scan of all claimants per claim took about 80 s here
    expect(performance.now() - started).toBeLessThan(3000);
    expect(serial).toEqual([]);
    expect(ae.map((c) => [c.claimant.key, c.rivals.map((r) => r.key)])).toEqual([
      ['mac:17', ['mac:twin']],
      ['mac:twin', ['mac:17']],
    ]);
  });

  it('judges a fleet of 10,000 hosts declaring one serial in linear work, listing a bounded number of rivals and counting them all', () => {
    // every unit of a model whose firmware declares the same serial (a vendor placeholder the
    // inventory does not know): each conflict listing the other 9,999 was quadratic in time and memory
    const mac = (i: number) => `02:00:01:${[i >> 16, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    const fleet = Array.from({ length: 10_000 }, (_, i) => claimant(`mac:${i}`, [mac(i)], [serialClaim('TV-000000001', 'LG')]));
    // another maker's device with the same serial is no rival; a unit with two profiles sharing a MAC is not its own rival
    const other = claimant('mac:other', [MAC_A], [serialClaim('TV-000000001', 'Philips')]);
    const twin = claimant('mac:twin', [mac(0), MAC_B], [serialClaim('TV-000000001', 'LG')]);
    const started = performance.now();
    const conflicts = findIdentityConflicts([...fleet, other, twin], 'serial', []);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(conflicts).toHaveLength(10_001);
    const first = conflicts[0]!;
    expect(first).toMatchObject({ basis: 'rivals', rivalCount: 9_999 });
    expect(first.rivals).toHaveLength(MAX_LISTED_RIVALS);
    expect(first.rivals).not.toContain(twin);
    expect(first.rivals).not.toContain(other);
    expect(conflicts.find((c) => c.claimant === twin)).toMatchObject({ rivalCount: 9_999 });
    expect(conflicts.find((c) => c.claimant === fleet[1])).toMatchObject({ rivalCount: 10_000 });
    // a short list is complete: no count beside it
    const few = findIdentityConflicts(fleet.slice(0, 3), 'serial', []);
    expect(few.map((c) => c.rivals.length)).toEqual([2, 2, 2]);
    expect(few[0]).not.toHaveProperty('rivalCount');
  });

  it('asks the inventory for the keys of every claimant, with or without a MAC, once each', () => {
    const routed = claimant('ip:10.9.0.4', [], [aeClaim('ROUTED_AE')]);
    const local = claimant('mac:b', [MAC_B], [aeClaim('LOCAL_AE'), serialClaim()]);
    expect(claimedKeys([routed, local, local], 'ae_title')).toEqual([
      { kind: 'ae_title', value: 'ROUTED_AE' },
      { kind: 'ae_title', value: 'LOCAL_AE' },
    ]);
    expect(claimedKeys([routed, local], 'serial')).toEqual([{ kind: 'serial', value: 'SN-0042' }]);
  });

  it('lets the claims of a claimant without a MAC stand while they name one record known by MAC', () => {
    const ct = device('dev_ct', imported({ name: 'CT room 1' }, { macs: [MAC_A], aeTitles: ['CT_SCANNER1'] }));
    const routed = claimant('ip:10.9.0.4', [], [aeClaim('CT_SCANNER1'), aeClaim('CT_SCANNER1_SC')]);
    expect(findIdentityConflicts([routed], 'ae_title', [ct])).toEqual([]);
  });

  it('refuses the claims of a claimant without a MAC that name records known by different MACs (they would fold into one)', () => {
    const ct = device('dev_ct', imported({ name: 'CT room 1' }, { macs: [MAC_A], aeTitles: ['CT_SCANNER1'] }));
    const mr = device('dev_mr', imported({ name: 'MR room 2' }, { macs: [MAC_B], aeTitles: ['MR_ROOM2'] }));
    const onlyAe = device('dev_old', imported({ name: 'old archive' }, { aeTitles: ['OLD_AE'] }));
    const routed = claimant('ip:10.9.0.4', [], [aeClaim('CT_SCANNER1'), aeClaim('MR_ROOM2'), aeClaim('OLD_AE')]);
    const conflicts = findIdentityConflicts([routed], 'ae_title', [ct, mr, onlyAe]);
    // the record known only by AE title is no contradiction: that claim stands
    expect(conflicts.map((c) => [c.claim.value, c.basis, c.owners.map((o) => o.id)])).toEqual([
      ['CT_SCANNER1', 'record', ['dev_ct']],
      ['MR_ROOM2', 'record', ['dev_mr']],
    ]);
    // two records that share a MAC (one device recorded twice) are no contradiction either
    const ctTwice = device('dev_ct2', imported({ name: 'CT room 1 (PACS)' }, { macs: [MAC_A], aeTitles: ['CT_SCANNER1_SC'] }));
    expect(findIdentityConflicts([claimant('ip:10.9.0.4', [], [aeClaim('CT_SCANNER1'), aeClaim('CT_SCANNER1_SC')])], 'ae_title', [ct, ctTwice])).toEqual([]);
  });

  it('judges a claimant without a MAC by the MACs of the record it merged into, as a rival too', () => {
    const pump = device('dev_pump', imported({ name: 'Pump 7', manufacturer: 'Baxter', serialNumber: 'SN-0042' }, { macs: [MAC_A] }));
    const inCt = { ...claimant('ip:10.9.0.4', [], [serialClaim()]), recordMacs: [MAC_B] };
    expect(findIdentityConflicts([inCt], 'serial', [pump])).toMatchObject([{ claimant: inCt, basis: 'record', owners: [{ id: 'dev_pump' }] }]);
    // in the pump's own record: it stands
    expect(findIdentityConflicts([{ ...inCt, recordMacs: [MAC_A] }], 'serial', [pump])).toEqual([]);
    // nobody holds it by MAC: a host with another MAC claiming it in the same capture is its rival
    const other = claimant('mac:c', ['02:00:00:00:0c:0c'], [serialClaim()]);
    expect(findIdentityConflicts([inCt, other], 'serial', []).map((c) => [c.claimant.key, c.basis, c.rivals.map((r) => r.key)])).toEqual([
      ['ip:10.9.0.4', 'rivals', ['mac:c']],
      ['mac:c', 'rivals', ['ip:10.9.0.4']],
    ]);
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
