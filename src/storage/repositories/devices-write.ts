/**
 * @module The write side of the device repository: batch identity-key lookups, batch document
 * loads, and multi-row upserts. Statements are built as plain SQL text (cached per shape) rather
 * than through the query builder, since an import sends hundreds of thousands of values and
 * building a query tree per chunk would cost more than the database work.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { criticalityRank, identityKeyString, searchTextOf, type Device, type DeviceRemoval, type DeviceWrite, type IdentityKey } from '../../inventory/index.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { decodeDevice, encodeDevice } from './devices-doc.js';

/** Parameters per statement: under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMS = 30_000;

const DEVICE_COLUMNS = ['id', 'name', 'category', 'manufacturer', 'model', 'criticality_rank', 'status', 'site', 'building', 'unit', 'first_seen', 'last_seen', 'search_text'] as const;

export function deviceRow(d: Device): unknown[] {
  return [
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
  ];
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

function inList(dialect: Dialect, count: number, offset = 0): string {
  const ps: string[] = [];
  for (let i = 1; i <= count; i++) ps.push(dialect === 'postgres' ? `$${i + offset}` : '?');
  return `(${ps.join(',')})`;
}

async function run<R>(db: Kysely<DB>, text: string, params: readonly unknown[]): Promise<R[]> {
  const res = await db.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
  return res.rows;
}

/** Device ids indexed under each key (by identityKeyString). */
export async function lookupKeys(db: Kysely<DB>, dialect: Dialect, keys: readonly IdentityKey[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const byKind = new Map<string, string[]>();
  for (const k of keys) {
    let list = byKind.get(k.kind);
    if (!list) byKind.set(k.kind, (list = []));
    list.push(k.value);
  }
  for (const [kind, values] of byKind) {
    for (const part of chunk([...new Set(values)], MAX_PARAMS - 1)) {
      const text = `select value, device_id from device_identifiers where kind = ${dialect === 'postgres' ? '$1' : '?'} and value in ${inList(dialect, part.length, 1)}`;
      const rows = await run<{ value: string; device_id: string }>(db, text, [kind, ...part]);
      for (const r of rows) {
        const key = identityKeyString({ kind: kind as IdentityKey['kind'], value: r.value });
        const list = out.get(key);
        if (list) list.push(r.device_id);
        else out.set(key, [r.device_id]);
      }
    }
  }
  return out;
}

export async function loadDevices(db: Kysely<DB>, dialect: Dialect, ids: readonly string[]): Promise<Map<string, Device>> {
  const out = new Map<string, Device>();
  for (const part of chunk([...new Set(ids)], MAX_PARAMS)) {
    const text = `select d.id, c.doc from devices d join device_docs c on c.seq = d.seq where d.id in ${inList(dialect, part.length)}`;
    for (const r of await run<{ id: string; doc: string }>(db, text, part)) out.set(r.id, decodeDevice(r.doc));
  }
  return out;
}

/** Upserts device rows and documents, drops removed devices, and keeps the identity index in step. */
export async function applyWrites(db: Kysely<DB>, dialect: Dialect, writes: readonly DeviceWrite[], removals: readonly DeviceRemoval[]): Promise<void> {
  const dropKeys: Array<[IdentityKey, string]> = [];
  const addKeys: Array<[IdentityKey, string]> = [];
  for (const r of removals) for (const k of r.keys) dropKeys.push([k, r.id]);
  for (const w of writes) {
    for (const k of w.removeKeys) dropKeys.push([k, w.device.id]);
    for (const k of w.addKeys) addKeys.push([k, w.device.id]);
  }

  if (removals.length > 0) {
    for (const part of chunk(removals.map((r) => r.id), MAX_PARAMS)) {
      const list = inList(dialect, part.length);
      await run(db, `delete from device_docs where seq in (select seq from devices where id in ${list})`, part);
      await run(db, `delete from devices where id in ${list}`, part);
    }
  }
  await deleteKeys(db, dialect, dropKeys);

  const width = DEVICE_COLUMNS.length;
  const updates = DEVICE_COLUMNS.filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  for (const part of chunk(writes, Math.floor(MAX_PARAMS / width))) {
    const params: unknown[] = [];
    for (const w of part) params.push(...deviceRow(w.device));
    const text = `insert into devices (${DEVICE_COLUMNS.join(', ')}) values ${valuesList(dialect, part.length, width)} on conflict (id) do update set ${updates} returning id, seq`;
    const rows = await run<{ id: string; seq: number }>(db, text, params);
    const seqOf = new Map(rows.map((r) => [r.id, Number(r.seq)]));
    const docParams: unknown[] = [];
    for (const w of part) docParams.push(seqOf.get(w.device.id), encodeDevice(w.device));
    await run(db, `insert into device_docs (seq, doc) values ${valuesList(dialect, part.length, 2)} on conflict (seq) do update set doc = excluded.doc`, docParams);
  }

  for (const part of chunk(addKeys, Math.floor(MAX_PARAMS / 3))) {
    const params: unknown[] = [];
    for (const [k, id] of part) params.push(k.kind, k.value, id);
    await run(db, `insert into device_identifiers (kind, value, device_id) values ${valuesList(dialect, part.length, 3)} on conflict do nothing`, params);
  }

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
