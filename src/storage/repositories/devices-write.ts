/**
 * @module The write side of the device repository: batch identity-key lookups, batch document
 * loads, and multi-row upserts. Statements are plain SQL text rather than query-builder trees,
 * since an import sends hundreds of thousands of values. Every statement text comes from a small
 * fixed set (list parameters travel as one JSON/array value; multi-row inserts use a few fixed
 * row counts), so each is prepared once per connection and then served from the statement cache:
 * a fresh 2,000-row VALUES list per batch would cost more to parse than to run.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { criticalityRank, identityKeyString, searchTextOf, type Device, type DeviceRemoval, type DeviceWrite, type IdentityKey } from '../../inventory/index.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { decodeDevice, encodeDevice } from './devices-doc.js';

/** Parameters per statement: under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMS = 30_000;
/** Rows per multi-row INSERT, largest first; a batch is cut into these sizes only. */
const ROW_COUNTS = [2048, 512, 128, 32, 8, 1] as const;

const DEVICE_COLUMNS = ['id', 'name', 'category', 'manufacturer', 'model', 'criticality_rank', 'status', 'site', 'building', 'unit', 'first_seen', 'last_seen', 'search_text'] as const;
const DEVICE_UPDATES = DEVICE_COLUMNS.filter((c) => c !== 'id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

/** Appends the devices-table values of `d` to `out` (in DEVICE_COLUMNS order). */
function pushDeviceRow(out: unknown[], d: Device): void {
  out.push(
    d.id,
    d.name ?? '',
    d.category ?? '',
    d.manufacturer ?? '',
    d.model ?? '',
    criticalityRank(d.criticality),
    d.status ?? '',
    d.site ?? '',
    d.building ?? '',
    d.unit ?? '',
    d.firstSeen,
    d.lastSeen,
    searchTextOf(d),
  );
}

export function deviceRow(d: Device): unknown[] {
  const out: unknown[] = [];
  pushDeviceRow(out, d);
  return out;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const sqlCache = new Map<string, string>();

/** "(?,?),(?,?)" or "($1,$2),($3,$4)" for `rows` tuples of `width` values. */
function valuesList(dialect: Dialect, rows: number, width: number): string {
  const key = `${dialect}:${rows}:${width}`;
  let s = sqlCache.get(key);
  if (s === undefined) {
    const tuples: string[] = [];
    let n = 1;
    for (let r = 0; r < rows; r++) {
      const ps: string[] = [];
      for (let c = 0; c < width; c++) ps.push(dialect === 'postgres' ? `$${n++}` : '?');
      tuples.push(`(${ps.join(',')})`);
    }
    s = tuples.join(',');
    if (sqlCache.size > 256) sqlCache.clear();
    sqlCache.set(key, s);
  }
  return s;
}

/** Row counts (from ROW_COUNTS, within the parameter cap) that add up to `rows`. */
function rowCounts(rows: number, width: number): number[] {
  const out: number[] = [];
  let left = rows;
  for (const size of ROW_COUNTS) {
    if (size * width > MAX_PARAMS) continue;
    while (left >= size) {
      out.push(size);
      left -= size;
    }
  }
  return out;
}

/**
 * Runs `insert ... values <tuples> <tail>` over `params` (rows of `width` values, flattened), in
 * statements of fixed row counts; returns the rows the statements return, in order.
 */
async function insertRows<R>(db: Kysely<DB>, dialect: Dialect, head: string, tail: string, width: number, params: readonly unknown[]): Promise<R[]> {
  const rows = params.length / width;
  const out: R[] = [];
  let at = 0;
  for (const count of rowCounts(rows, width)) {
    const part = params.slice(at * width, (at + count) * width);
    at += count;
    const returned = await run<R>(db, `${head} values ${valuesList(dialect, count, width)}${tail}`, part);
    for (const r of returned) out.push(r);
  }
  return out;
}

/** `column in <list given as one parameter>`: one statement text whatever the list's length. */
function inParam(dialect: Dialect, column: string, n: number): string {
  return dialect === 'postgres' ? `${column} = any($${n}::text[])` : `${column} in (select value from json_each(?))`;
}

const listParam = (dialect: Dialect, values: readonly string[]): unknown => (dialect === 'postgres' ? values : JSON.stringify(values));

async function run<R>(db: Kysely<DB>, text: string, params: readonly unknown[]): Promise<R[]> {
  const res = await db.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
  return res.rows;
}

/** Device ids indexed under each key (by identityKeyString); one statement per key kind. */
export async function lookupKeys(db: Kysely<DB>, dialect: Dialect, keys: readonly IdentityKey[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const byKind = new Map<string, Set<string>>();
  for (const k of keys) {
    let set = byKind.get(k.kind);
    if (!set) byKind.set(k.kind, (set = new Set()));
    set.add(k.value);
  }
  const text = `select value, device_id from device_identifiers where kind = ${dialect === 'postgres' ? '$1' : '?'} and ${inParam(dialect, 'value', 2)}`;
  for (const [kind, values] of byKind) {
    const rows = await run<{ value: string; device_id: string }>(db, text, [kind, listParam(dialect, [...values])]);
    for (const r of rows) {
      const key = identityKeyString({ kind: kind as IdentityKey['kind'], value: r.value });
      const list = out.get(key);
      if (list) list.push(r.device_id);
      else out.set(key, [r.device_id]);
    }
  }
  return out;
}

export async function loadDevices(db: Kysely<DB>, dialect: Dialect, ids: readonly string[]): Promise<Map<string, Device>> {
  const out = new Map<string, Device>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return out;
  // One id (every read of a single device) is the common case: a plain equality is cheapest.
  const text =
    unique.length === 1
      ? `select d.id, c.doc from devices d join device_docs c on c.seq = d.seq where d.id = ${dialect === 'postgres' ? '$1' : '?'}`
      : `select d.id, c.doc from devices d join device_docs c on c.seq = d.seq where ${inParam(dialect, 'd.id', 1)}`;
  const params = unique.length === 1 ? unique : [listParam(dialect, unique)];
  for (const r of await run<{ id: string; doc: string }>(db, text, params)) out.set(r.id, decodeDevice(r.doc));
  return out;
}

/** Upserts device rows and documents, drops removed devices, and keeps the identity index in step. */
export async function applyWrites(db: Kysely<DB>, dialect: Dialect, writes: readonly DeviceWrite[], removals: readonly DeviceRemoval[]): Promise<void> {
  const dropKeys: Array<[IdentityKey, string]> = [];
  const keyParams: unknown[] = [];
  for (const r of removals) for (const k of r.keys) dropKeys.push([k, r.id]);
  for (const w of writes) {
    for (const k of w.removeKeys) dropKeys.push([k, w.device.id]);
    for (const k of w.addKeys) keyParams.push(k.kind, k.value, w.device.id);
  }

  if (removals.length > 0) {
    const ids = removals.map((r) => r.id);
    await run(db, `delete from device_docs where seq in (select seq from devices where ${inParam(dialect, 'id', 1)})`, [listParam(dialect, ids)]);
    await run(db, `delete from devices where ${inParam(dialect, 'id', 1)}`, [listParam(dialect, ids)]);
  }
  await deleteKeys(db, dialect, dropKeys);

  if (writes.length > 0) {
    const rowParams: unknown[] = [];
    for (const w of writes) pushDeviceRow(rowParams, w.device);
    const head = `insert into devices (${DEVICE_COLUMNS.join(', ')})`;
    const returned = await insertRows<{ id: string; seq: number }>(db, dialect, head, ` on conflict (id) do update set ${DEVICE_UPDATES} returning id, seq`, DEVICE_COLUMNS.length, rowParams);
    const seqOf = new Map<string, number>();
    for (const r of returned) seqOf.set(r.id, Number(r.seq));
    const docParams: unknown[] = [];
    for (const w of writes) docParams.push(seqOf.get(w.device.id), encodeDevice(w.device));
    await insertRows(db, dialect, 'insert into device_docs (seq, doc)', ' on conflict (seq) do update set doc = excluded.doc', 2, docParams);
  }

  if (keyParams.length > 0) await insertRows(db, dialect, 'insert into device_identifiers (kind, value, device_id)', ' on conflict do nothing', 3, keyParams);

  await run(db, 'update inventory_revision set revision = revision + 1 where id = 1', []);
}

async function deleteKeys(db: Kysely<DB>, dialect: Dialect, keys: ReadonlyArray<[IdentityKey, string]>): Promise<void> {
  // An OR of primary-key equalities: each term is one index probe on both engines.
  for (const part of chunk(keys, 500)) {
    const params: unknown[] = [];
    const terms: string[] = [];
    for (const [k, id] of part) {
      const n = params.length;
      params.push(k.kind, k.value, id);
      terms.push(dialect === 'postgres' ? `(kind = $${n + 1} and value = $${n + 2} and device_id = $${n + 3})` : '(kind = ? and value = ? and device_id = ?)');
    }
    await run(db, `delete from device_identifiers where ${terms.join(' or ')}`, params);
  }
}
