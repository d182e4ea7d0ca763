/**
 * @module Column mapping: parses `--map serial=SerialNo,category="Equipment Type"` and mapping
 * files, and resolves a file's header against the preset and the user's mapping into a plan
 * (field -> column positions). A scalar field takes the first column its preset names; a list
 * field (MAC, IP, ...) takes every such column, so "Wired MAC" and "Wireless MAC" both count.
 */
import { fieldByName, IMPORT_FIELDS, IDENTIFIER_FIELDS, normalizeName, type FieldSpec } from './fields.js';
import { importError } from './errors.js';
import { CRITICALITIES, LIFECYCLE_STATUSES, PHI_HANDLING } from '../model.js';
import type { ColumnMapping, DateOrder, ValueMaps } from './model.js';
import { presetCandidates, type ImportPreset } from './presets.js';

export interface PlannedField {
  spec: FieldSpec;
  /** positions in the header (CSV) or in the record's own key order (JSON) */
  indexes: number[];
  columns: string[];
  /** JSON only: pointer of each column's value relative to its record */
  pointers?: string[];
}

export interface ImportPlan {
  fields: PlannedField[];
  ignoredColumns: string[];
  values: ValueMaps;
  dateOrder: DateOrder | undefined;
}

const LIST_KINDS = new Set(['mac', 'ip', 'hostname', 'ae_title', 'hl7_app']);

/** Parses `field=Column,field=Col A|Col B,field=` (double quotes protect commas and equals signs). */
export function parseMapOption(text: string): ColumnMapping {
  const columns: Record<string, string | null> = {};
  for (const part of splitOutsideQuotes(text, ',')) {
    if (!part.trim()) continue;
    const eq = indexOutsideQuotes(part, '=');
    if (eq < 0) throw importError('import.invalid_mapping', `mapping entry "${part.trim()}" is not of the form field=Column`);
    const field = unquote(part.slice(0, eq));
    const column = unquote(part.slice(eq + 1));
    columns[canonicalField(field)] = column === '' ? null : column;
  }
  return { columns };
}

/** A mapping file: `{"serial": "SerialNo"}` or `{"columns": {...}, "values": {...}, "dateOrder": "dmy"}`. */
export function parseMappingJson(value: unknown, source = 'mapping'): ColumnMapping {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw importError('import.invalid_mapping', `${source} must be a JSON object`);
  const obj = value as Record<string, unknown>;
  const hasColumns = 'columns' in obj;
  const rawColumns = hasColumns ? obj.columns : obj;
  if (!rawColumns || typeof rawColumns !== 'object' || Array.isArray(rawColumns)) throw importError('import.invalid_mapping', `${source}: "columns" must be an object`);
  const columns: Record<string, string | null> = {};
  for (const [field, column] of Object.entries(rawColumns as Record<string, unknown>)) {
    if (hasColumns || (field !== 'values' && field !== 'dateOrder')) {
      if (column !== null && typeof column !== 'string') throw importError('import.invalid_mapping', `${source}: column for "${field}" must be a string or null`, { pointer: `/${hasColumns ? 'columns/' : ''}${field}` });
      columns[canonicalField(field)] = column === '' ? null : column;
    }
  }
  const out: ColumnMapping = { columns };
  if (obj.dateOrder !== undefined) {
    if (obj.dateOrder !== 'mdy' && obj.dateOrder !== 'dmy') throw importError('import.invalid_mapping', `${source}: dateOrder must be "mdy" or "dmy"`, { pointer: '/dateOrder' });
    out.dateOrder = obj.dateOrder;
  }
  if (obj.values !== undefined) out.values = parseValueMaps(obj.values, source);
  return out;
}

function parseValueMaps(v: unknown, source: string): ValueMaps {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw importError('import.invalid_mapping', `${source}: "values" must be an object`, { pointer: '/values' });
  const out: Record<string, Record<string, string>> = {};
  for (const [field, table] of Object.entries(v as Record<string, unknown>)) {
    if (field !== 'criticality' && field !== 'status' && field !== 'phi') throw importError('import.invalid_mapping', `${source}: value maps exist for criticality, status and phi, not "${field}"`, { pointer: `/values/${field}` });
    if (!table || typeof table !== 'object' || Array.isArray(table)) throw importError('import.invalid_mapping', `${source}: values.${field} must be an object`, { pointer: `/values/${field}` });
    const allowed: readonly string[] = field === 'criticality' ? CRITICALITIES : field === 'status' ? LIFECYCLE_STATUSES : PHI_HANDLING;
    const entries: Record<string, string> = {};
    for (const [from, to] of Object.entries(table as Record<string, unknown>)) {
      if (typeof to !== 'string' || !allowed.includes(to)) {
        throw importError('import.invalid_mapping', `${source}: values.${field}["${from}"] must be one of ${allowed.join(', ')}`, { pointer: `/values/${field}/${from}` });
      }
      entries[from] = to;
    }
    out[field] = entries;
  }
  return out as ValueMaps;
}

function canonicalField(name: string): string {
  const spec = fieldByName(name);
  if (!spec) throw importError('import.invalid_mapping', `unknown field "${name}"; fields are ${IMPORT_FIELDS.map((f) => f.key).join(', ')}`);
  return spec.key;
}

/** Resolves header names to fields: the user's mapping first, then the preset's names. */
export function resolvePlan(headers: readonly string[], preset: ImportPreset, user: ColumnMapping | undefined, strict: boolean): ImportPlan {
  const byNormalized = new Map<string, number[]>();
  headers.forEach((h, i) => {
    const k = normalizeName(h);
    const list = byNormalized.get(k);
    if (list) list.push(i);
    else byNormalized.set(k, [i]);
  });
  const claimed = new Set<number>();
  const fields: PlannedField[] = [];
  const userColumns = user?.columns ?? {};
  for (const spec of IMPORT_FIELDS) {
    if (!(spec.key in userColumns)) continue;
    const target = userColumns[spec.key];
    if (target === null || target === undefined) continue;
    const indexes: number[] = [];
    for (const name of target.split('|').map((s) => s.trim()).filter(Boolean)) {
      const exact = headers.indexOf(name);
      const idx = exact >= 0 ? exact : (byNormalized.get(normalizeName(name))?.[0] ?? -1);
      if (idx < 0) {
        if (strict) throw importError('import.invalid_mapping', `column "${name}" mapped to field ${spec.key} is not in the file; its columns are: ${headers.join(', ')}`);
        continue;
      }
      indexes.push(idx);
      claimed.add(idx);
    }
    if (indexes.length) fields.push({ spec, indexes, columns: indexes.map((i) => headers[i]!) });
  }
  const candidates = presetCandidates(preset);
  for (const spec of IMPORT_FIELDS) {
    if (spec.key in userColumns) continue;
    const indexes: number[] = [];
    for (const name of candidates.get(spec.key) ?? []) {
      for (const idx of byNormalized.get(name) ?? []) {
        if (claimed.has(idx)) continue;
        indexes.push(idx);
        claimed.add(idx);
        if (!LIST_KINDS.has(spec.kind)) break;
      }
      if (indexes.length && !LIST_KINDS.has(spec.kind)) break;
    }
    if (indexes.length) fields.push({ spec, indexes, columns: indexes.map((i) => headers[i]!) });
  }
  // Column order, so a row's rejections read left to right as in the file.
  fields.sort((a, b) => a.indexes[0]! - b.indexes[0]!);
  return {
    fields,
    ignoredColumns: headers.filter((_, i) => !claimed.has(i)),
    values: mergeValues(preset.values, user?.values),
    dateOrder: user?.dateOrder ?? preset.dateOrder,
  };
}

/** File-level check for CSV: without an identifier column no row could ever be recognised again. */
export function assertHasIdentifier(plan: ImportPlan, headers: readonly string[]): void {
  if (plan.fields.some((f) => f.spec.identifier)) return;
  throw importError(
    'import.no_identifier_column',
    `no column maps to an identifier field (${IDENTIFIER_FIELDS.join(', ')}); without one, re-importing would duplicate devices. Map one, e.g. --map serial="<column>". Columns: ${headers.join(', ')}`,
  );
}

function mergeValues(a: ValueMaps | undefined, b: ValueMaps | undefined): ValueMaps {
  return {
    criticality: { ...a?.criticality, ...b?.criticality },
    status: { ...a?.status, ...b?.status },
    phi: { ...a?.phi, ...b?.phi },
  };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function indexOutsideQuotes(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === ch && !quoted) return i;
  }
  return -1;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}
