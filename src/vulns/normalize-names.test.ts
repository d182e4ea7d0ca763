import { describe, expect, it } from 'vitest';
import { foldName, normalizeProductName, normalizeVendorName, repairMojibake } from './normalize-names.js';

describe('vendor and product name normalization', () => {
  it.each([
    ['Philips', 'philips'],
    ['Phillips', 'philips'],
    ['Medtronic ', 'medtronic'],
    ['Becton, Dickinson and Company (BD)', 'bd'],
    ['General Electric (GE)', 'ge healthcare'],
    ['GE Healthcare', 'ge healthcare'],
    ['B. Braun Medical', 'b braun'],
    ['B. Braun', 'b braun'],
    ['Natus Medical, Inc. (Natus)', 'natus'],
    ['Hamilton Medical AG', 'hamilton medical'],
    ['Dräger', 'drager'],
    ['Draeger', 'drager'],
    ['Johnson & Johnson', 'johnson and johnson'],
    ['i-SENS Inc', 'i sens'],
  ])('maps %j to %j', (name, key) => {
    const n = normalizeVendorName(name);
    expect(n.key).toBe(key);
    expect(n.ambiguous).toBe(false);
    expect(n.confidence).toBe(1);
  });

  it('repairs UTF-8 text that was decoded as Latin-1, with slightly lower confidence', () => {
    expect(repairMojibake('Innokas YhtymÃ¤ Oy')).toBe('Innokas Yhtymä Oy');
    const n = normalizeVendorName('Innokas YhtymÃ¤ Oy');
    expect(n.key).toBe('innokas yhtyma');
    expect(n.confidence).toBeLessThan(1);
    expect(n.notes[0]).toContain('repaired');
  });

  it('reports a name listing several vendors as ambiguous, with candidates, instead of guessing', () => {
    const n = normalizeVendorName('Hillrom and ELI, Baxter International Inc.');
    expect(n.ambiguous).toBe(true);
    expect(n.candidates).toEqual(['hillrom', 'eli', 'baxter']);
    expect(n.confidence).toBeLessThan(0.8);
  });

  it('gives no key for empty or oversized names', () => {
    expect(normalizeVendorName('  ').key).toBe('');
    expect(normalizeVendorName('x'.repeat(600)).confidence).toBe(0);
  });

  it('folds product names and drops a leading vendor', () => {
    expect(foldName('IntelliVue®  MX40 (WLAN)')).toBe('intellivue mx40 wlan');
    expect(normalizeProductName('Philips IntelliBridge EC40', 'philips').key).toBe('intellibridge ec40');
  });
});
