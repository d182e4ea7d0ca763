/**
 * @module The address index of the device inventory: `device_ips` holds one (ip, device_id) row
 * per distinct address in each device's document (network.ips, stored verbatim: the inventory
 * stores addresses already in canonical form), so finding the devices at 1,000 addresses is
 * 1,000 index probes instead of a scan of every document. applyWrites keeps it in step from the
 * addresses each updated or removed device had before the write (as the unit of work read the
 * device, else read from its stored document) and those it has after; migration 0009 built it
 * for databases that existed before.
 */
import type { Kysely } from 'kysely';
import { normalizeIp, type Device } from '../../inventory/index.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { decodeDevice } from './devices-doc.js';
import { inParam, insertRows, listParam, run } from './devices-sql.js';

/** Addresses per lookup statement: bounds the bound list (PostgreSQL array / SQLite JSON text). */
export const IP_LOOKUP_CHUNK = 1000;

/** One row of the index. */
export type DeviceIpRow = readonly [ip: string, deviceId: string];

/**
 * The strings to look up for `ips`: each as given and, where it differs, in the inventory's
 * canonical form (normalizeIp: "2001:DB8:0::1" -> "2001:db8::1", "[::1]" -> "::1", surrounding
 * space trimmed), so any spelling of a stored address finds it. Values that are no address are
 * kept as given: they match only an identical stored string, as before the index.
 */
export function ipLookupForms(ips: readonly string[]): string[] {
  const out = new Set<string>();
  for (const ip of ips) {
    out.add(ip);
    const canonical = normalizeIp(ip);
    if (canonical !== undefined) out.add(canonical);
  }
  return [...out];
}

/**
 * The rows to delete and to insert so the index moves from `before` to `after` (device id ->
 * its addresses; a removed device maps to none). Devices absent from `after` are left alone.
 * Rows come out sorted by (ip, device id): the index is a b-tree on that key, so sorted inserts
 * fill one leaf after another instead of landing on a random page each.
 */
export function diffDeviceIps(before: ReadonlyMap<string, readonly string[]>, after: ReadonlyMap<string, readonly string[]>): { drop: DeviceIpRow[]; add: DeviceIpRow[] } {
  const drop: DeviceIpRow[] = [];
  const add: DeviceIpRow[] = [];
  for (const [id, ips] of after) {
    const old = new Set(before.get(id));
    const now = new Set(ips);
    for (const ip of old) if (!now.has(ip)) drop.push([ip, id]);
    for (const ip of now) if (!old.has(ip)) add.push([ip, id]);
  }
  drop.sort(compareRows);
  add.sort(compareRows);
  return { drop, add };
}

/** Code-unit order of (ip, device id); only a locality hint, so it need not match the engine's collation. */
function compareRows(a: DeviceIpRow, b: DeviceIpRow): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * network.ips of each stored device in `ids`, read from its document (element 1 of element 3 of
 * the stored array, see devices-doc.ts) without decoding the rest. Absent ids are absent.
 */
export async function storedIps(db: Kysely<DB>, dialect: Dialect, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const ips = dialect === 'postgres' ? '(c.doc::json -> 3 -> 1)::text' : "json_extract(c.doc, '$[3][1]')";
  const text = `select d.id, ${ips} as ips from devices d join device_docs c on c.seq = d.seq where ${inParam(dialect, 'd.id', 1)}`;
  for (const r of await run<{ id: string; ips: string | null }>(db, text, [listParam(dialect, [...new Set(ids)])])) {
    out.set(r.id, r.ips === null ? [] : (JSON.parse(r.ips) as string[]));
  }
  return out;
}

/** The stored addresses of each device in `ids`: from `known` where it has them, else from the documents. */
export async function currentIps(db: Kysely<DB>, dialect: Dialect, ids: readonly string[], known: ReadonlyMap<string, readonly string[]>): Promise<Map<string, readonly string[]>> {
  const out = new Map<string, readonly string[]>(await storedIps(db, dialect, ids.filter((id) => !known.has(id))));
  for (const id of ids) {
    const ips = known.get(id);
    if (ips !== undefined) out.set(id, ips);
  }
  return out;
}

/** Applies a diffDeviceIps result: one delete statement (the pairs as one list parameter), then multi-row inserts. */
export async function writeDeviceIps(db: Kysely<DB>, dialect: Dialect, { drop, add }: { drop: readonly DeviceIpRow[]; add: readonly DeviceIpRow[] }): Promise<void> {
  if (drop.length > 0) {
    if (dialect === 'postgres') {
      await run(db, 'delete from device_ips where (ip, device_id) in (select * from unnest($1::text[], $2::text[]))', [drop.map((r) => r[0]), drop.map((r) => r[1])]);
    } else {
      await run(db, 'delete from device_ips where (ip, device_id) in (select value ->> 0, value ->> 1 from json_each(?))', [JSON.stringify(drop)]);
    }
  }
  // The diff starts from the stored documents, so a row to add is not there yet unless the index
  // drifted from them; that is no reason to fail an import.
  await insertRows(db, dialect, 'insert into device_ips (ip, device_id)', ' on conflict do nothing', 2, add.length, (out, i) => {
    const [ip, id] = add[i]!;
    out.push(ip, id);
  });
}

/**
 * Devices whose stored addresses include any of `ips` in any spelling (ipLookupForms), by id:
 * index probes for each chunk of addresses, then each matched device's document once.
 */
export async function loadDevicesByIps(db: Kysely<DB>, dialect: Dialect, ips: readonly string[]): Promise<Map<string, Device>> {
  const out = new Map<string, Device>();
  const forms = ipLookupForms(ips);
  const text = `select d.id, c.doc from devices d join device_docs c on c.seq = d.seq where d.id in (select device_id from device_ips where ${inParam(dialect, 'ip', 1)})`;
  for (let i = 0; i < forms.length; i += IP_LOOKUP_CHUNK) {
    const rows = await run<{ id: string; doc: string }>(db, text, [listParam(dialect, forms.slice(i, i + IP_LOOKUP_CHUNK))]);
    for (const r of rows) if (!out.has(r.id)) out.set(r.id, decodeDevice(r.doc));
  }
  return out;
}
