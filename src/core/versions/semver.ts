/**
 * @module Semantic-version comparators for npm, cargo, Go modules and plain SemVer 2.0, built on
 * the `semver` package. npm is parsed loosely (`v1.2.3`, `=1.2.3`); Go accepts the `v` prefix
 * its module versions carry and ignores `+incompatible`; cargo and plain semver are strict.
 * All schemes tolerate a missing minor/patch (`17.0` → `17.0.0`) because advisories (CVE 5,
 * OSV SEMVER ranges) write them that way; build metadata never affects order (SemVer §10).
 */
import semver from 'semver';
import { MAX_VERSION_LENGTH, type Comparison, type SchemeId, type VersionComparator } from './types.js';

const SHORT = /^(v?)(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:[-+].*)?)$/;

/** Fill in missing minor/patch components; everything else is left to the semver parser. */
function padShort(v: string): string {
  const m = SHORT.exec(v);
  if (!m) return v;
  return `${m[1] ?? ''}${m[2] ?? '0'}.${m[3] ?? '0'}.${m[4] ?? '0'}${m[5] ?? ''}`;
}

function parseWith(v: string, loose: boolean, allowV: boolean): semver.SemVer | null {
  if (v.length > MAX_VERSION_LENGTH) return null;
  let s = v.trim();
  if (!allowV && /^[vV=]/.test(s)) return null;
  s = padShort(s);
  try {
    return semver.parse(s, { loose });
  } catch {
    return null;
  }
}

function makeComparator(scheme: SchemeId, loose: boolean, allowV: boolean): VersionComparator {
  const parse = (v: string) => parseWith(v, loose, allowV);
  return {
    scheme,
    compare(a: string, b: string): Comparison {
      const pa = parse(a);
      const pb = parse(b);
      if (!pa || !pb) return 'incomparable';
      return pa.compare(pb);
    },
    isValid: (v) => parse(v) !== null,
  };
}

export const semverComparator = makeComparator('semver', false, false);
export const npmComparator = makeComparator('npm', true, true);
export const cargoComparator = makeComparator('cargo', false, false);
export const goComparator = makeComparator('go', false, true);

/** Parse a version under the given semver-family scheme, or null. */
export function parseSemverFamily(scheme: 'semver' | 'npm' | 'cargo' | 'go', v: string): semver.SemVer | null {
  return parseWith(v, scheme === 'npm', scheme === 'npm' || scheme === 'go');
}
