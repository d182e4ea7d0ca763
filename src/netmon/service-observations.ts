/**
 * @module Paging of stored observations for NetmonService.observations: the caller's filter with times
 * turned into the stored form (microseconds, fixed width), and an opaque cursor over the store's keyset
 * on (ts, id), so pages stay stable while captures are ingested.
 */
import { invalidInput } from '../core/index.js';
import { isoMicros } from './observation-sample.js';
import type { NetmonStore, ObservationFilter, StoredObservation } from './ports.js';

/** The store's filter (from inclusive, to exclusive), paged by cursor rather than by the raw keyset. */
export type ObservationQuery = Omit<ObservationFilter, 'after'> & {
  /** 1..500 (default 100) */
  limit?: number;
  /** nextCursor of the previous page */
  cursor?: string;
};

export interface ObservationPage {
  items: StoredObservation[];
  nextCursor?: string;
}

/** Stored observations, oldest first, a page at a time (keyset on (ts, id), stable under inserts). */
export async function observationPage(store: NetmonStore, q: ObservationQuery): Promise<ObservationPage> {
  const limit = q.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalidInput('netmon.invalid_limit', 'limit must be an integer from 1 to 500', { location: { pointer: '/limit' } });
  const items = await store.observations(
    {
      ...(q.captureId !== undefined ? { captureId: q.captureId } : {}),
      ...(q.ip !== undefined ? { ip: q.ip } : {}),
      ...(q.protocol !== undefined ? { protocol: q.protocol } : {}),
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
      ...(q.from !== undefined ? { from: storedTime(q.from, 'from') } : {}),
      ...(q.to !== undefined ? { to: storedTime(q.to, 'to') } : {}),
      ...(q.cursor !== undefined ? { after: decodeObservationCursor(q.cursor) } : {}),
    },
    limit + 1,
  );
  if (items.length <= limit) return { items };
  const page = items.slice(0, limit);
  const last = page[page.length - 1]!;
  return { items: page, nextCursor: Buffer.from(JSON.stringify([last.ts, last.id])).toString('base64url') };
}

/** An ISO time from a caller in the stored form (microseconds, fixed width), so text order is time order. */
function storedTime(text: string, name: string): string {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalidInput('netmon.invalid_time', `${name} must be an ISO-8601 date-time, found "${text}"`, { location: { pointer: `/${name}` } });
  // Date keeps milliseconds: digits 4-6 of the fraction are the microseconds it drops.
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return isoMicros(ms * 1000 + Number(fraction.padEnd(6, '0').slice(3, 6)));
}

function decodeObservationCursor(cursor: string): { ts: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw invalidInput('netmon.invalid_cursor', 'cursor is not a nextCursor this endpoint returned', { location: { pointer: '/cursor' } });
  }
  return { ts: parsed[0], id: parsed[1] };
}
