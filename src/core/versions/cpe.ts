/**
 * @module CPE 2.3: formatted-string parsing (NISTIR 7695, with `\` escaping and the `*`/`?`
 * wildcards allowed only at the start or end of a value), binding back to text, attribute-wise
 * name matching with ANY and NA (NISTIR 7696 table 6-2), and NVD match criteria with
 * versionStart/End Including/Excluding turned into typed version ranges.
 */
import { allVersions, constraintsRange, contains, freeTextRange, type Constraint, type Containment, type VersionRange } from './range.js';
import type { SchemeId } from './types.js';

export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'swEdition',
  'targetSw',
  'targetHw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/** One WFN attribute value: ANY (`*`), NA (`-`) or a literal with optional leading/trailing wildcards. */
export type CpeValue =
  | { kind: 'any' }
  | { kind: 'na' }
  | { kind: 'value'; literal: string; prefix: string; suffix: string };

export type Cpe = Record<CpeAttribute, CpeValue>;

export interface CpeError {
  message: string;
  offset: number;
}
export type CpeResult = { ok: true; value: Cpe } | { ok: false; error: CpeError };

export const MAX_CPE_LENGTH = 1024;

const failCpe = (message: string, offset: number): CpeResult => ({ ok: false, error: { message, offset } });

/** Split on ':' not escaped by a backslash; returns the pieces with their start offsets. */
function splitUnescaped(s: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === ':') {
      out.push({ text: s.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ text: s.slice(start), offset: start });
  return out;
}

function unbindValue(text: string, offset: number): { ok: true; value: CpeValue } | { ok: false; error: CpeError } {
  if (text === '*') return { ok: true, value: { kind: 'any' } };
  if (text === '-') return { ok: true, value: { kind: 'na' } };
  if (text === '') return { ok: false, error: { message: 'empty attribute value', offset } };
  let literal = '';
  let prefix = '';
  let suffix = '';
  let i = 0;
  while (i < text.length && (text[i] === '*' || text[i] === '?')) prefix += text[i++];
  if (prefix.includes('*') && prefix.length > 1) return { ok: false, error: { message: 'a "*" wildcard must stand alone', offset } };
  for (; i < text.length; i++) {
    const c = text[i] as string;
    const code = c.charCodeAt(0);
    if (code < 0x21 || code > 0x7e) return { ok: false, error: { message: `character ${JSON.stringify(c)} is not allowed`, offset: offset + i } };
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return { ok: false, error: { message: 'dangling escape "\\"', offset: offset + i } };
      literal += next;
      i++;
    } else if (c === '*' || c === '?') {
      const rest = text.slice(i);
      if (!/^(\*|\?+)$/.test(rest)) {
        return { ok: false, error: { message: `unescaped "${c}" is only allowed at the start or end of a value`, offset: offset + i } };
      }
      suffix = rest;
      break;
    } else {
      literal += c;
    }
  }
  return { ok: true, value: { kind: 'value', literal, prefix, suffix } };
}

/** Parse `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`. */
export function parseCpe23(input: string): CpeResult {
  if (typeof input !== 'string') return failCpe('CPE must be a string', 0);
  if (input.length > MAX_CPE_LENGTH) return failCpe(`CPE longer than ${MAX_CPE_LENGTH} characters`, MAX_CPE_LENGTH);
  const parts = splitUnescaped(input);
  if (parts.length !== 13) return failCpe(`expected 13 ":"-separated components, found ${parts.length}`, 0);
  if (parts[0]?.text.toLowerCase() !== 'cpe' || parts[1]?.text !== '2.3') return failCpe('must start with "cpe:2.3:"', 0);
  const out: Partial<Cpe> = {};
  for (let k = 0; k < CPE_ATTRIBUTES.length; k++) {
    const piece = parts[k + 2] as { text: string; offset: number };
    const r = unbindValue(piece.text, piece.offset);
    if (!r.ok) return { ok: false, error: r.error };
    out[CPE_ATTRIBUTES[k] as CpeAttribute] = r.value;
  }
  const part = out.part as CpeValue;
  if (part.kind === 'value' && (part.prefix || part.suffix || !/^[aoh]$/i.test(part.literal))) {
    return failCpe(`part must be a, o, h, * or -, got "${parts[2]?.text}"`, parts[2]?.offset ?? 0);
  }
  return { ok: true, value: out as Cpe };
}

function bindValue(v: CpeValue): string {
  if (v.kind === 'any') return '*';
  if (v.kind === 'na') return '-';
  return v.prefix + v.literal.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`) + v.suffix;
}

export function formatCpe23(cpe: Cpe): string {
  return `cpe:2.3:${CPE_ATTRIBUTES.map((a) => bindValue(cpe[a])).join(':')}`;
}

export type AttributeRelation = 'superset' | 'subset' | 'equal' | 'disjoint' | 'undefined';

const hasWildcards = (v: CpeValue) => v.kind === 'value' && (v.prefix !== '' || v.suffix !== '');

/**
 * `*` matches any run of characters; each `?` at an end matches zero or one character, as in the
 * NIST reference matcher (leading `?`s allow that many characters before the literal).
 */
function wildcardMatches(pattern: Extract<CpeValue, { kind: 'value' }>, target: string): boolean {
  const lit = pattern.literal.toLowerCase();
  const t = target.toLowerCase();
  const maxBefore = pattern.prefix === '*' ? Infinity : pattern.prefix.length;
  const maxAfter = pattern.suffix === '*' ? Infinity : pattern.suffix.length;
  let i = t.indexOf(lit);
  while (i >= 0 && i <= maxBefore) {
    if (t.length - i - lit.length <= maxAfter) return true;
    const next = t.indexOf(lit, i + 1);
    if (next <= i) break;
    i = next;
  }
  return false;
}

/** Relation of a source (pattern) attribute to a target attribute, per NISTIR 7696 table 6-2. */
export function compareCpeAttribute(source: CpeValue, target: CpeValue): AttributeRelation {
  if (hasWildcards(target)) return 'undefined';
  if (source.kind === 'any') return target.kind === 'any' ? 'equal' : 'superset';
  if (source.kind === 'na') return target.kind === 'any' ? 'subset' : target.kind === 'na' ? 'equal' : 'disjoint';
  if (target.kind === 'any') return 'subset';
  if (target.kind === 'na') return 'disjoint';
  if (hasWildcards(source)) return wildcardMatches(source, target.literal) ? 'superset' : 'disjoint';
  return source.literal.toLowerCase() === target.literal.toLowerCase() ? 'equal' : 'disjoint';
}

/** True when `source` names a superset of (or the same products as) `target`, optionally ignoring some attributes. */
export function cpeMatches(source: Cpe, target: Cpe, ignore: readonly CpeAttribute[] = []): boolean {
  for (const a of CPE_ATTRIBUTES) {
    if (ignore.includes(a)) continue;
    const r = compareCpeAttribute(source[a], target[a]);
    if (r !== 'superset' && r !== 'equal') return false;
  }
  return true;
}

/** The version-bound fields of an NVD `cpeMatch` entry (API 2.0) or CVE 5 / configuration node. */
export interface CpeVersionBounds {
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

/**
 * The version range named by a CPE match criterion: its bounds when present, the criterion's own
 * version when it is a plain literal, all versions for ANY/NA, free text for wildcard versions.
 */
export function cpeMatchToRange(criteria: Cpe, bounds: CpeVersionBounds, scheme: SchemeId = 'generic'): VersionRange {
  const group: Constraint[] = [];
  if (bounds.versionStartIncluding) group.push({ op: '>=', version: bounds.versionStartIncluding });
  if (bounds.versionStartExcluding) group.push({ op: '>', version: bounds.versionStartExcluding });
  if (bounds.versionEndIncluding) group.push({ op: '<=', version: bounds.versionEndIncluding });
  if (bounds.versionEndExcluding) group.push({ op: '<', version: bounds.versionEndExcluding });
  const v = criteria.version;
  if (v.kind === 'value') {
    if (hasWildcards(v)) return freeTextRange(scheme, bindValue(v));
    return constraintsRange(scheme, [[{ op: '=', version: v.literal }, ...group]]);
  }
  return group.length > 0 ? constraintsRange(scheme, [group]) : allVersions(scheme);
}

/**
 * Does a concrete CPE (e.g. a device component's) fall under a match criterion with version bounds?
 * Non-version attributes must match (ANY/NA semantics); the version is then tested against the range.
 */
export function cpeMatchContains(criteria: Cpe, bounds: CpeVersionBounds, target: Cpe, scheme: SchemeId = 'generic'): Containment {
  if (!cpeMatches(criteria, target, ['version'])) return 'no';
  const range = cpeMatchToRange(criteria, bounds, scheme);
  const tv = target.version;
  if (tv.kind !== 'value' || hasWildcards(tv)) return range.kind === 'all' ? 'yes' : 'unknown';
  return contains(range, tv.literal);
}
