import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { writeDemoCsv } from '../demo/index.js';
import { KNOWN_MANUFACTURERS } from '../manufacturers.js';
import type { DeviceReport, Provenance } from '../model.js';
import { normalizeReport, type NormalizedReport } from '../report.js';
import { defaultCategoryResolver } from './categories.js';
import { GENERIC_COLUMNS } from './fields.js';
import { resolvePlan } from './mapping.js';
import { ImportedReportNormalizer } from './normalized.js';
import { CAREGUARD_PRESET } from './presets.js';
import { createRowConverter, type CategoryResolver } from './row.js';
import { runRowPass } from './rows.js';
import { readChunks } from './source.js';

const provenance: Provenance = { source: 'import:devices.csv', kind: 'import', confidence: 0.9, observedAt: '2025-03-01T08:00:00.000Z' };
const dir = mkdtempSync(join(tmpdir(), 'cg-import-normalized-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The generic CareGuard layout's converter: what an import of such a CSV runs per row. */
function converter(categories: CategoryResolver = defaultCategoryResolver, values?: Parameters<typeof resolvePlan>[2]) {
  const plan = resolvePlan(GENERIC_COLUMNS, CAREGUARD_PRESET, values, true);
  const c = createRowConverter(plan, categories, provenance);
  return (cells: readonly string[]): DeviceReport | undefined => c.convert(cells, plan, 2, () => undefined);
}

/** A normalized report read back as the report it stands for. */
const asReport = (n: NormalizedReport): DeviceReport => ({ attributes: n.attributes, network: n.network, provenance: n.provenance });

/** The DomainError code and pointer `fn` throws, or "none". */
function failureOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return `${e.code} ${e.location?.pointer ?? ''}`;
    throw e;
  }
  return 'none';
}

const column = (name: string): number => GENERIC_COLUMNS.indexOf(name);

/** Mostly values the converter accepts, sometimes ones it rejects (so a row is kept about half the time). */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
const listOf = (valid: string[], invalid: string[]) => fc.array(mostly(fc.constantFrom(...valid), fc.constantFrom(...invalid)), { maxLength: 3 });

/** Cells of one row in the generic layout, each column drawn from plausible and awkward values. */
const rowArb: fc.Arbitrary<string[]> = fc
  .record({
    name: mostly(fc.oneof(fc.stringMatching(/^[\w .,()\u00c0-\u017f-]{0,30}$/), fc.constantFrom('Pump  7', ' CT\t1 ', 'Bed\u00a0\u00a04', 'Ward\u20085')), fc.string({ maxLength: 30 })),
    category: mostly(fc.constantFrom('', 'IV pump', 'infusion-pump', 'Pumps, Infusion', 'CT', 'patient monitor'), fc.constant('toaster')),
    manufacturer: fc.oneof(fc.constantFrom(...KNOWN_MANUFACTURERS), fc.constantFrom('GE Medical Systems', 'draeger', 'Philips  Healthcare', 'Acme Corp.', ' B Braun ', 'Hill\u00a0Rom'), fc.stringMatching(/^[\w &.,-]{0,20}$/)),
    serial: mostly(fc.oneof(fc.stringMatching(/^[A-Z0-9][A-Za-z0-9 -]{2,13}$/), fc.constant('sn 00123')), fc.constantFrom('N/A', '')),
    assetTag: fc.stringMatching(/^[A-Z0-9-]{0,10}$/),
    criticality: mostly(fc.constantFrom('', 'Life Sustaining', 'diagnostic', 'non critical'), fc.constant('super')),
    phi: fc.constantFrom('', 'stores', 'no', 'Store and transmit'),
    status: mostly(fc.constantFrom('', 'In Use', 'spare', 'decommissioned'), fc.constant('broken')),
    endOfSupport: mostly(fc.constantFrom('', '2027-03-31', '31/12/2026', '2030/1/5'), fc.constant('2026-02-30')),
    macs: listOf(['00-09-FB-12-34-56', '00:09:fb:12:34:57', '0009.fb12.3458'], ['ff:ff:ff:ff:ff:ff', 'zz']),
    ips: listOf(['10.1.2.3', '2001:DB8:0:0::1', '::ffff:10.0.0.1'], ['010.0.0.1', '0.0.0.0']),
    hostnames: listOf(['CT1.Local.', 'pump-7', 'two hosts'], ['-']),
    aeTitles: listOf([' CT_ROOM1 ', 'STORESCP', 'US 2'], ['a\\b']),
    hl7: listOf(['LAB^MAIN', ' ADT ', 'X'.repeat(200) + '^' + 'Y'.repeat(150)], ['A|B']),
    room: fc.string({ maxLength: 8 }),
  })
  .map((r) => {
    const cells = GENERIC_COLUMNS.map(() => '');
    cells[column('name')] = r.name;
    cells[column('category')] = r.category;
    cells[column('manufacturer')] = r.manufacturer;
    cells[column('serial_number')] = r.serial;
    cells[column('asset_tag')] = r.assetTag;
    cells[column('criticality')] = r.criticality;
    cells[column('phi_handling')] = r.phi;
    cells[column('status')] = r.status;
    cells[column('end_of_support')] = r.endOfSupport;
    cells[column('mac_addresses')] = r.macs.join('|');
    cells[column('ip_addresses')] = r.ips.join(' ');
    cells[column('hostnames')] = r.hostnames.join(';');
    cells[column('ae_titles')] = r.aeTitles.join('|');
    cells[column('hl7_applications')] = r.hl7.join(',');
    cells[column('room')] = r.room;
    return cells;
  });

describe('ImportedReportNormalizer', () => {
  it('gives exactly what normalizeReport gives for every row the converter accepts, and normalizing that again changes nothing', () => {
    const convert = converter();
    let accepted = 0;
    fc.assert(
      fc.property(rowArb, fc.nat(9999), (cells, index) => {
        const report = convert(cells);
        if (!report) return;
        accepted++;
        const expected = failureOf(() => normalizeReport(report, index));
        const normalizer = new ImportedReportNormalizer();
        if (expected !== 'none') {
          // what the converter does not guarantee fails the batch exactly as applyReports would
          expect(failureOf(() => normalizer.normalize(report, index))).toBe(expected);
          return;
        }
        const normalized = normalizer.normalize(report, index);
        expect(normalized).toEqual(normalizeReport(report, index));
        expect(normalizeReport(asReport(normalized), index)).toEqual(normalized);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(1000);
  });

  it('is the identity under normalizeReport for every row of a generated hospital export', async () => {
    const csv = join(dir, 'hospital.csv');
    await writeDemoCsv(csv, { seed: 11, count: 2000 });
    const reports: DeviceReport[] = [];
    await runRowPass(
      readChunks(csv),
      { format: 'csv', limits: { maxColumns: 1000, maxRecordBytes: 1 << 20, maxDepth: 64 }, preset: undefined, mapping: undefined, categories: defaultCategoryResolver, provenance },
      { planned: () => undefined, rowRead: () => undefined, reject: () => undefined, accept: (r) => void reports.push(r) },
    );
    expect(reports).toHaveLength(2000);
    const normalizer = new ImportedReportNormalizer();
    reports.forEach((report, i) => {
      const normalized = normalizer.normalize(report, i);
      expect(normalized).toEqual(normalizeReport(report, i));
      expect(normalizeReport(asReport(normalized), i)).toEqual(normalized);
    });
  });

  it('fails like normalizeReport where the converter guarantees nothing: a made-up category, an unknown enumeration value, a bad provenance', () => {
    const cells = GENERIC_COLUMNS.map(() => '');
    cells[column('serial_number')] = 'SN-1';
    cells[column('category')] = 'pump';
    const madeUp = converter(() => 'not-a-category')(cells)!;
    expect(failureOf(() => new ImportedReportNormalizer().normalize(madeUp, 3))).toBe('device.unknown_category /3/attributes/category');

    cells[column('category')] = '';
    cells[column('criticality')] = 'high';
    const mapped = converter(defaultCategoryResolver, { columns: {}, values: { criticality: { high: 'very-high' as 'diagnostic' } } })(cells)!;
    expect(mapped.attributes.criticality).toBe('very-high');
    expect(failureOf(() => new ImportedReportNormalizer().normalize(mapped, 4))).toBe('device.invalid_criticality /4/attributes/criticality');

    const longName: DeviceReport = { attributes: { serialNumber: 'SN-2' }, provenance: { ...provenance, source: `import:${'x'.repeat(300)}.csv` } };
    expect(failureOf(() => new ImportedReportNormalizer().normalize(longName, 0))).toBe(failureOf(() => normalizeReport(longName, 0)));
    expect(failureOf(() => normalizeReport(longName, 0))).toBe('device.invalid_provenance /0/provenance/source');
  });
});
