/**
 * @module Keyset pagination for device search. Each sort reads in the order (sort column, name,
 * seq) — seq, the row's integer key, breaks ties — and a cursor carries the last row's values, so
 * the next page starts strictly after it with one index range read (no OFFSET, stable while rows
 * are added or removed elsewhere). Cursors are base64url JSON naming their sort, so a cursor is
 * refused when reused with another sort or order.
 */
import { DomainError } from '../../core/index.js';
import type { DeviceSortField } from '../../inventory/index.js';

export type SortColumn = 'name' | 'category' | 'manufacturer' | 'model' | 'criticality_rank' | 'status' | 'unit' | 'last_seen' | 'first_seen';

/** Columns each sort orders by, before the tie-breaker seq. */
export const SORT_COLUMNS: Record<DeviceSortField, readonly SortColumn[]> = {
  name: ['name'],
  category: ['category', 'name'],
  manufacturer: ['manufacturer', 'name'],
  model: ['model', 'name'],
  criticality: ['criticality_rank', 'name'],
  status: ['status', 'name'],
  unit: ['unit', 'name'],
  lastSeen: ['last_seen'],
  firstSeen: ['first_seen'],
};

export type KeyValue = string | number;

interface CursorBody {
  v: 1;
  s: DeviceSortField;
  o: 'asc' | 'desc';
  /** values of SORT_COLUMNS[s], then seq */
  k: KeyValue[];
}

const invalid = (reason: string) =>
  new DomainError('device.invalid_cursor', `the cursor is not valid for this search: ${reason}; start again without a cursor`, { status: 400, location: { pointer: '/cursor' } });

export function encodeCursor(sort: DeviceSortField, order: 'asc' | 'desc', key: KeyValue[]): string {
  const body: CursorBody = { v: 1, s: sort, o: order, k: key };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: DeviceSortField, order: 'asc' | 'desc'): KeyValue[] {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid('not base64url');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('unreadable');
  }
  if (!body || typeof body !== 'object') throw invalid('unreadable');
  const { v, s, o, k } = body as Partial<CursorBody>;
  if (v !== 1) throw invalid('unknown version');
  if (s !== sort || o !== order) throw invalid(`it was issued for sort=${String(s)} order=${String(o)}`);
  const columns = SORT_COLUMNS[sort];
  if (!Array.isArray(k) || k.length !== columns.length + 1) throw invalid('wrong key length');
  columns.forEach((c, i) => {
    const value = k[i];
    const ok = c === 'criticality_rank' ? Number.isInteger(value) : typeof value === 'string' && value.length <= 2048;
    if (!ok) throw invalid(`bad value for ${c}`);
  });
  if (!Number.isSafeInteger(k[columns.length])) throw invalid('bad row key');
  return k;
}
