/**
 * @module Shared vocabulary of the version comparators: scheme ids, the three-way comparison
 * result (with an explicit "incomparable" for inputs a scheme cannot order) and the comparator
 * contract every scheme file implements.
 */

/** Ordering schemes we can compare. `git` has no order (commit hashes); `generic` is our firmware-tolerant order. */
export type SchemeId =
  | 'semver'
  | 'npm'
  | 'cargo'
  | 'go'
  | 'pypi'
  | 'maven'
  | 'nuget'
  | 'deb'
  | 'rpm'
  | 'apk'
  | 'generic'
  | 'git';

/** -1, 0, 1, or 'incomparable' when either side is not a valid version of the scheme (or the scheme cannot decide). */
export type Comparison = -1 | 0 | 1 | 'incomparable';

export interface VersionComparator {
  readonly scheme: SchemeId;
  /** Three-way comparison; never throws. */
  compare(a: string, b: string): Comparison;
  /** True when the string is a version this scheme understands. */
  isValid(v: string): boolean;
}

/** Clamp any signed number to -1/0/1. */
export function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compare two strings of ASCII digits as unbounded non-negative integers (leading zeros ignored). */
export function compareDigitStrings(a: string, b: string): -1 | 0 | 1 {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Byte-wise (C strcmp-like) comparison of ASCII strings. */
export function compareAscii(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Upper bound on version string length we accept; longer inputs are treated as invalid, keeping comparisons bounded. */
export const MAX_VERSION_LENGTH = 256;
