/**
 * @module The purl `vers` version-range specifier (package-url VERSION-RANGE-SPEC):
 * `vers:<scheme>/<constraint>|<constraint>|...`. Parsing never throws; it returns a typed error
 * with the character offset. Validation follows the spec: unique versions, a lone `*`, and after
 * sorting, lower and upper bounds that alternate. Conversion to a typed VersionRange pairs each
 * lower bound with the following upper bound into one group, as the spec's containment procedure does.
 */
import { constraintsRange, allVersions, type Constraint, type Op, type VersionRange } from './range.js';
import { compareVersions, schemeForPurlType } from './schemes.js';
import type { SchemeId } from './types.js';

export const MAX_VERS_LENGTH = 4096;

export interface ParsedVers {
  /** The versioning scheme exactly as written (lowercase), e.g. 'npm', 'deb', 'tomee'. */
  versScheme: string;
  /** Our comparator for it, when we have one. */
  scheme: SchemeId | undefined;
  /** '*' for all versions; otherwise constraints sorted by version when the scheme is known. */
  constraints: '*' | Constraint[];
}

export interface VersError {
  message: string;
  /** Character offset in the input where the problem was found. */
  offset: number;
}

export type VersResult = { ok: true; value: ParsedVers } | { ok: false; error: VersError };

const fail = (message: string, offset: number): VersResult => ({ ok: false, error: { message, offset } });

const PREFIXES: Array<[string, Op]> = [
  ['>=', '>='],
  ['<=', '<='],
  ['!=', '!='],
  ['<', '<'],
  ['>', '>'],
  ['=', '='],
];

function splitConstraint(raw: string): { op: Op; version: string } {
  for (const [p, op] of PREFIXES) if (raw.startsWith(p)) return { op, version: raw.slice(p.length) };
  return { op: '=', version: raw };
}

const isLower = (op: Op) => op === '>' || op === '>=';
const isUpper = (op: Op) => op === '<' || op === '<=';

export function parseVers(input: string): VersResult {
  if (typeof input !== 'string') return fail('vers must be a string', 0);
  if (input.length > MAX_VERS_LENGTH) return fail(`vers longer than ${MAX_VERS_LENGTH} characters`, MAX_VERS_LENGTH);
  const s = input.replace(/[ \t]/g, '');
  const colon = s.indexOf(':');
  if (colon < 0) return fail('missing "vers:" URI scheme', 0);
  if (s.slice(0, colon) !== 'vers') return fail(`URI scheme must be "vers", got "${s.slice(0, colon)}"`, 0);
  const rest = s.slice(colon + 1);
  const slash = rest.indexOf('/');
  if (slash < 0) return fail('missing "/" after the versioning scheme', colon + 1);
  const versScheme = rest.slice(0, slash);
  if (!/^[a-z0-9][a-z0-9.+-]*$/.test(versScheme)) {
    return fail(`versioning scheme "${versScheme}" must be non-empty lowercase letters, digits or . + -`, colon + 1);
  }
  const body = rest.slice(slash + 1);
  const bodyOffset = colon + 1 + slash + 1;
  if (body.replace(/\|/g, '') === '') return fail('no version constraints', bodyOffset);
  const scheme = versScheme === 'all' ? 'generic' : schemeForPurlType(versScheme);
  if (body === '*') return { ok: true, value: { versScheme, scheme, constraints: '*' } };
  if (versScheme === 'all' || versScheme === 'none') return fail(`"vers:${versScheme}" only allows "*"`, bodyOffset);

  const constraints: Constraint[] = [];
  let offset = bodyOffset;
  for (const raw of body.split('|')) {
    if (raw === '') {
      offset += 1;
      continue;
    }
    if (raw.includes('*')) return fail('"*" must be used alone', offset + raw.indexOf('*'));
    const { op, version: quoted } = splitConstraint(raw);
    if (quoted === '') return fail(`constraint "${raw}" has no version`, offset);
    if (/[<>=!]/.test(quoted)) return fail(`version "${quoted}" contains a comparator character; quote it with %`, offset);
    let version: string;
    try {
      version = decodeURIComponent(quoted);
    } catch {
      return fail(`version "${quoted}" has invalid percent-encoding`, offset);
    }
    constraints.push({ op, version });
    offset += raw.length + 1;
  }
  if (scheme === undefined) {
    const seen = new Set<string>();
    for (const c of constraints) {
      if (seen.has(c.version)) return fail(`version "${c.version}" occurs more than once`, bodyOffset);
      seen.add(c.version);
    }
    return { ok: true, value: { versScheme, scheme, constraints } };
  }
  return validateSorted(versScheme, scheme, constraints, bodyOffset);
}

function validateSorted(versScheme: string, scheme: SchemeId, constraints: Constraint[], offset: number): VersResult {
  let incomparable: string | undefined;
  const sorted = [...constraints].sort((a, b) => {
    const r = compareVersions(scheme, a.version, b.version);
    if (r === 'incomparable') {
      incomparable ??= `versions "${a.version}" and "${b.version}" cannot be ordered under ${versScheme}`;
      return 0;
    }
    return r;
  });
  if (incomparable) return fail(incomparable, offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as Constraint;
    const cur = sorted[i] as Constraint;
    if (compareVersions(scheme, prev.version, cur.version) === 0) {
      return fail(`version "${cur.version}" occurs more than once (as "${prev.version}")`, offset);
    }
  }
  const bounds = sorted.filter((c) => c.op !== '=' && c.op !== '!=');
  for (let i = 1; i < bounds.length; i++) {
    const prev = bounds[i - 1] as Constraint;
    const cur = bounds[i] as Constraint;
    if (isLower(prev.op) === isLower(cur.op)) {
      return fail(`"${prev.op}${prev.version}" followed by "${cur.op}${cur.version}": bounds must alternate between lower and upper`, offset);
    }
  }
  return { ok: true, value: { versScheme, scheme, constraints: sorted } };
}

/** Turn parsed vers into a typed range; unknown schemes fall back to the generic comparator. */
export function versToRange(parsed: ParsedVers): VersionRange {
  const scheme: SchemeId = parsed.scheme ?? 'generic';
  if (parsed.constraints === '*') {
    return parsed.versScheme === 'none' ? constraintsRange(scheme, []) : allVersions(scheme);
  }
  const cs = parsed.constraints;
  const excluded = cs.filter((c) => c.op === '!=');
  const groups: Constraint[][] = cs.filter((c) => c.op === '=').map((c) => [c]);
  const bounds = cs.filter((c) => c.op !== '=' && c.op !== '!=');
  for (let i = 0; i < bounds.length; i++) {
    const cur = bounds[i] as Constraint;
    const next = bounds[i + 1];
    if (isLower(cur.op) && next && isUpper(next.op)) {
      groups.push([cur, next, ...excluded]);
      i++;
    } else {
      groups.push([cur, ...excluded]);
    }
  }
  if (groups.length === 0 && excluded.length > 0) groups.push(excluded);
  return constraintsRange(scheme, groups);
}

const quote = (v: string) => v.replace(/[%|<>=!* \t]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Canonical text: constraints sorted by version (when orderable) and versions %-quoted. */
export function formatVers(versScheme: string, constraints: '*' | readonly Constraint[]): string {
  if (constraints === '*') return `vers:${versScheme}/*`;
  const scheme = schemeForPurlType(versScheme);
  const sorted = [...constraints];
  if (scheme) {
    sorted.sort((a, b) => {
      const r = compareVersions(scheme, a.version, b.version);
      return r === 'incomparable' ? 0 : r;
    });
  }
  return `vers:${versScheme}/${sorted.map((c) => (c.op === '=' ? quote(c.version) : `${c.op}${quote(c.version)}`)).join('|')}`;
}
