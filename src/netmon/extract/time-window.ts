/**
 * @module The capture-time window of a selection: ISO-8601 times to microseconds, keeping the
 * microseconds that observation times carry (Date keeps only milliseconds).
 */
import { DomainError } from '../../core/index.js';
import type { Micros } from '../model.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.(\d{1,9}))?)?(?:Z|[+-]\d\d:\d\d)$/;

/** An ISO-8601 date-time with a zone (Z or ±hh:mm) in µs since the epoch; throws netmon.invalid_time. */
export function isoToMicros(text: string, name: 'from' | 'to'): Micros {
  const m = ISO.exec(text);
  const ms = m === null ? NaN : Date.parse(text);
  if (m === null || !Number.isFinite(ms)) {
    throw new DomainError('netmon.invalid_time', `${name} must be an ISO-8601 date-time with a zone, like 2026-03-01T12:00:00.123456Z, found "${text}"`, { status: 400, location: { pointer: `/${name}` } });
  }
  // Date keeps milliseconds: digits 4-6 of the fraction are the microseconds it drops.
  return ms * 1000 + Number((m[1] ?? '').padEnd(6, '0').slice(3, 6));
}

/** A window whose end is not after its start selects nothing: refused rather than answered empty. */
export function checkWindow(from: Micros | undefined, to: Micros | undefined): void {
  if (from !== undefined && to !== undefined && to <= from) {
    throw new DomainError('netmon.invalid_time', 'the time window ends before it starts (to must be after from)', { status: 400, location: { pointer: '/to' } });
  }
}
