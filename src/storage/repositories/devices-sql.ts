/**
 * @module The statement helpers the device repository's write side and address index share.
 * Statements are plain SQL text rather than query-builder trees, since an import sends hundreds
 * of thousands of values. Every statement text comes from a small fixed set (list parameters
 * travel as one JSON/array value; multi-row inserts use a few fixed row counts), so each is
 * prepared once per connection and then served from the statement cache: a fresh 2,000-row
 * VALUES list per batch would cost more to parse than to run.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';

/** Parameters per statement: under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_PARAMS = 30_000;
/** Rows per multi-row INSERT, largest first; a batch is cut into these sizes only. */
const ROW_COUNTS = [2048, 512, 128, 32, 8, 1] as const;

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
 * Runs `insert ... values <tuples> <tail>` for `rows` rows of `width` values (`pushRow(out, i)`
 * appends row i's values), in statements of fixed row counts; returns the rows the statements
 * return, in order. Each statement's parameters are built as it is sent: no flat array of a
 * whole batch (1.4 million values for 100,000 devices) to build and then cut into pieces.
 */
export async function insertRows<R>(
  db: Kysely<DB>,
  dialect: Dialect,
  head: string,
  tail: string,
  width: number,
  rows: number,
  pushRow: (out: unknown[], i: number) => void,
): Promise<R[]> {
  const out: R[] = [];
  let at = 0;
  for (const count of rowCounts(rows, width)) {
    const params: unknown[] = [];
    for (let i = at; i < at + count; i++) pushRow(params, i);
    at += count;
    const returned = await run<R>(db, `${head} values ${valuesList(dialect, count, width)}${tail}`, params);
    for (const r of returned) out.push(r);
  }
  return out;
}

/** `column in <list given as one parameter>`: one statement text whatever the list's length. */
export function inParam(dialect: Dialect, column: string, n: number): string {
  return dialect === 'postgres' ? `${column} = any($${n}::text[])` : `${column} in (select value from json_each(?))`;
}

export const listParam = (dialect: Dialect, values: readonly unknown[]): unknown => (dialect === 'postgres' ? values : JSON.stringify(values));

export async function run<R>(db: Kysely<DB>, text: string, params: readonly unknown[]): Promise<R[]> {
  const res = await db.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
  return res.rows;
}
