import { describe, expect, it } from 'vitest';
import { applyPatch, createDevice, foldDevices, mergeReport, outranks } from './merge.js';
import type { Device, DeviceReport, Provenance } from './model.js';
import { normalizeReport } from './report.js';

const T0 = '2024-01-01T00:00:00.000Z';
const T1 = '2024-02-01T00:00:00.000Z';
const T2 = '2024-03-01T00:00:00.000Z';
const NOW = '2024-06-01T00:00:00.000Z';

const prov = (source: string, observedAt: string, confidence = 0.8, kind: Provenance['kind'] = 'import'): Provenance => ({ source, kind, confidence, observedAt });

function rep(attributes: DeviceReport['attributes'], p: Provenance, network: DeviceReport['network'] = {}) {
  return normalizeReport({ attributes, network, provenance: p }, 0);
}

function created(attributes: DeviceReport['attributes'], p: Provenance, network: DeviceReport['network'] = {}, id = 'dev_A', at = T0): Device {
  return createDevice(id, rep(attributes, p, network), at).device;
}

describe('attribute precedence', () => {
  it('lets a manual value beat an import with higher confidence and a newer observation', () => {
    const manual = prov('manual:user_1', T0, 1, 'manual');
    const device = created({ owner: 'Radiology' }, manual);
    const res = mergeReport(device, rep({ owner: 'Cardiology' }, prov('import:cmms.csv', T2, 1)), NOW);
    expect(res.device.owner).toBe('Radiology');
    expect(res.changed).toEqual([]);
  });

  it('lets higher confidence win over a newer observation with lower confidence', () => {
    const device = created({ model: 'MX800' }, prov('import:cmms.csv', T0, 0.9));
    const res = mergeReport(device, rep({ model: 'MX700' }, prov('discovery:dhcp', T2, 0.5, 'discovery')), NOW);
    expect(res.device.model).toBe('MX800');
    expect(res.device.provenance.model?.source).toBe('import:cmms.csv');
  });

  it('lets the newer observation win at equal confidence and keeps an older one from overwriting', () => {
    const device = created({ unit: 'ICU' }, prov('import:a.csv', T1));
    const newer = mergeReport(device, rep({ unit: 'ER' }, prov('import:b.csv', T2)), NOW);
    expect(newer.device.unit).toBe('ER');
    expect(newer.changed).toEqual(['unit']);
    expect(newer.device.provenance.unit).toEqual(prov('import:b.csv', T2));
    const older = mergeReport(newer.device, rep({ unit: 'Ward 3' }, prov('import:c.csv', T0)), NOW);
    expect(older.device.unit).toBe('ER');
    expect(older.changed).toEqual([]);
  });

  it('keeps the current value when another source disagrees at the same instant, but lets a source correct itself', () => {
    const p = prov('import:a.csv', T1);
    expect(outranks(prov('import:b.csv', T1), p)).toBe(false);
    expect(outranks(prov('import:a.csv', T1), p)).toBe(true);
    const device = created({ room: '101' }, p);
    expect(mergeReport(device, rep({ room: '102' }, prov('import:b.csv', T1)), NOW).device.room).toBe('101');
    expect(mergeReport(device, rep({ room: '102' }, prov('import:a.csv', T1)), NOW).device.room).toBe('102');
  });

  it('upgrades provenance when a stronger source confirms a value, without calling the value changed', () => {
    const device = created({ model: 'MX800' }, prov('discovery:dhcp', T0, 0.5, 'discovery'));
    const res = mergeReport(device, rep({ model: 'MX800' }, prov('import:cmms.csv', T1, 0.9)), NOW);
    expect(res.changed).toEqual([]);
    expect(res.written).toBe(true);
    expect(res.device.provenance.model?.source).toBe('import:cmms.csv');
  });

  it('does not touch provenance when an equal or weaker source repeats a value', () => {
    const device = created({ model: 'MX800' }, prov('import:cmms.csv', T0, 0.9));
    const res = mergeReport(device, rep({ model: 'MX800' }, prov('import:cmms.csv', T2, 0.9)), NOW);
    expect(res.written).toBe(false);
    expect(res.device).toBe(device);
  });
});

describe('reapplying and sightings', () => {
  it('writes nothing when the same report is applied again', () => {
    const r = rep({ name: 'Pump 7', category: 'infusion pump', serialNumber: 'SN7' }, prov('import:a.csv', T0), { macs: ['00:11:22:33:44:55'] });
    const device = createDevice('dev_A', r, T0).device;
    const again = mergeReport(device, r, NOW);
    expect(again).toEqual({ device, changed: [], networkChanged: false, written: false });
    expect(again.device.updatedAt).toBe(T0);
  });

  it('moves last seen forward for discovery and agent reports but not for imports', () => {
    const device = created({ name: 'Monitor' }, prov('import:a.csv', T0));
    expect(mergeReport(device, rep({ name: 'Monitor' }, prov('import:b.csv', T2)), NOW).written).toBe(true); // new source listed
    const imported = mergeReport(device, rep({}, prov('import:a.csv', T2)), NOW);
    expect(imported.written).toBe(false);
    const seen = mergeReport(device, rep({}, prov('discovery:netflow', T2, 0.6, 'discovery')), NOW);
    expect(seen.device.lastSeen).toBe(T2);
    expect(seen.device.firstSeen).toBe(T0);
    expect(seen.changed).toEqual([]);
  });

  it('adds new network identities, keeps the old ones, and records who added them', () => {
    const device = created({}, prov('import:a.csv', T0), { macs: ['00:11:22:33:44:55'], ips: ['10.0.0.5'] });
    const res = mergeReport(device, rep({}, prov('discovery:dicom', T1, 0.7, 'discovery'), { ips: ['10.0.0.9'], aeTitles: ['CT_ROOM1'] }), NOW);
    expect(res.networkChanged).toBe(true);
    expect(res.device.network.ips).toEqual(['10.0.0.5', '10.0.0.9']);
    expect(res.device.network.macs).toEqual(['00:11:22:33:44:55']);
    expect(res.device.network.aeTitles).toEqual(['CT_ROOM1']);
    expect(res.device.provenance.network?.source).toBe('discovery:dicom');
  });
});

describe('inferred defaults', () => {
  it('infers criticality and PHI handling from the category with the lowest rank', () => {
    const device = created({ category: 'Ventilator' }, prov('import:a.csv', T0));
    expect(device.criticality).toBe('life-sustaining');
    expect(device.provenance.criticality).toMatchObject({ kind: 'inferred', source: 'taxonomy:ventilator' });
  });

  it('lets any reported criticality replace an inferred one, and re-infers only while still inferred', () => {
    const device = created({ category: 'infusion pump' }, prov('import:a.csv', T0));
    expect(device.criticality).toBe('life-supporting');
    const recategorized = mergeReport(device, rep({ category: 'ventilator' }, prov('import:a.csv', T1)), NOW);
    expect(recategorized.device.criticality).toBe('life-sustaining');
    expect(recategorized.changed).toEqual(['category', 'criticality']);
    const stated = mergeReport(device, rep({ criticality: 'diagnostic' }, prov('discovery:x', T1, 0.2, 'discovery')), NOW).device;
    const later = mergeReport(stated, rep({ category: 'ventilator' }, prov('import:a.csv', T2)), NOW).device;
    expect(later.criticality).toBe('diagnostic');
  });
});

describe('manual edits', () => {
  it('sets values with manual provenance and a cleared value stays cleared against later imports', () => {
    const device = created({ owner: 'Radiology', room: '12' }, prov('import:a.csv', T0));
    const manual = prov('manual:user_1', T1, 1, 'manual');
    const edited = applyPatch(device, { owner: 'Imaging', room: null }, {}, manual, NOW);
    expect(edited.changed).toEqual(['owner', 'room']);
    expect(edited.device.owner).toBe('Imaging');
    expect(edited.device.room).toBeUndefined();
    expect(edited.device.provenance.room).toEqual(manual);
    const reimport = mergeReport(edited.device, rep({ owner: 'Radiology', room: '12' }, prov('import:a.csv', T2, 1)), NOW);
    expect(reimport.device.owner).toBe('Imaging');
    expect(reimport.device.room).toBeUndefined();
  });

  it('replaces the network lists a patch names and leaves the others', () => {
    const device = created({}, prov('import:a.csv', T0), { macs: ['00:11:22:33:44:55'], ips: ['10.0.0.5'] });
    const res = applyPatch(device, {}, { ips: ['10.0.0.6'] }, prov('manual:u', T1, 1, 'manual'), NOW);
    expect(res.device.network.ips).toEqual(['10.0.0.6']);
    expect(res.device.network.macs).toEqual(['00:11:22:33:44:55']);
    expect(res.networkChanged).toBe(true);
  });

  it('writes nothing for a patch that repeats manual values', () => {
    const manual = prov('manual:u', T1, 1, 'manual');
    const once = applyPatch(created({ owner: 'A' }, prov('import:a.csv', T0)), { owner: 'B' }, {}, manual, NOW).device;
    const twice = applyPatch(once, { owner: 'B' }, {}, manual, NOW);
    expect(twice.written).toBe(false);
  });
});

describe('folding records of one device', () => {
  it('keeps the earliest record, takes the best-ranked value per attribute and unites identities', () => {
    const older = created({ name: 'CT 1', model: 'Revolution', owner: 'Radiology' }, prov('import:cmms.csv', T0, 0.9), { macs: ['00:11:22:33:44:55'] }, 'dev_OLD', T0);
    const newer = created(
      { name: 'ct-room1', model: 'Revolution EVO', firmwareVersion: '27.1' },
      prov('discovery:dicom', T2, 0.6, 'discovery'),
      { aeTitles: ['CT_ROOM1'], ips: ['10.1.1.1'] },
      'dev_NEW',
      T1,
    );
    const { device, mergedFrom } = foldDevices([newer, older], NOW);
    expect(device.id).toBe('dev_OLD');
    expect(mergedFrom).toEqual(['dev_NEW']);
    expect(device.name).toBe('CT 1');
    expect(device.model).toBe('Revolution');
    expect(device.firmwareVersion).toBe('27.1');
    expect(device.provenance.firmwareVersion?.source).toBe('discovery:dicom');
    expect(device.provenance.owner?.source).toBe('import:cmms.csv');
    expect(device.network.macs).toEqual(['00:11:22:33:44:55']);
    expect(device.network.aeTitles).toEqual(['CT_ROOM1']);
    expect(device.sources).toEqual(['import:cmms.csv', 'discovery:dicom']);
    expect(device.firstSeen).toBe(T0);
    expect(device.lastSeen).toBe(T2);
    expect(device.createdAt).toBe(T0);
    expect(device.updatedAt).toBe(NOW);
  });

  it('keeps a manual value from the younger record over an import on the survivor', () => {
    const older = created({ owner: 'Radiology' }, prov('import:cmms.csv', T2, 1), {}, 'dev_OLD', T0);
    const newer = created({ owner: 'Cardiology' }, prov('manual:u', T0, 1, 'manual'), {}, 'dev_NEW', T1);
    expect(foldDevices([older, newer], NOW).device.owner).toBe('Cardiology');
  });
});
