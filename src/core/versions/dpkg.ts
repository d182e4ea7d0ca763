/**
 * @module Debian (dpkg) version comparison: `[epoch:]upstream[-revision]`, compared the way
 * `dpkg --compare-versions` does (lib/dpkg/version.c verrevcmp): non-digit runs compare by a
 * character order in which `~` sorts before everything (even the end of the string) and letters
 * sort before other punctuation; digit runs compare numerically.
 */
import { MAX_VERSION_LENGTH, sign, type Comparison, type VersionComparator } from './types.js';

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/**
 * Parse like dpkg's parseversion. Returns null for what dpkg treats as a hard error
 * (empty, embedded blanks, bad epoch, empty upstream or revision). dpkg only warns about an
 * upstream not starting with a digit or unusual characters; `strict` turns those into null too.
 */
export function parseDpkgVersion(input: string, strict = false): DpkgVersion | null {
  if (input.length > MAX_VERSION_LENGTH) return null;
  const s = input.trim();
  if (s === '' || /\s/.test(s)) return null;
  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^[0-9]+$/.test(e)) return null;
    epoch = Number(e);
    if (epoch > 2147483647) return null;
    rest = s.slice(colon + 1);
    if (rest === '') return null;
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') return null;
  }
  if (upstream === '') return null;
  if (strict) {
    if (!/^[0-9]/.test(upstream)) return null;
    if (!/^[A-Za-z0-9.+~:-]*$/.test(upstream)) return null;
    if (!/^[A-Za-z0-9.+~]*$/.test(revision)) return null;
  }
  return { epoch, upstream, revision };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** dpkg's character weight: digits and end-of-string 0, `~` -1, letters their code, others code+256. */
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** Compare one upstream or revision part. */
export function dpkgVerrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a, i);
      const bc = order(b, j);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++;
    while (j < b.length && b.charCodeAt(j) === 48) j++;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

export function compareDpkg(a: string, b: string): Comparison {
  const va = parseDpkgVersion(a);
  const vb = parseDpkgVersion(b);
  if (!va || !vb) return 'incomparable';
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  const up = dpkgVerrevcmp(va.upstream, vb.upstream);
  if (up !== 0) return sign(up);
  return sign(dpkgVerrevcmp(va.revision, vb.revision));
}

export const dpkgComparator: VersionComparator = {
  scheme: 'deb',
  compare: compareDpkg,
  isValid: (v) => parseDpkgVersion(v, true) !== null,
};
