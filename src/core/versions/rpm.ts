/**
 * @module RPM version comparison: rpmvercmp for a single version/release string (alpha and
 * numeric segments, separators ignored, `~` sorts before anything, `^` after the base version
 * but before any further segment) and EVR comparison `[epoch:]version[-release]` as rpm 4.18's
 * `rpm.vercmp` does (missing epoch is 0; with equal versions, a side carrying a release is newer).
 */
import { compareAscii, compareDigitStrings, MAX_VERSION_LENGTH, type Comparison, type VersionComparator } from './types.js';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}

const TILDE = 126;
const CARET = 94;

/** rpmvercmp: compare two version (or release) strings. */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;
    const ca = i < a.length ? a.charCodeAt(i) : 0;
    const cb = j < b.length ? b.charCodeAt(j) : 0;

    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    // A caret marks a post-release snapshot: above the base version, below any further segment.
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;

    const numeric = isDigit(ca);
    const test = numeric ? isDigit : isAlpha;
    let ei = i;
    let ej = j;
    while (ei < a.length && test(a.charCodeAt(ei))) ei++;
    while (ej < b.length && test(b.charCodeAt(ej))) ej++;
    // Segments of different kinds: numeric is newer than alpha.
    if (ej === j) return numeric ? 1 : -1;
    const sa = a.slice(i, ei);
    const sb = b.slice(j, ej);
    const rc = numeric ? compareDigitStrings(sa, sb) : compareAscii(sa, sb);
    if (rc !== 0) return rc;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface RpmEvr {
  epoch: string | null;
  version: string;
  release: string | null;
}

/** Split `[epoch:]version[-release]` the way rpm's parseEVR does. Null for an empty string. */
export function parseRpmEvr(evr: string): RpmEvr | null {
  if (evr === '' || evr.length > MAX_VERSION_LENGTH) return null;
  let k = 0;
  while (k < evr.length && isDigit(evr.charCodeAt(k))) k++;
  let epoch: string | null = null;
  let rest = evr;
  if (evr.charAt(k) === ':') {
    epoch = evr.slice(0, k) || '0';
    rest = evr.slice(k + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash >= 0) return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
  return { epoch, version: rest, release: null };
}

export function compareRpm(a: string, b: string): Comparison {
  const ea = parseRpmEvr(a);
  const eb = parseRpmEvr(b);
  if (!ea || !eb) return 'incomparable';
  const ep = rpmvercmp(ea.epoch ?? '0', eb.epoch ?? '0');
  if (ep !== 0) return ep;
  const v = rpmvercmp(ea.version, eb.version);
  if (v !== 0) return v;
  if (ea.release !== null && eb.release !== null) return rpmvercmp(ea.release, eb.release);
  // rpm 4.18 ranks a version that carries a release (even an empty one) above the bare version.
  if (ea.release !== null) return 1;
  if (eb.release !== null) return -1;
  return 0;
}

export const rpmComparator: VersionComparator = {
  scheme: 'rpm',
  compare: compareRpm,
  isValid: (v) => parseRpmEvr(v) !== null && /^[A-Za-z0-9._+~^:-]+$/.test(v),
};
