/**
 * @module Seeded generators of version-string pairs for the differential tests: tildes, carets,
 * epochs, letters, separators, leading zeros and long digit runs, with most pairs made by small
 * mutations of one version so that the interesting near-equal comparisons are frequent.
 */

/** Small deterministic PRNG (mulberry32) so a failing pair reproduces from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const chance = (r: Rand, p: number) => r() < p;

function number(r: Rand): string {
  const n = pick(r, ['0', '1', '2', '9', '10', '01', '001', '00', '42', '100', '2024', String(Math.floor(r() * 30))]);
  if (chance(r, 0.03)) return '1234567890123456789012';
  return n;
}

function word(r: Rand, words: readonly string[]): string {
  return pick(r, words);
}

/** Build a version from a token alphabet. */
function build(r: Rand, parts: number, tokens: () => string, seps: readonly string[]): string {
  let s = number(r);
  for (let i = 1; i < parts; i++) s += pick(r, seps) + tokens();
  return s;
}

function mutate(r: Rand, v: string, extras: readonly string[]): string {
  const k = Math.floor(r() * 6);
  if (k === 0) return v.replace(/\d+/, (d) => String(Number(d) + (chance(r, 0.5) ? 1 : 0)));
  if (k === 1) return v + pick(r, extras);
  if (k === 2) return v.replace(/(\d)(?!.*\d)/, (d) => `0${d}`);
  if (k === 3) {
    const i = Math.floor(r() * (v.length + 1));
    return v.slice(0, i) + pick(r, extras) + v.slice(i);
  }
  if (k === 4) return v.slice(0, Math.max(1, v.length - 1 - Math.floor(r() * 3)));
  return v;
}

const DPKG_WORDS = ['a', 'b', 'rc', 'beta', 'dfsg', 'ubuntu', 'deb', 'Z', 'git', 'pre'];

function dpkgVersion(r: Rand): string {
  const upstream = build(r, 1 + Math.floor(r() * 4), () => (chance(r, 0.7) ? number(r) : word(r, DPKG_WORDS) + (chance(r, 0.5) ? number(r) : '')), ['.', '.', '+', '~', '.']);
  const epoch = chance(r, 0.2) ? `${pick(r, ['0', '1', '2', '10'])}:` : '';
  const revision = chance(r, 0.5) ? `-${build(r, 1 + Math.floor(r() * 3), () => (chance(r, 0.6) ? number(r) : word(r, DPKG_WORDS)), ['.', '+', '~'])}` : '';
  return epoch + upstream + revision;
}

/** Valid dpkg versions (upstream starts with a digit; `-` only as the revision separator). */
export function dpkgPairs(seed: number, n: number): Array<[string, string]> {
  const r = rng(seed);
  const out: Array<[string, string]> = [];
  while (out.length < n) {
    const a = dpkgVersion(r);
    let b = chance(r, 0.7) ? mutate(r, a, ['~', '~rc1', '+b1', '.0', 'a', '-1', '.1', '~~', '+']) : dpkgVersion(r);
    // Keep b a valid dpkg version: at most one revision dash, no empty parts, digit-led upstream.
    const dash = b.lastIndexOf('-');
    if (dash >= 0) b = b.slice(0, dash).replace(/-/g, '.') + b.slice(dash);
    if (!/^(\d+:)?\d[A-Za-z0-9.+~]*(-[A-Za-z0-9.+~]+)?$/.test(b)) continue;
    out.push([a, b]);
  }
  return out;
}

const RPM_WORDS = ['a', 'b', 'rc', 'beta', 'el8', 'fc39', 'git', 'Z', 'p', 'svn'];

function rpmVersion(r: Rand): string {
  const seps = ['.', '.', '_', '+', '~', '^', '.'];
  const version = build(r, 1 + Math.floor(r() * 4), () => (chance(r, 0.65) ? number(r) : word(r, RPM_WORDS) + (chance(r, 0.5) ? number(r) : '')), seps);
  const epoch = chance(r, 0.15) ? `${pick(r, ['0', '1', '3'])}:` : '';
  const release = chance(r, 0.5) ? `-${build(r, 1 + Math.floor(r() * 3), () => (chance(r, 0.6) ? number(r) : word(r, RPM_WORDS)), ['.', '_', '~', '^'])}` : '';
  return epoch + version + release;
}

/** RPM EVR strings, including separators-only differences, `~` pre-releases and `^` snapshots. */
export function rpmPairs(seed: number, n: number): Array<[string, string]> {
  const r = rng(seed);
  const out: Array<[string, string]> = [];
  while (out.length < n) {
    const a = rpmVersion(r);
    const b = chance(r, 0.7) ? mutate(r, a, ['~', '^', '^git1', '~rc1', '.0', '_1', 'a', '-1', '..', '.']) : rpmVersion(r);
    if (b === '' || /^[:-]/.test(b)) continue;
    out.push([a, b]);
  }
  return out;
}

const MAVEN_WORDS = ['alpha', 'beta', 'milestone', 'rc', 'cr', 'snapshot', 'SNAPSHOT', 'ga', 'final', 'release', 'RELEASE', 'sp', 'a', 'b', 'm', 'foo', 'xyz', 'Final', 'jre', 'android'];

function mavenVersion(r: Rand): string {
  let s = chance(r, 0.95) ? number(r) : word(r, MAVEN_WORDS);
  const parts = Math.floor(r() * 5);
  for (let i = 0; i < parts; i++) {
    const sep = pick(r, ['.', '.', '-', '-', '', '..', '--']);
    const tok = chance(r, 0.55) ? number(r) : word(r, MAVEN_WORDS);
    s += sep + tok;
  }
  return s;
}

/** Maven versions mixing `.`/`-`, digit/letter transitions, qualifiers and their aliases. */
export function mavenVersions(seed: number, n: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  while (out.length < n) {
    const prev = out[out.length - 1];
    const v = prev !== undefined && chance(r, 0.6) ? mutate(r, prev, ['-1', '.0', '-SNAPSHOT', 'rc1', '-ga', '.RELEASE', '-sp1', '-0', 'a1', '.', '-']) : mavenVersion(r);
    if (v === '' || /\s/.test(v)) continue;
    out.push(v);
  }
  return out;
}
