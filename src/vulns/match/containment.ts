/**
 * @module Is a target's version inside an affected entry? Evaluates every typed range of the entry
 * (plus its explicit version list) with the entry's scheme, and answers yes / no / unknown with
 * the deciding range, how specific the evidence is, and a readable reason. Commit (git) ranges
 * only decide for commit-hash versions; beside a release-number range they are ignored. CSAF
 * first_affected / first_fixed / last_affected on a single version are read as the open ranges the
 * CSAF standard gives them (">= v" and "<= v").
 */
import { compareVersions, evaluate, formatRange, type Containment, type VersionRange } from '../../core/versions/index.js';
import type { AffectedProduct } from '../model.js';

export interface ContainmentResult {
  result: Containment;
  reason: string;
  /** index into entry.ranges of the deciding range, when one decided */
  rangeIndex?: number;
  /** the range text shown as evidence */
  rangeText: string;
  /** 3 exact version, 2 bounded range, 1 all versions / open-ended, 0 undecided */
  specificity: number;
  /** for open-ended CSAF statuses: the bound, to prefer the closest one */
  bound?: string;
}

const COMMIT = /^[0-9a-f]{7,64}$/i;

function specificityOf(range: VersionRange): number {
  if (range.kind === 'all') return 1;
  if (range.kind === 'free-text') return 0;
  return range.groups.every((g) => g.length === 1 && g[0]?.op === '=') ? 3 : 2;
}

function rangeText(e: AffectedProduct, range: VersionRange | undefined): string {
  if (e.versionText !== undefined && e.versionText.trim() !== '') return e.versionText;
  return range ? formatRange(range) : 'no version information';
}

/** Open-ended reading of a CSAF status on one exact version, or undefined when it does not apply. */
function openEnded(e: AffectedProduct): { op: '>=' | '<='; version: string; range: VersionRange } | undefined {
  if (e.status !== 'first_affected' && e.status !== 'first_fixed' && e.status !== 'last_affected') return undefined;
  const only = e.ranges.length === 1 ? e.ranges[0] : undefined;
  if (!only || only.kind !== 'constraints' || only.groups.length !== 1) return undefined;
  const c = only.groups[0]?.[0];
  if (!c || only.groups[0]?.length !== 1 || c.op !== '=') return undefined;
  const op = e.status === 'last_affected' ? '<=' : '>=';
  return { op, version: c.version, range: { kind: 'constraints', scheme: only.scheme, groups: [[{ op, version: c.version }]] } };
}

function listed(e: AffectedProduct, version: string): boolean {
  if (e.versions.length === 0) return false;
  const scheme = e.ranges.find((r) => r.scheme !== 'git')?.scheme ?? 'generic';
  return e.versions.some((v) => v === version || compareVersions(scheme, v, version) === 0);
}

export function containment(e: AffectedProduct, version: string | undefined): ContainmentResult {
  const first = e.ranges[0];
  if (version === undefined) {
    const all = e.ranges.findIndex((r) => r.kind === 'all');
    if (all >= 0) return { result: 'yes', reason: 'the advisory covers all versions', rangeIndex: all, rangeText: rangeText(e, e.ranges[all]), specificity: 1 };
    return { result: 'unknown', reason: 'the component states no version', rangeText: rangeText(e, first), specificity: 0 };
  }
  const open = openEnded(e);
  if (open) {
    const ev = evaluate(open.range, version);
    const reason = `${ev.reason}; CSAF ${e.status} ${open.version} read as ${open.op} ${open.version}`;
    const exact = ev.result === 'yes' && compareVersions(open.range.scheme, version, open.version) === 0;
    return { result: ev.result, reason, rangeIndex: 0, rangeText: rangeText(e, first), specificity: exact ? 3 : 1, bound: open.version };
  }
  if (listed(e, version)) return { result: 'yes', reason: `${version} is listed as an affected version`, rangeText: e.versions.join(', '), specificity: 3 };
  if (e.ranges.length === 0) return { result: 'unknown', reason: 'the advisory gives no version ranges', rangeText: rangeText(e, undefined), specificity: 0 };
  const isCommit = COMMIT.test(version);
  let no: ContainmentResult | undefined;
  let unknown: ContainmentResult | undefined;
  let gitOnly = true;
  for (let i = 0; i < e.ranges.length; i++) {
    const range = e.ranges[i] as VersionRange;
    const git = range.scheme === 'git';
    if (git && !isCommit) continue;
    gitOnly = false;
    const ev = evaluate(range, version);
    const base = { reason: ev.reason, rangeIndex: i, rangeText: rangeText(e, range) };
    if (ev.result === 'yes') return { result: 'yes', ...base, specificity: specificityOf(range) };
    if (ev.result === 'no') no ??= { result: 'no', ...base, specificity: 0 };
    else unknown ??= { result: 'unknown', ...base, specificity: 0 };
  }
  if (gitOnly) return { result: 'unknown', reason: `only commit ranges are given; ${version} is not a commit`, rangeIndex: 0, rangeText: rangeText(e, first), specificity: 0 };
  return unknown ?? no ?? { result: 'unknown', reason: 'no range applies', rangeText: rangeText(e, first), specificity: 0 };
}
