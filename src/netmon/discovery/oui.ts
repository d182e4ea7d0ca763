/**
 * @module MAC vendor lookup (IEEE OUI, MA-L): from Debian's `ieee-data` registry file when it is
 * installed, read once on first use; else from the small built-in table. Locally
 * administered and multicast addresses have no vendor.
 */
import { access, readFile } from 'node:fs/promises';
import { FALLBACK_OUI } from './oui-fallback.js';

export const DEFAULT_OUI_PATH = '/usr/share/ieee-data/oui.txt';
/** what marks the registry's one line per OUI ("002272     (base 16)\t\tName") */
const BASE16 = '(base 16)';

export interface OuiDatabase {
  readonly source: 'ieee-data' | 'fallback';
  readonly size: number;
  /** the registered organisation of a MAC's OUI, or undefined */
  vendorOf(mac: string): string | undefined;
}

/** `002272     (base 16)\t\tAmerican Micro-Fuel Device Corp.` -> ['002272', 'American Micro-Fuel Device Corp.'] */
export function parseOuiLine(line: string): [string, string] | undefined {
  const m = /^([0-9A-Fa-f]{6})\s+\(base 16\)\s+(.*\S)\s*$/.exec(line);
  // the registry pads some names with double spaces ("Becton, Dickinson  and Company")
  return m ? [m[1]!.toUpperCase(), m[2]!.replace(/\s+/g, ' ')] : undefined;
}

/** The 6-hex-digit OUI of a MAC written with colons, or undefined for local/multicast/unreadable ones. */
export function ouiOf(mac: string): string | undefined {
  const hex = mac.replace(/[:.-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return undefined;
  const first = Number.parseInt(hex.slice(0, 2), 16);
  // bit 0: group address; bit 1: locally administered (VMs, randomised phone MACs): no registry entry applies
  if ((first & 3) !== 0) return undefined;
  return hex.slice(0, 6).toUpperCase();
}

export function ouiDatabaseFrom(table: ReadonlyMap<string, string>, source: OuiDatabase['source']): OuiDatabase {
  return {
    source,
    size: table.size,
    vendorOf: (mac) => {
      const oui = ouiOf(mac);
      return oui === undefined ? undefined : table.get(oui);
    },
  };
}

export const fallbackOuiDatabase = (): OuiDatabase => ouiDatabaseFrom(FALLBACK_OUI, 'fallback');

/**
 * Reads an IEEE `oui.txt` into a Map (about 32 000 entries, a few MB). The file (5 MB) is read whole and
 * only its "(base 16)" lines are parsed: a line at a time through readline cost 0.1 s of every report.
 * Each name is stored as its own string, once per distinct name: a name cut from a line is a slice of
 * the file's text and would keep all of it alive for the process.
 */
export async function readOuiFile(path: string): Promise<Map<string, string>> {
  const table = new Map<string, string>();
  const names = new Map<string, string>();
  const text = await readFile(path, 'utf8');
  for (let at = text.indexOf(BASE16); at >= 0; at = text.indexOf(BASE16, at + BASE16.length)) {
    const start = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const hit = parseOuiLine(text.slice(start, newline < 0 ? text.length : newline));
    if (!hit || table.has(hit[0])) continue;
    let name = names.get(hit[1]);
    if (name === undefined) {
      name = Buffer.from(hit[1], 'utf8').toString('utf8');
      names.set(name, name);
    }
    table.set(hit[0], name);
  }
  return table;
}

const loaded = new Map<string, Promise<OuiDatabase>>();

/** The registry at `path` (default Debian's), loaded once per process; the built-in table when absent or empty. */
export function loadOuiDatabase(path: string = DEFAULT_OUI_PATH): Promise<OuiDatabase> {
  let db = loaded.get(path);
  if (!db) {
    db = (async () => {
      try {
        await access(path);
        const table = await readOuiFile(path);
        return table.size > 0 ? ouiDatabaseFrom(table, 'ieee-data') : fallbackOuiDatabase();
      } catch {
        return fallbackOuiDatabase();
      }
    })();
    loaded.set(path, db);
  }
  return db;
}
