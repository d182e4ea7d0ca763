import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { IMPORT_FIELDS, normalizeName } from './fields.js';
import { assertHasIdentifier, parseMapOption, parseMappingJson, resolvePlan } from './mapping.js';
import { CAREGUARD_PRESET, detectPreset, EQ2_PRESET, IMPORT_PRESETS, presetById, SERVICENOW_PRESET, TMS_PRESET } from './presets.js';

const fieldsOf = (headers: string[], preset = CAREGUARD_PRESET, map?: string) => {
  const plan = resolvePlan(headers, preset, map ? parseMapOption(map) : undefined, true);
  return Object.fromEntries(plan.fields.map((f) => [f.spec.key, f.columns.join('+')]));
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe('column mapping', () => {
  it('parses --map with field aliases, quoted column names and unmapping', () => {
    expect(parseMapOption('serial=SerialNo, category="Equipment Type, Primary",serialNumber=S2,os=')).toEqual({
      columns: { serial: 'S2', category: 'Equipment Type, Primary', os: null },
    });
  });

  it('rejects an unknown field or an entry without "="', () => {
    expect(codeOf(() => parseMapOption('colour=Red'))).toBe('import.invalid_mapping');
    expect(codeOf(() => parseMapOption('serial'))).toBe('import.invalid_mapping');
  });

  it('reads a mapping file with columns, value maps and a date order', () => {
    const m = parseMappingJson({ columns: { serial: 'SN', mac: 'Wired MAC|Wi-Fi MAC' }, values: { criticality: { High: 'life-supporting' } }, dateOrder: 'dmy' });
    expect(m).toEqual({ columns: { serial: 'SN', mac: 'Wired MAC|Wi-Fi MAC' }, values: { criticality: { High: 'life-supporting' } }, dateOrder: 'dmy' });
    expect(parseMappingJson({ serial: 'SN' })).toEqual({ columns: { serial: 'SN' } });
  });

  it('rejects a mapping file whose value map targets an unknown value', () => {
    expect(codeOf(() => parseMappingJson({ columns: {}, values: { criticality: { High: 'very-high' } } }))).toBe('import.invalid_mapping');
    expect(codeOf(() => parseMappingJson([1]))).toBe('import.invalid_mapping');
    expect(codeOf(() => parseMappingJson({ columns: {}, dateOrder: 'ymd' }))).toBe('import.invalid_mapping');
  });

  it('matches header names case- and punctuation-insensitively', () => {
    expect(fieldsOf(['Serial Number', 'MAC_ADDRESSES', 'asset-tag'])).toEqual({ serial: 'Serial Number', asset_tag: 'asset-tag', mac: 'MAC_ADDRESSES' });
  });

  it('lets the user mapping win over the preset and keeps claimed columns from other fields', () => {
    expect(fieldsOf(['SerialNo', 'Name', 'Equipment Type'], CAREGUARD_PRESET, 'serial=SerialNo,category=Equipment Type,name=')).toEqual({ serial: 'SerialNo', category: 'Equipment Type' });
  });

  it('fails when a mapped column is not in the file, listing the columns', () => {
    expect(() => fieldsOf(['A', 'B'], CAREGUARD_PRESET, 'serial=SerialNo')).toThrow(/SerialNo.*not in the file.*A, B/);
  });

  it('takes every matching column for a list field and the first for a scalar field', () => {
    expect(fieldsOf(['Control Number', 'Wired MAC', 'Wireless MAC', 'Model Number', 'Model'], TMS_PRESET)).toEqual({
      asset_tag: 'Control Number',
      model: 'Model Number',
      mac: 'Wired MAC+Wireless MAC',
    });
  });

  it('requires a column for at least one identifier', () => {
    const plan = resolvePlan(['Name', 'Model'], CAREGUARD_PRESET, undefined, true);
    expect(codeOf(() => assertHasIdentifier(plan, ['Name', 'Model']))).toBe('import.no_identifier_column');
  });

  it.each(([
    [CAREGUARD_PRESET, ['name', 'category', 'serial_number', 'asset_tag', 'mac_addresses', 'criticality']],
    [SERVICENOW_PRESET, ['Display name', 'Asset tag', 'Serial number', 'Model category', 'Install status', 'busines_criticality', 'Location']],
    [TMS_PRESET, ['Control Number', 'Device Type', 'Mfr', 'Model Number', 'Serial Number', 'Risk Level', 'Equipment Status']],
    [EQ2_PRESET, ['Equipment ID', 'Equipment Class', 'Manufacturer Name', 'Model Name', 'Serial No', 'Ward', 'Equipment Status', 'Risk Category']],
  ] as const).map(([p, h]) => [(p as { id: string }).id, p, h] as const))('detects the %s preset from its own header', (_id, preset, headers) => {
    expect(detectPreset(headers).id).toBe(preset.id);
  });

  it('presets name each column for one field only and only name known fields', () => {
    const keys = new Set(IMPORT_FIELDS.map((f) => f.key));
    for (const p of IMPORT_PRESETS) {
      const seen = new Map<string, string>();
      for (const [field, names] of Object.entries(p.columns)) {
        expect(keys.has(field)).toBe(true);
        for (const n of names) {
          const k = normalizeName(n);
          expect(seen.get(k) ?? field, `${p.id}: "${n}"`).toBe(field);
          seen.set(k, field);
        }
      }
      expect(presetById(p.id)).toBe(p);
    }
  });
});
