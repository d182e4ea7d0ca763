import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fallbackOuiDatabase, loadOuiDatabase, ouiOf, parseOuiLine, readOuiFile } from './oui.js';
import { FALLBACK_OUI } from './oui-fallback.js';

const SAMPLE = `OUI/MA-L                                                    Organization
company_id                                                  Organization
                                                            Address

00-1F-29   (hex)\t\tHewlett Packard
001F29     (base 16)\t\tHewlett Packard
\t\t\t\t11445 Compaq Center Drive
\t\t\t\tHouston    77070
\t\t\t\tUS

00-A0-9A   (hex)\t\tNIHON KOHDEN AMERICA
00A09A     (base 16)\t\tNIHON KOHDEN AMERICA
`;

describe('OUI vendor lookup', () => {
  it('parses the "(base 16)" lines of the IEEE registry and nothing else', () => {
    expect(parseOuiLine('001F29     (base 16)\t\tHewlett Packard')).toEqual(['001F29', 'Hewlett Packard']);
    expect(parseOuiLine('00-1F-29   (hex)\t\tHewlett Packard')).toBeUndefined();
    expect(parseOuiLine('\t\t\t\tHouston    77070')).toBeUndefined();
  });

  it('gives no OUI for multicast, locally administered or malformed addresses', () => {
    expect(ouiOf('00:1f:29:da:2d:79')).toBe('001F29');
    expect(ouiOf('01:00:5e:00:00:fb')).toBeUndefined();
    expect(ouiOf('02:42:ac:11:00:02')).toBeUndefined();
    expect(ouiOf('not-a-mac')).toBeUndefined();
  });

  it('reads a registry file into a lookup table, with LF or CRLF line ends and no final line end', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oui-'));
    const file = path.join(dir, 'oui.txt');
    const expected = new Map([['001F29', 'Hewlett Packard'], ['00A09A', 'NIHON KOHDEN AMERICA']]);
    for (const text of [SAMPLE.replace(/\n/g, '\r\n'), SAMPLE.trimEnd(), `001F29     (base 16)\t\tHewlett Packard\n00A09A     (base 16)\t\tNIHON KOHDEN AMERICA`]) {
      writeFileSync(file, text);
      expect(await readOuiFile(file)).toEqual(expected);
    }
    writeFileSync(file, SAMPLE);
    expect(await readOuiFile(file)).toEqual(expected);
    const db = await loadOuiDatabase(file);
    expect([db.source, db.size, db.vendorOf('00:a0:9a:12:34:56')]).toEqual(['ieee-data', 2, 'NIHON KOHDEN AMERICA']);
  });

  it('falls back to the built-in table when the registry file is absent', async () => {
    const db = await loadOuiDatabase('/nonexistent/oui.txt');
    expect(db.source).toBe('fallback');
    expect(db.vendorOf('00:1f:29:da:2d:79')).toBe('Hewlett Packard');
    expect(fallbackOuiDatabase().size).toBeGreaterThanOrEqual(40);
  });

  it('has a built-in table that agrees with the installed IEEE registry', async (t) => {
    const db = await loadOuiDatabase();
    if (db.source !== 'ieee-data') {
      if (process.env.CI === 'true') throw new Error('CI requires /usr/share/ieee-data/oui.txt (Debian package ieee-data)');
      console.warn('skipping the registry comparison: /usr/share/ieee-data/oui.txt is not installed');
      t.skip();
      return;
    }
    for (const [oui, vendor] of FALLBACK_OUI) expect(db.vendorOf(`${oui.slice(0, 2)}:${oui.slice(2, 4)}:${oui.slice(4, 6)}:00:00:01`), oui).toBe(vendor);
  });
});
