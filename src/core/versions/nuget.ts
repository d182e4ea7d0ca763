/**
 * @module NuGet version comparison (NuGet.Versioning semantics): up to four numeric parts
 * (major.minor.patch.revision, missing parts are 0, leading zeros ignored), SemVer 2.0
 * pre-release labels compared case-insensitively (numeric labels numerically and below
 * alphanumeric ones), a release above any of its pre-releases, and build metadata ignored.
 */
import { compareDigitStrings, MAX_VERSION_LENGTH, type Comparison, type VersionComparator } from './types.js';

const NUGET =
  /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

interface NuGetVersion {
  parts: [string, string, string, string];
  pre: string[];
}

export function parseNuGetVersion(v: string): NuGetVersion | null {
  if (v.length > MAX_VERSION_LENGTH) return null;
  const m = NUGET.exec(v.trim());
  if (!m) return null;
  return {
    parts: [m[1] ?? '0', m[2] ?? '0', m[3] ?? '0', m[4] ?? '0'],
    pre: m[5] ? m[5].split('.') : [],
  };
}

const NUMERIC = /^\d+$/;

function compareLabel(a: string, b: string): -1 | 0 | 1 {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return compareDigitStrings(a, b);
  if (an) return -1;
  if (bn) return 1;
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

export function compareNuGet(a: string, b: string): Comparison {
  const va = parseNuGetVersion(a);
  const vb = parseNuGetVersion(b);
  if (!va || !vb) return 'incomparable';
  for (let i = 0; i < 4; i++) {
    const r = compareDigitStrings(va.parts[i] as string, vb.parts[i] as string);
    if (r !== 0) return r;
  }
  if (va.pre.length === 0 || vb.pre.length === 0) {
    if (va.pre.length === vb.pre.length) return 0;
    return va.pre.length === 0 ? 1 : -1;
  }
  const n = Math.min(va.pre.length, vb.pre.length);
  for (let i = 0; i < n; i++) {
    const r = compareLabel(va.pre[i] as string, vb.pre[i] as string);
    if (r !== 0) return r;
  }
  return va.pre.length === vb.pre.length ? 0 : va.pre.length < vb.pre.length ? -1 : 1;
}

export const nugetComparator: VersionComparator = {
  scheme: 'nuget',
  compare: compareNuGet,
  isValid: (v) => parseNuGetVersion(v) !== null,
};
