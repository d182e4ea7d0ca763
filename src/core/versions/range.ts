/**
 * @module Typed version ranges and containment. A range is 'all' versions, a disjunction of
 * constraint groups (each group a conjunction such as `>=1.0 & <2.0`), or free text kept verbatim.
 * `contains` answers 'yes' | 'no' | 'unknown' and never guesses: a bound the scheme cannot compare
 * with the tested version makes that group inapplicable, and if no group applies the answer is
 * 'unknown' (so '<= U61 | <= L81' says 'no' for L90 but 'unknown' for 3.0).
 */
import { compareVersions } from './schemes.js';
import type { Comparison, SchemeId } from './types.js';

export type Op = '<' | '<=' | '>' | '>=' | '=' | '!=';
export const OPS: readonly Op[] = ['<', '<=', '>', '>=', '=', '!='];

export interface Constraint {
  op: Op;
  version: string;
}

export type VersionRange =
  | { kind: 'all'; scheme: SchemeId }
  | { kind: 'constraints'; scheme: SchemeId; groups: Constraint[][] }
  | { kind: 'free-text'; scheme: SchemeId; text: string };

export type Containment = 'yes' | 'no' | 'unknown';
export type RangeClassification = 'exact' | 'range' | 'free-text';

export interface RangeEvaluation {
  result: Containment;
  /** Human-readable explanation naming the group and bounds that decided. */
  reason: string;
  /** Index of the deciding group, when one decided. */
  group?: number;
}

export const allVersions = (scheme: SchemeId): VersionRange => ({ kind: 'all', scheme });

export const freeTextRange = (scheme: SchemeId, text: string): VersionRange => ({ kind: 'free-text', scheme, text });

export function exactVersions(scheme: SchemeId, versions: readonly string[]): VersionRange {
  return { kind: 'constraints', scheme, groups: versions.map((version) => [{ op: '=', version }]) };
}

export function constraintsRange(scheme: SchemeId, groups: Constraint[][]): VersionRange {
  return { kind: 'constraints', scheme, groups: groups.filter((g) => g.length > 0) };
}

function satisfies(op: Op, cmp: -1 | 0 | 1): boolean {
  switch (op) {
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
  }
}

export const formatConstraint = (c: Constraint): string => (c.op === '=' ? c.version : `${c.op} ${c.version}`);
export const formatGroup = (g: readonly Constraint[]): string => g.map(formatConstraint).join(' and ');

/** Human-readable form: 'all versions', '>= 1.0 and < 2.0 | = 3.1', or the free text in quotes. */
export function formatRange(range: VersionRange): string {
  if (range.kind === 'all') return 'all versions';
  if (range.kind === 'free-text') return `"${range.text}"`;
  return range.groups.map(formatGroup).join(' | ');
}

type GroupOutcome = 'yes' | 'no' | 'unknown' | 'n/a';

function evaluateGroup(scheme: SchemeId, group: readonly Constraint[], version: string): { outcome: GroupOutcome; failed?: Constraint } {
  let applicable = false;
  let incomparable = false;
  for (const c of group) {
    const cmp: Comparison = compareVersions(scheme, version, c.version);
    if (cmp === 'incomparable') {
      incomparable = true;
      continue;
    }
    applicable = true;
    if (!satisfies(c.op, cmp)) return { outcome: 'no', failed: c };
  }
  if (!incomparable) return { outcome: 'yes' };
  return { outcome: applicable ? 'unknown' : 'n/a' };
}

export function evaluate(range: VersionRange, version: string): RangeEvaluation {
  if (version.trim() === '') return { result: 'unknown', reason: 'no version to test' };
  if (range.kind === 'all') return { result: 'yes', reason: 'range covers all versions' };
  if (range.kind === 'free-text') {
    return { result: 'unknown', reason: `free-text range "${range.text}" cannot be evaluated; needs review` };
  }
  if (range.groups.length === 0) return { result: 'no', reason: 'range is empty (matches no version)' };
  let unknownGroup: number | undefined;
  let noGroup: { index: number; failed: Constraint } | undefined;
  for (let i = 0; i < range.groups.length; i++) {
    const group = range.groups[i] as Constraint[];
    const { outcome, failed } = evaluateGroup(range.scheme, group, version);
    if (outcome === 'yes') {
      return { result: 'yes', reason: `${version} satisfies ${formatGroup(group)} (${range.scheme})`, group: i };
    }
    if (outcome === 'unknown' && unknownGroup === undefined) unknownGroup = i;
    if (outcome === 'no' && failed && noGroup === undefined) noGroup = { index: i, failed };
  }
  if (unknownGroup !== undefined) {
    const g = range.groups[unknownGroup] as Constraint[];
    return {
      result: 'unknown',
      reason: `${version} cannot be ordered against every bound of ${formatGroup(g)} under ${range.scheme}`,
      group: unknownGroup,
    };
  }
  if (noGroup) {
    return {
      result: 'no',
      reason: `${version} does not satisfy ${formatConstraint(noGroup.failed)} nor any other group of ${formatRange(range)} (${range.scheme})`,
      group: noGroup.index,
    };
  }
  return {
    result: 'unknown',
    reason: `${version} is not comparable with any bound of ${formatRange(range)} under ${range.scheme}`,
  };
}

export function contains(range: VersionRange, version: string): Containment {
  return evaluate(range, version).result;
}

/** 'exact' when every group is a single '=' constraint; 'free-text' for free text; otherwise 'range'. */
export function classifyRange(range: VersionRange): RangeClassification {
  if (range.kind === 'free-text') return 'free-text';
  if (range.kind === 'all') return 'range';
  return range.groups.length > 0 && range.groups.every((g) => g.length === 1 && g[0]?.op === '=') ? 'exact' : 'range';
}

/** Classification of several ranges describing one product: the least precise wins. */
export function classifyRanges(ranges: readonly VersionRange[]): RangeClassification {
  const kinds = ranges.map(classifyRange);
  if (kinds.length === 0 || kinds.includes('free-text')) return 'free-text';
  return kinds.includes('range') ? 'range' : 'exact';
}
