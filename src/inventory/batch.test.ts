import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/index.js';
import { planBatch } from './batch.js';
import { identityKeyString } from './identity.js';
import { createDevice } from './merge.js';
import type { Device, DeviceReport } from './model.js';
import { normalizeReport, type NormalizedReport } from './report.js';

const NOW = '2024-06-01T00:00:00.000Z';
const p = (source: string, observedAt = '2024-05-01T00:00:00Z') => ({ source, kind: 'import' as const, confidence: 0.8, observedAt });

const norm = (reports: DeviceReport[]): NormalizedReport[] => reports.map((r, i) => normalizeReport(r, i));

function ids(prefix = 'dev_N') {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/** The identity index the repository would return for these devices. */
function indexOf(devices: Device[], reports: NormalizedReport[]): Map<string, string[]> {
  const wanted = new Set(reports.flatMap((r) => r.keys.map(identityKeyString)));
  const out = new Map<string, string[]>();
  for (const d of devices) {
    for (const k of normalizeReport({ attributes: { serialNumber: d.serialNumber, assetTag: d.assetTag }, network: d.network, provenance: p('x') }, 0).keys) {
      const s = identityKeyString(k);
      if (wanted.has(s)) out.set(s, [...(out.get(s) ?? []), d.id]);
    }
  }
  return out;
}

function existing(id: string, report: DeviceReport, createdAt: string): Device {
  return createDevice(id, normalizeReport(report, 0), createdAt).device;
}

describe('planBatch', () => {
  it('merges two reports of one batch that share a MAC into one new device', () => {
    const reports = norm([
      { attributes: { name: 'Pump 1', category: 'infusion pump' }, network: { macs: ['00:11:22:33:44:55'] }, provenance: p('import:a.csv') },
      { attributes: { firmwareVersion: '9.1' }, network: { macs: ['00-11-22-33-44-55'], ips: ['10.0.0.7'] }, provenance: { ...p('discovery:dhcp'), kind: 'discovery' } },
    ]);
    const plan = planBatch(reports, new Map(), new Map(), NOW, ids());
    expect(plan.outcomes.map((o) => [o.device.id, o.created])).toEqual([
      ['dev_N1', true],
      ['dev_N1', false],
    ]);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]!.created).toBe(true);
    expect(plan.writes[0]!.device.firmwareVersion).toBe('9.1');
    expect(plan.writes[0]!.device.provenance.name?.source).toBe('import:a.csv');
    expect(plan.writes[0]!.device.provenance.firmwareVersion?.source).toBe('discovery:dhcp');
  });

  it('folds two existing devices that one report links, dropping the younger record and its keys', () => {
    const a = existing('dev_A', { attributes: { name: 'CT', serialNumber: 'CT-0001', manufacturer: 'GE' }, network: { macs: ['00:11:22:33:44:55'] }, provenance: p('import:cmms.csv') }, '2024-01-01T00:00:00.000Z');
    const b = existing('dev_B', { attributes: { model: 'Revolution' }, network: { aeTitles: ['CT_ROOM1'] }, provenance: { ...p('discovery:dicom'), kind: 'discovery' } }, '2024-02-01T00:00:00.000Z');
    const reports = norm([{ attributes: {}, network: { macs: ['00:11:22:33:44:55'], aeTitles: ['CT_ROOM1'] }, provenance: { ...p('discovery:arp'), kind: 'discovery' } }]);
    const plan = planBatch(reports, new Map([a, b].map((d) => [d.id, d])), indexOf([a, b], reports), NOW, ids());
    expect(plan.outcomes[0]!.mergedFrom).toEqual(['dev_B']);
    expect(plan.removals).toEqual([{ id: 'dev_B', keys: [{ kind: 'ae_title', value: 'CT_ROOM1' }] }]);
    expect(plan.writes).toHaveLength(1);
    const w = plan.writes[0]!;
    expect(w.device.id).toBe('dev_A');
    expect(w.device.model).toBe('Revolution');
    expect(w.addKeys).toEqual([{ kind: 'ae_title', value: 'CT_ROOM1' }]);
    expect(w.removeKeys).toEqual([]);
  });

  it('scopes serial matches by manufacturer: a different maker is another device, an unknown maker matches', () => {
    const a = existing('dev_A', { attributes: { serialNumber: 'X1000', manufacturer: 'Philips' }, provenance: p('import:cmms.csv') }, '2024-01-01T00:00:00.000Z');
    const other = norm([{ attributes: { serialNumber: 'X1000', manufacturer: 'Baxter' }, provenance: p('import:b.csv') }]);
    expect(planBatch(other, new Map([[a.id, a]]), indexOf([a], other), NOW, ids()).outcomes[0]!.created).toBe(true);
    const same = norm([{ attributes: { serialNumber: 'X1000', manufacturer: 'Philips Healthcare' }, provenance: p('import:b.csv') }]);
    expect(planBatch(same, new Map([[a.id, a]]), indexOf([a], same), NOW, ids()).outcomes[0]!.device.id).toBe('dev_A');
    const unknownMaker = norm([{ attributes: { serialNumber: 'x1000', name: 'bedside' }, provenance: p('import:c.csv') }]);
    const plan = planBatch(unknownMaker, new Map([[a.id, a]]), indexOf([a], unknownMaker), NOW, ids());
    expect(plan.outcomes[0]).toMatchObject({ created: false, mergedFrom: [] });
    expect(plan.outcomes[0]!.device.id).toBe('dev_A');
  });

  it('does not let a serial without a maker join devices of two makers that share it', () => {
    const a = existing('dev_A', { attributes: { serialNumber: 'X1000', manufacturer: 'Philips' }, provenance: p('import:cmms.csv') }, '2024-01-01T00:00:00.000Z');
    const b = existing('dev_B', { attributes: { serialNumber: 'X1000', manufacturer: 'Baxter' }, provenance: p('import:cmms.csv') }, '2024-01-02T00:00:00.000Z');
    const reports = norm([{ attributes: { serialNumber: 'X1000' }, provenance: p('import:c.csv') }]);
    const plan = planBatch(reports, new Map([a, b].map((d) => [d.id, d])), indexOf([a, b], reports), NOW, ids());
    expect(plan.outcomes[0]).toMatchObject({ created: true, mergedFrom: [] });
    expect(plan.removals).toEqual([]);
  });

  it('never merges on placeholder serials or broadcast MACs', () => {
    const reports = norm([
      { attributes: { serialNumber: 'N/A' }, network: { macs: ['ff:ff:ff:ff:ff:ff'] }, provenance: p('import:a.csv') },
      { attributes: { serialNumber: 'N/A' }, network: { macs: ['ff:ff:ff:ff:ff:ff'] }, provenance: p('import:a.csv') },
    ]);
    const plan = planBatch(reports, new Map(), new Map(), NOW, ids());
    expect(plan.outcomes.every((o) => o.created)).toBe(true);
    expect(plan.writes).toHaveLength(2);
  });

  it('plans no write for a report that repeats what the device already says', () => {
    const report: DeviceReport = { attributes: { name: 'Pump', serialNumber: 'SN1' }, provenance: p('import:a.csv') };
    const a = existing('dev_A', report, '2024-01-01T00:00:00.000Z');
    const reports = norm([report]);
    const plan = planBatch(reports, new Map([[a.id, a]]), indexOf([a], reports), NOW, ids());
    expect(plan.writes).toEqual([]);
    expect(plan.removals).toEqual([]);
    expect(plan.outcomes[0]).toMatchObject({ created: false, changed: [], written: false });
  });

  it('fails with 404 naming the report when an explicit device id is unknown', () => {
    const reports = norm([{ attributes: {}, provenance: p('api'), deviceId: 'dev_MISSING' }]);
    let error: unknown;
    try {
      planBatch(reports, new Map(), new Map(), NOW, ids());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(404);
    expect((error as DomainError).location?.pointer).toBe('/0/deviceId');
  });
});
