/**
 * @module Maven version ordering, a hand-written port of the algorithm of Maven 3.8.7's
 * `org.apache.maven.artifact.versioning.ComparableVersion` (the oracle shipped with Debian's
 * maven package): versions become nested lists of numbers and qualifiers; `-` opens a sub-list,
 * a digit/letter transition opens one too; trailing "null" items (0, "", ga, final, release) are
 * dropped; known qualifiers order alpha < beta < milestone < rc < snapshot < "" < sp < unknown
 * (unknown ones lexically).
 */
import { compareDigitStrings, MAX_VERSION_LENGTH, type Comparison, type VersionComparator } from './types.js';

type Item = { t: 'num'; v: string } | { t: 'str'; v: string } | { t: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function cmpStr(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) {
    if (v === 'a') v = 'alpha';
    else if (v === 'b') v = 'beta';
    else if (v === 'm') v = 'milestone';
  }
  return { t: 'str', v: Object.hasOwn(ALIASES, v) ? (ALIASES[v] as string) : v };
}

function parseItem(isDigit: boolean, buf: string): Item {
  if (isDigit) {
    let k = 0;
    while (k < buf.length - 1 && buf.charCodeAt(k) === 48) k++;
    return { t: 'num', v: buf.slice(k) };
  }
  return stringItem(buf, false);
}

function isNull(item: Item): boolean {
  if (item.t === 'num') return item.v === '0';
  if (item.t === 'str') return comparableQualifier(item.v) === RELEASE_INDEX;
  return item.items.length === 0;
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i] as Item;
    if (isNull(last)) list.splice(i, 1);
    else if (last.t !== 'list') break;
  }
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parse into ComparableVersion's item tree. */
export function parseMavenVersion(version: string): Item {
  const s = version.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const openSubList = () => {
    const next: Item[] = [];
    list.push({ t: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */ || c === 45 /* - */) {
      list.push(i === start ? { t: 'num', v: '0' } : parseItem(isDigit, s.slice(start, i)));
      start = i + 1;
      if (c === 45) openSubList();
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > start) {
        if (list.length > 0) openSubList();
        list.push(stringItem(s.slice(start, i), true));
        start = i;
        openSubList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, s.slice(start, i)));
        start = i;
        openSubList();
      }
      isDigit = false;
    }
  }
  if (s.length > start) {
    if (!isDigit && list.length > 0) openSubList();
    list.push(parseItem(isDigit, s.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop() as Item[]);
  return { t: 'list', items: root };
}

/** item.compareTo(other) where other may be null (a missing item). */
function compareItems(a: Item, b: Item | null): number {
  if (a.t === 'num') {
    if (b === null) return a.v === '0' ? 0 : 1;
    if (b.t === 'num') return compareDigitStrings(a.v, b.v);
    return 1;
  }
  if (a.t === 'str') {
    if (b === null) return cmpStr(comparableQualifier(a.v), RELEASE_INDEX);
    if (b.t === 'str') return cmpStr(comparableQualifier(a.v), comparableQualifier(b.v));
    return -1;
  }
  if (b === null) {
    for (const item of a.items) {
      const r = compareItems(item, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  if (b.t === 'num') return -1;
  if (b.t === 'str') return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i] ?? null;
    const r = b.items[i] ?? null;
    const res = l === null ? (r === null ? 0 : -compareItems(r, null)) : compareItems(l, r);
    if (res !== 0) return res;
  }
  return 0;
}

export function compareMaven(a: string, b: string): Comparison {
  if (a.length > MAX_VERSION_LENGTH || b.length > MAX_VERSION_LENGTH) return 'incomparable';
  const r = compareItems(parseMavenVersion(a), parseMavenVersion(b));
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

export const mavenComparator: VersionComparator = {
  scheme: 'maven',
  compare: compareMaven,
  // ComparableVersion accepts any string; we only refuse blank or oversized ones.
  isValid: (v) => v.trim() !== '' && v.length <= MAX_VERSION_LENGTH,
};
