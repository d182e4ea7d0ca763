/**
 * @module Lays a JSON device record out as columns: its own properties, plus the properties of a
 * nested `network` or `location` object (the shape CareGuard's own Device JSON has), so a device
 * exported by CareGuard imports back unchanged.
 */

const NESTED = new Set(['network', 'location']);

export interface FlatRecord {
  /** display names: "serialNumber", "network.macs" */
  keys: string[];
  /** names compared with preset and mapping column names: "serialNumber", "macs" */
  matchNames: string[];
  /** JSON pointer of each value relative to the record: "/serialNumber", "/network/macs" */
  pointers: string[];
  values: unknown[];
}

export function flattenJsonRecord(value: unknown): FlatRecord | undefined {
  if (!isPlainObject(value)) return undefined;
  const out: FlatRecord = { keys: [], matchNames: [], pointers: [], values: [] };
  for (const [key, v] of Object.entries(value)) {
    if (NESTED.has(key) && isPlainObject(v)) {
      for (const [inner, iv] of Object.entries(v)) {
        out.keys.push(`${key}.${inner}`);
        out.matchNames.push(inner);
        out.pointers.push(`/${escapePointer(key)}/${escapePointer(inner)}`);
        out.values.push(iv);
      }
      continue;
    }
    out.keys.push(key);
    out.matchNames.push(key);
    out.pointers.push(`/${escapePointer(key)}`);
    out.values.push(v);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 6901: "~" is written "~0" and "/" is written "~1". */
export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
