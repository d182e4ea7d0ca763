/**
 * @module A tolerant comparator for firmware and vendor version strings that follow no package
 * ecosystem ('2.6A', 'U61', '4.01', 'v3.2.1-b4', 'B.06.18', '012U000040').
 *
 * Ordering rules (documented in docs/vulns-versions.md):
 * 1. Case is ignored; a leading `v` before a digit is dropped; every character other than
 *    ASCII letters and digits separates segments, and a letter/digit transition splits too
 *    ('2.6A' → 2 6 a; 'U61' → u 61). Separator kinds are not significant ('1-2' == '1.2').
 * 2. Numeric segments compare as unbounded integers (leading zeros ignored: '4.01' == '4.1').
 * 3. Pre-release words dev < alpha < beta < pre|preview < rc sort below anything else at the
 *    same position and below the end of the version ('1.0rc1' < '1.0' < '1.0.1').
 * 4. Missing trailing segments count as zero ('1' == '1.0.0'); an extra trailing letter or word
 *    makes a version newer ('2.6A' > '2.6').
 * 5. Two different single letters after the leading segment order alphabetically ('2.6A' < '2.6B').
 * 6. Otherwise the comparator refuses to guess and answers 'incomparable': different leading
 *    words ('U61' vs 'L81' are different product lines), a word against a number ('2.6A' vs
 *    '2.6.1'), two different multi-letter words ('SP1' vs 'SR1'), or no segments at all.
 */
import { compareDigitStrings, MAX_VERSION_LENGTH, type Comparison, type VersionComparator } from './types.js';

type Segment = { num: string } | { word: string };

const PRE_RELEASE: Record<string, number> = { dev: 0, alpha: 1, beta: 2, pre: 3, preview: 3, rc: 4 };

const SEGMENT = /[0-9]+|[a-z]+/g;

/** Split into numeric and alphabetic segments; null when there are none or the input is oversized. */
export function genericSegments(version: string): Segment[] | null {
  if (version.length > MAX_VERSION_LENGTH) return null;
  let s = version.trim().toLowerCase();
  if (/^v[0-9]/.test(s)) s = s.slice(1);
  const out: Segment[] = [];
  for (const m of s.matchAll(SEGMENT)) {
    const t = m[0];
    out.push(t.charCodeAt(0) <= 57 ? { num: t } : { word: t });
  }
  return out.length > 0 ? out : null;
}

const preIndex = (seg: Segment): number | undefined => ('word' in seg ? PRE_RELEASE[seg.word] : undefined);

/** Result when one version ends and the other continues with `tail`, from the longer one's view. */
function tailOrder(tail: Segment[]): -1 | 0 | 1 {
  for (const seg of tail) {
    if ('num' in seg) {
      if (/^0+$/.test(seg.num)) continue;
      return 1;
    }
    return preIndex(seg) !== undefined ? -1 : 1;
  }
  return 0;
}

export function compareGeneric(a: string, b: string): Comparison {
  const sa = genericSegments(a);
  const sb = genericSegments(b);
  if (!sa || !sb) return 'incomparable';
  const n = Math.max(sa.length, sb.length);
  for (let i = 0; i < n; i++) {
    const x = sa[i];
    const y = sb[i];
    if (x === undefined) return (-tailOrder(sb.slice(i)) || 0) as -1 | 0 | 1;
    if (y === undefined) return tailOrder(sa.slice(i));
    if ('num' in x && 'num' in y) {
      const r = compareDigitStrings(x.num, y.num);
      if (r !== 0) return r;
      continue;
    }
    if ('word' in x && 'word' in y && x.word === y.word) continue;
    const px = preIndex(x);
    const py = preIndex(y);
    if (px !== undefined && py !== undefined) {
      if (px !== py) return px < py ? -1 : 1;
      continue;
    }
    if (px !== undefined) return -1;
    if (py !== undefined) return 1;
    if (i > 0 && 'word' in x && 'word' in y && x.word.length === 1 && y.word.length === 1) {
      return x.word < y.word ? -1 : 1;
    }
    return 'incomparable';
  }
  return 0;
}

export const genericComparator: VersionComparator = {
  scheme: 'generic',
  compare: compareGeneric,
  isValid: (v) => genericSegments(v) !== null,
};
