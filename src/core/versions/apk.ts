/**
 * @module Alpine apk version comparison, following apk-tools 2.x `version.c` (Gentoo-style):
 * `digit{.digit}...{letter}{_suffix{number}}...{-r#}`. Pre-release suffixes `_alpha < _beta <
 * _pre < _rc` sort below the release, post-release `_cvs < _svn < _git < _hg < _p` above it;
 * `-rN` is the package revision; a dotted component with leading zeros sorts below one without
 * (`1.01` < `1.1`, apk's Gentoo rule). Versions apk would reject are 'incomparable'.
 * apk's quirks are kept on purpose so we agree with the package manager: after a run of zeros
 * the tokenizer expects digits, so `1.0_rc1` sorts above `1.0` (while `1.1_rc1` < `1.1`).
 */
import { MAX_VERSION_LENGTH, type Comparison, type VersionComparator } from './types.js';

const T_INVALID = -1;
const T_DIGIT_OR_ZERO = 0;
const T_DIGIT = 1;
const T_LETTER = 2;
const T_SUFFIX = 3;
const T_SUFFIX_NO = 4;
const T_REVISION_NO = 5;
const T_END = 6;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

/** A cursor over one version string, holding the type of the token it is positioned at. */
interface Cursor {
  s: string;
  pos: number;
  type: number;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';

function nextToken(cur: Cursor): void {
  let n = T_INVALID;
  const c = cur.s[cur.pos];
  if (c === undefined) {
    n = T_END;
  } else if ((cur.type === T_DIGIT || cur.type === T_DIGIT_OR_ZERO) && isLower(c)) {
    n = T_LETTER;
  } else if (cur.type === T_LETTER && isDigit(c)) {
    n = T_DIGIT;
  } else if (cur.type === T_SUFFIX && isDigit(c)) {
    n = T_SUFFIX_NO;
  } else {
    if (c === '.') n = T_DIGIT_OR_ZERO;
    else if (c === '_') n = T_SUFFIX;
    else if (c === '-' && cur.s[cur.pos + 1] === 'r') {
      n = T_REVISION_NO;
      cur.pos++;
    }
    cur.pos++;
  }
  if (n < cur.type) {
    const allowed =
      (n === T_DIGIT_OR_ZERO && cur.type === T_DIGIT) ||
      (n === T_SUFFIX && cur.type === T_SUFFIX_NO) ||
      (n === T_DIGIT && cur.type === T_LETTER);
    if (!allowed) n = T_INVALID;
  }
  cur.type = n;
}

/** Read the token value at the cursor and advance; numbers are BigInt so long digit runs stay exact. */
function getToken(cur: Cursor): bigint {
  if (cur.pos >= cur.s.length) {
    cur.type = T_END;
    return 0n;
  }
  let v: bigint;
  let i = cur.pos;
  let nextType = T_INVALID;
  const t = cur.type;
  if (t === T_DIGIT_OR_ZERO && cur.s[i] === '0') {
    while (cur.s[i] === '0') i++;
    nextType = T_DIGIT;
    v = -BigInt(i - cur.pos);
  } else if (t === T_DIGIT_OR_ZERO || t === T_DIGIT || t === T_SUFFIX_NO || t === T_REVISION_NO) {
    while (isDigit(cur.s[i])) i++;
    v = i > cur.pos ? BigInt(cur.s.slice(cur.pos, i)) : 0n;
  } else if (t === T_LETTER) {
    v = BigInt(cur.s.charCodeAt(i));
    i++;
  } else if (t === T_SUFFIX) {
    const rest = cur.s.slice(cur.pos);
    const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
    if (pre >= 0) {
      v = BigInt(pre - PRE_SUFFIXES.length);
      i += (PRE_SUFFIXES[pre] as string).length;
    } else {
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (post < 0) {
        cur.type = T_INVALID;
        return -1n;
      }
      v = BigInt(post);
      i += (POST_SUFFIXES[post] as string).length;
    }
  } else {
    cur.type = T_INVALID;
    return -1n;
  }
  cur.pos = i;
  if (cur.pos >= cur.s.length) cur.type = T_END;
  else if (nextType !== T_INVALID) cur.type = nextType;
  else nextToken(cur);
  return v;
}

export function isValidApkVersion(v: string): boolean {
  if (v === '' || v.length > MAX_VERSION_LENGTH) return false;
  const cur: Cursor = { s: v, pos: 0, type: T_DIGIT };
  while (cur.type !== T_END && cur.type !== T_INVALID) getToken(cur);
  return cur.type === T_END;
}

export function compareApk(a: string, b: string): Comparison {
  if (!isValidApkVersion(a) || !isValidApkVersion(b)) return 'incomparable';
  const ca: Cursor = { s: a, pos: 0, type: T_DIGIT };
  const cb: Cursor = { s: b, pos: 0, type: T_DIGIT };
  let av = 0n;
  let bv = 0n;
  while (ca.type === cb.type && ca.type !== T_END && ca.type !== T_INVALID && av === bv) {
    av = getToken(ca);
    bv = getToken(cb);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (ca.type === cb.type) return 0;
  // Equal so far: the longer version is newer unless what follows is a pre-release suffix.
  if (ca.type === T_SUFFIX && getToken({ ...ca }) < 0n) return -1;
  if (cb.type === T_SUFFIX && getToken({ ...cb }) < 0n) return 1;
  if (ca.type > cb.type) return -1;
  if (cb.type > ca.type) return 1;
  return 0;
}

export const apkComparator: VersionComparator = {
  scheme: 'apk',
  compare: compareApk,
  isValid: isValidApkVersion,
};
