/**
 * @module The read side of the device repository: filters, text matching, keyset pages, counts
 * and facets, written once with Kysely for both engines. Text words match with instr() (SQLite)
 * or strpos() (PostgreSQL): literal substring tests, so no character in the text is special.
 * Text matching first collects the matching rows' keys when they are few (a rare word: one scan,
 * then every page and count is an index lookup on those keys); when they are many, pages walk the
 * sort index and test each row, which stops as soon as a page is full.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { criticalityFromRank, criticalityRank, type Device, type DeviceFacets, type FacetCount, type ResolvedDeviceQuery } from '../../inventory/index.js';
import { decodeDevice } from './devices-doc.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { SORT_COLUMNS, decodeCursor, encodeCursor, type KeyValue } from './devices-cursor.js';

/** At most this many text matches are collected as keys; more switch to index-walk matching. */
export const TEXT_SET_LIMIT = 1000;

export type TextMatch = { mode: 'none' } | { mode: 'set'; seqs: number[] } | { mode: 'scan'; words: string[] };

export type FacetDimension = keyof DeviceFacets;

const FACET_COLUMN: Record<FacetDimension, 'category' | 'manufacturer' | 'criticality_rank' | 'status' | 'site' | 'unit'> = {
  categories: 'category',
  manufacturers: 'manufacturer',
  criticalities: 'criticality_rank',
  statuses: 'status',
  sites: 'site',
  units: 'unit',
};

export const FACET_DIMENSIONS = Object.keys(FACET_COLUMN) as FacetDimension[];

const col = (name: string) => sql.ref(`devices.${name}`);

function containsWord(dialect: Dialect, word: string): Expression<SqlBool> {
  return dialect === 'postgres' ? sql<SqlBool>`strpos(${col('search_text')}, ${word}) > 0` : sql<SqlBool>`instr(${col('search_text')}, ${word}) > 0`;
}

function oneOf(name: string, values: readonly (string | number)[]): Expression<SqlBool> {
  return sql<SqlBool>`${col(name)} in (${sql.join(values.map((v) => sql`${v}`))})`;
}

const equals = (name: string, value: string | number): Expression<SqlBool> => sql<SqlBool>`${col(name)} = ${value}`;

/**
 * The WHERE of a search (columns qualified, so it also serves joined queries); `skip` leaves out
 * one facet's own filter (facet counts ignore their own selection).
 */
export function filterOf(dialect: Dialect, q: ResolvedDeviceQuery, text: TextMatch, skip?: FacetDimension): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (q.category.length > 0 && skip !== 'categories') terms.push(oneOf('category', q.category));
  if (q.manufacturer.length > 0 && skip !== 'manufacturers') terms.push(oneOf('manufacturer', q.manufacturer));
  if (q.criticality.length > 0 && skip !== 'criticalities') terms.push(oneOf('criticality_rank', q.criticality.map((c) => criticalityRank(c))));
  if (q.status.length > 0 && skip !== 'statuses') terms.push(oneOf('status', q.status));
  if (q.site !== undefined && skip !== 'sites') terms.push(equals('site', q.site));
  if (q.building !== undefined) terms.push(equals('building', q.building));
  if (q.unit !== undefined && skip !== 'units') terms.push(equals('unit', q.unit));
  if (text.mode === 'set') terms.push(oneOf('seq', text.seqs));
  if (text.mode === 'scan') for (const w of text.words) terms.push(containsWord(dialect, w));
  return terms.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(terms, sql` and `)}`;
}

export async function matchText(db: Kysely<DB>, dialect: Dialect, words: readonly string[]): Promise<TextMatch> {
  if (words.length === 0) return { mode: 'none' };
  const rows = await db
    .selectFrom('devices')
    .select('seq')
    .where(sql<SqlBool>`${sql.join(words.map((w) => containsWord(dialect, w)), sql` and `)}`)
    .limit(TEXT_SET_LIMIT + 1)
    .execute();
  if (rows.length > TEXT_SET_LIMIT) return { mode: 'scan', words: [...words] };
  return { mode: 'set', seqs: rows.map((r) => Number(r.seq)).sort((a, b) => a - b) };
}

export const isEmptyMatch = (t: TextMatch): boolean => t.mode === 'set' && t.seqs.length === 0;

export interface DevicePage {
  devices: Device[];
  nextCursor?: string;
}

/**
 * One page in the query's order, documents included, plus the cursor after it when more rows
 * follow. CROSS JOIN makes SQLite keep `devices` (read in index order) as the outer loop and
 * fetch each page row's document by primary key; PostgreSQL plans it as an ordinary join.
 */
export async function pageDevices(db: Kysely<DB>, dialect: Dialect, q: ResolvedDeviceQuery, text: TextMatch): Promise<DevicePage> {
  if (isEmptyMatch(text)) return { devices: [] };
  const columns = SORT_COLUMNS[q.sort];
  const after = q.cursor ? decodeCursor(q.cursor, q.sort, q.order) : undefined;
  let query = db
    .selectFrom('devices')
    .crossJoin('device_docs')
    .select(['devices.seq as seq', 'device_docs.doc as doc', ...columns.map((c) => `devices.${c}` as const)])
    .where(sql<SqlBool>`${col('seq')} = ${sql.ref('device_docs.seq')}`)
    .where(filterOf(dialect, q, text));
  if (after) {
    // A sort column the filters pin to one value is constant across the result; leaving it out
    // of the comparison lets SQLite turn the rest into an index range (PostgreSQL does either).
    const pinned = pinnedColumns(q);
    const keep = [...columns, 'seq'].map((c, i) => [c, after[i]] as const).filter(([c]) => !pinned.has(c));
    const refs = sql.join(keep.map(([c]) => col(c)));
    const values = sql.join(keep.map(([, v]) => sql`${v}`));
    query = query.where(q.order === 'asc' ? sql<SqlBool>`(${refs}) > (${values})` : sql<SqlBool>`(${refs}) < (${values})`);
  }
  for (const c of columns) query = query.orderBy(`devices.${c}`, q.order);
  const rows = await query.orderBy('devices.seq', q.order).limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const devices = page.map((r) => decodeDevice(r.doc));
  const last = page[page.length - 1];
  if (rows.length <= q.limit || !last) return { devices };
  const record = last as unknown as Record<string, KeyValue>;
  const key: KeyValue[] = columns.map((c) => (c === 'criticality_rank' ? Number(record[c]) : String(record[c])));
  key.push(Number(last.seq));
  return { devices, nextCursor: encodeCursor(q.sort, q.order, key) };
}

function pinnedColumns(q: ResolvedDeviceQuery): Set<string> {
  const pinned = new Set<string>();
  if (q.category.length === 1) pinned.add('category');
  if (q.manufacturer.length === 1) pinned.add('manufacturer');
  if (q.criticality.length === 1) pinned.add('criticality_rank');
  if (q.status.length === 1) pinned.add('status');
  if (q.unit !== undefined) pinned.add('unit');
  return pinned;
}

export async function countMatches(db: Kysely<DB>, dialect: Dialect, q: ResolvedDeviceQuery, text: TextMatch): Promise<number> {
  if (isEmptyMatch(text)) return 0;
  const row = await db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll().as('n'))
    .where(filterOf(dialect, q, text))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function facetCounts(db: Kysely<DB>, dialect: Dialect, q: ResolvedDeviceQuery, text: TextMatch, max: number): Promise<DeviceFacets> {
  const out = {} as DeviceFacets;
  for (const dim of FACET_DIMENSIONS) {
    const column = FACET_COLUMN[dim];
    if (isEmptyMatch(text)) {
      out[dim] = [];
      continue;
    }
    const rows = await db
      .selectFrom('devices')
      .select((eb) => [eb.ref(column).as('value'), eb.fn.countAll().as('n')])
      .where(filterOf(dialect, q, text, dim))
      .where(column === 'criticality_rank' ? sql<SqlBool>`${col(column)} <> ${criticalityRank(undefined)}` : sql<SqlBool>`${col(column)} <> ''`)
      .groupBy(column)
      .orderBy('n', 'desc')
      .orderBy(column)
      .limit(max)
      .execute();
    out[dim] = rows
      .map((r): FacetCount | undefined => {
        const value = column === 'criticality_rank' ? criticalityFromRank(Number(r.value)) : String(r.value);
        return value === undefined ? undefined : { value, count: Number(r.n) };
      })
      .filter((f): f is FacetCount => f !== undefined);
  }
  return out;
}
