import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/index.js';
import type { DeviceReport } from './model.js';
import { normalizeReport } from './report.js';

const provenance = { source: 'import:cmms.csv', kind: 'import' as const, confidence: 0.9, observedAt: '2024-05-01T10:00:00Z' };

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('normalizeReport', () => {
  it('normalizes category, manufacturer, identifiers and timestamps', () => {
    const r = normalizeReport(
      {
        attributes: { name: '  Bed 4 pump ', category: 'IV Pump', manufacturer: 'GE Medical Systems', serialNumber: ' sn 123 ', endOfSupport: '2027-12-31T00:00:00Z' },
        network: { macs: ['00-1A-2B-3C-4D-5E', '001a.2b3c.4d5e'], aeTitles: [' PUMP_AE  '], ips: ['10.0.0.1'] },
        provenance,
      },
      3,
    );
    expect(r.attributes).toEqual({ name: 'Bed 4 pump', category: 'infusion-pump', manufacturer: 'GE Healthcare', serialNumber: 'sn 123', endOfSupport: '2027-12-31' });
    expect(r.network.macs).toEqual(['00:1a:2b:3c:4d:5e']);
    expect(r.network.aeTitles).toEqual(['PUMP_AE']);
    expect(r.provenance.observedAt).toBe('2024-05-01T10:00:00.000Z');
    expect(r.keys).toEqual([
      { kind: 'serial', value: 'SN123' },
      { kind: 'mac', value: '00:1a:2b:3c:4d:5e' },
      { kind: 'ae_title', value: 'PUMP_AE' },
    ]);
  });

  it('drops blank attributes instead of storing empty strings', () => {
    expect(normalizeReport({ attributes: { owner: '   ', room: '' }, provenance }, 0).attributes).toEqual({});
  });

  it.each<[string, DeviceReport, string, string]>([
    ['an unknown category', { attributes: { category: 'toaster' }, provenance }, 'device.unknown_category', '/7/attributes/category'],
    ['an invalid criticality', { attributes: { criticality: 'very' as never }, provenance }, 'device.invalid_criticality', '/7/attributes/criticality'],
    ['an invalid status', { attributes: { status: 'broken' as never }, provenance }, 'device.invalid_status', '/7/attributes/status'],
    ['an impossible end-of-support date', { attributes: { endOfSupport: '2027-02-30' }, provenance }, 'device.invalid_date', '/7/attributes/endOfSupport'],
    ['an invalid MAC', { attributes: {}, network: { macs: ['00:11:22'] }, provenance }, 'device.invalid_mac', '/7/network/macs/0'],
    ['an AE title over 16 characters', { attributes: {}, network: { aeTitles: ['A_VERY_LONG_AE_TITLE'] }, provenance }, 'device.invalid_ae_title', '/7/network/aeTitles/0'],
    ['a confidence above 1', { attributes: {}, provenance: { ...provenance, confidence: 1.5 } }, 'device.invalid_provenance', '/7/provenance/confidence'],
    ['a timestamp without a zone', { attributes: {}, provenance: { ...provenance, observedAt: '2024-05-01 10:00' } }, 'device.invalid_provenance', '/7/provenance/observedAt'],
    ['an unknown attribute', { attributes: { colour: 'red' } as never, provenance }, 'device.unknown_attribute', '/7/attributes/colour'],
  ])('rejects a report with %s, naming the report and field', (_what, report, code, pointer) => {
    const e = errorOf(() => normalizeReport(report, 7));
    expect(e.code).toBe(code);
    expect(e.status).toBe(400);
    expect(e.location?.pointer).toBe(pointer);
    expect(e.message).toContain('report 7');
  });

  it('throws only DomainError for arbitrary or mutated input', () => {
    const valid: DeviceReport = {
      attributes: { name: 'x', category: 'ventilator', manufacturer: 'Dräger', serialNumber: 'ABC123', criticality: 'life-sustaining' },
      network: { macs: ['00:11:22:33:44:55'], ips: ['10.0.0.1'], hostnames: ['vent1'], aeTitles: ['VENT'], hl7Applications: ['VENT^ICU'] },
      provenance,
    };
    const mutated = fc.tuple(fc.constantFrom('attributes', 'network', 'provenance'), fc.string(), fc.anything()).map(([section, key, value]) => {
      const copy = JSON.parse(JSON.stringify(valid)) as Record<string, Record<string, unknown>>;
      copy[section] = { ...(copy[section] ?? {}), [key]: value };
      return copy as unknown as DeviceReport;
    });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything().map((v) => v as DeviceReport)), (report) => {
        try {
          normalizeReport(report, 0);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
