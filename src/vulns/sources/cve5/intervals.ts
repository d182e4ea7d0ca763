/**
 * @module Interval arithmetic used to read CVE 5 records written as "affected by default, except
 * these unaffected ranges" (the Linux kernel CNA's style): the affected set is the complement of
 * the unaffected intervals. Gives up (returns undefined) when any two bounds cannot be ordered.
 */
import { compareVersions, type Constraint, type SchemeId } from '../../../core/versions/index.js';

export interface Bound {
  version: string;
  inclusive: boolean;
}

/** A version interval; a missing bound is unbounded on that side. */
export interface Interval {
  lower?: Bound;
  upper?: Bound;
}

export function intervalToGroup(i: Interval): Constraint[] {
  if (i.lower && i.upper && i.lower.inclusive && i.upper.inclusive && i.lower.version === i.upper.version) return [{ op: '=', version: i.lower.version }];
  const g: Constraint[] = [];
  if (i.lower) g.push({ op: i.lower.inclusive ? '>=' : '>', version: i.lower.version });
  if (i.upper) g.push({ op: i.upper.inclusive ? '<=' : '<', version: i.upper.version });
  return g;
}

class Incomparable extends Error {}

/** Compare two lower bounds (undefined = -infinity). */
function cmpLower(scheme: SchemeId, a: Bound | undefined, b: Bound | undefined): number {
  if (!a || !b) return !a && !b ? 0 : !a ? -1 : 1;
  const c = compareVersions(scheme, a.version, b.version);
  if (c === 'incomparable') throw new Incomparable();
  if (c !== 0) return c;
  return a.inclusive === b.inclusive ? 0 : a.inclusive ? -1 : 1;
}

/** Compare two upper bounds (undefined = +infinity). */
function cmpUpper(scheme: SchemeId, a: Bound | undefined, b: Bound | undefined): number {
  if (!a || !b) return !a && !b ? 0 : !a ? 1 : -1;
  const c = compareVersions(scheme, a.version, b.version);
  if (c === 'incomparable') throw new Incomparable();
  if (c !== 0) return c;
  return a.inclusive === b.inclusive ? 0 : a.inclusive ? 1 : -1;
}

/** The versions not covered by any of `intervals`, as intervals; undefined when bounds cannot be ordered. */
export function complement(scheme: SchemeId, intervals: Interval[]): Interval[] | undefined {
  try {
    const sorted = [...intervals].sort((a, b) => cmpLower(scheme, a.lower, b.lower));
    const out: Interval[] = [];
    // `covered` is the upper end of everything seen so far; null means nothing yet (-infinity).
    let covered: Bound | undefined | null = null;
    for (const iv of sorted) {
      if (covered === undefined) break;
      const gapStart: Bound | undefined = covered === null ? undefined : { version: covered.version, inclusive: !covered.inclusive };
      if (iv.lower) {
        const gap: Interval = { upper: { version: iv.lower.version, inclusive: !iv.lower.inclusive } };
        if (gapStart) gap.lower = gapStart;
        const nonEmpty = !gapStart || (() => {
          const c = compareVersions(scheme, gapStart.version, iv.lower.version);
          if (c === 'incomparable') throw new Incomparable();
          return c < 0 || (c === 0 && gapStart.inclusive && !iv.lower.inclusive);
        })();
        if (nonEmpty) out.push(gap);
      }
      if (covered === null || cmpUpper(scheme, iv.upper, covered) > 0) covered = iv.upper;
    }
    if (covered !== undefined) {
      const tail: Interval = {};
      if (covered !== null) tail.lower = { version: covered.version, inclusive: !covered.inclusive };
      out.push(tail);
    }
    return out;
  } catch (e) {
    if (e instanceof Incomparable) return undefined;
    throw e;
  }
}
