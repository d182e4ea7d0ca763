/**
 * @module CVE JSON 5 `affected[].versions[]` → typed ranges. Handles `lessThan` / `lessThanOrEqual`
 * (with '*' and 'X.Y.*' wildcards), `version: "0"` as no lower bound, 'unspecified' bounds, status
 * `changes`, free-text versions as written by some CNAs ('>= 2.0.0, < 2.0.7', '4.x', 'n/a'), and
 * `defaultStatus: affected` records that list unaffected ranges (affected = their complement).
 */
import {
  allVersions,
  comparatorFor,
  constraintsRange,
  contains,
  freeTextRange,
  parseFreeTextVersion,
  type SchemeId,
  type VersionRange,
} from '../../../core/versions/index.js';
import { complement, intervalToGroup, type Bound, type Interval } from './intervals.js';

export interface Cve5Version {
  version?: string;
  status?: string;
  lessThan?: string;
  lessThanOrEqual?: string;
  versionType?: string;
  changes?: Array<{ at?: string; status?: string }>;
}

export interface StatusRanges {
  affected: VersionRange[];
  unaffected: VersionRange[];
  /** Exact affected versions (entries without bounds). */
  exact: string[];
  fixed: string[];
  freeText: string[];
  notes: string[];
  /** Lowest confidence among the readings. */
  confidence: number;
}

const isPoint = (i: Interval) => !!i.lower && !!i.upper && i.lower.inclusive && i.upper.inclusive && i.lower.version === i.upper.version;
const UNBOUNDED = new Set(['*', '', 'unspecified', 'n/a']);
const isOperatorText = (v: string) => /[<>=]|,|\bx\b|\.x$|\*|\s/i.test(v);

/** 'X.Y.*' → '< X.(Y+1)'; '*' → unbounded; otherwise the literal bound. */
function upperBound(v: string, inclusive: boolean): Bound | undefined | null {
  if (UNBOUNDED.has(v.trim().toLowerCase())) return undefined;
  const wild = /^(\d+(?:\.\d+)*)\.\*$/.exec(v.trim());
  if (wild) {
    const parts = (wild[1] as string).split('.');
    const last = parts.length - 1;
    parts[last] = String(Number(parts[last]) + 1);
    return { version: parts.join('.'), inclusive: false };
  }
  if (/[*<>=\s]/.test(v)) return null;
  return { version: v.trim(), inclusive };
}

function lowerBound(v: string | undefined): Bound | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '0' || UNBOUNDED.has(t.toLowerCase())) return undefined;
  return { version: t, inclusive: true };
}

/** Intervals of one entry, splitting on `changes` (status switches at given versions). */
function entryIntervals(e: Cve5Version, upper: Bound | undefined): Array<{ interval: Interval; status: string }> {
  const status = (e.status ?? 'affected').toLowerCase();
  const changes = (e.changes ?? []).filter((c) => typeof c.at === 'string' && typeof c.status === 'string');
  const out: Array<{ interval: Interval; status: string }> = [];
  let start = lowerBound(e.version);
  let current = status;
  for (const c of changes) {
    const at: Bound = { version: (c.at as string).trim(), inclusive: false };
    out.push({ interval: { ...(start ? { lower: start } : {}), upper: at }, status: current });
    start = { version: at.version, inclusive: true };
    current = (c.status as string).toLowerCase();
  }
  out.push({ interval: { ...(start ? { lower: start } : {}), ...(upper ? { upper } : {}) }, status: current });
  return out;
}

/**
 * The record is untrusted JSON: a field of the wrong type (a CNA writing `"version": 0`) is treated
 * as absent, with a note, instead of reaching string code.
 */
function sanitizeEntry(raw: unknown, notes: string[]): Cve5Version | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    notes.push('versions entry is not an object; ignored');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const out: Cve5Version = {};
  for (const key of ['version', 'status', 'lessThan', 'lessThanOrEqual', 'versionType'] as const) {
    const v = r[key];
    if (v === undefined) continue;
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) {
      out[key] = String(v);
      notes.push(`versions entry ${key} is a number (${v}); read as "${String(v)}"`);
    } else notes.push(`versions entry ${key} is not a string; ignored`);
  }
  if (Array.isArray(r.changes)) {
    out.changes = r.changes.filter((c): c is { at?: string; status?: string } => !!c && typeof c === 'object' && !Array.isArray(c));
  }
  return out;
}

export function readCve5Versions(rawEntries: readonly unknown[], scheme: SchemeId, defaultStatus: string | undefined): StatusRanges {
  const res: StatusRanges = { affected: [], unaffected: [], exact: [], fixed: [], freeText: [], notes: [], confidence: 1 };
  const entries = rawEntries.map((e) => sanitizeEntry(e, res.notes)).filter((e): e is Cve5Version => e !== undefined);
  const affectedIntervals: Interval[] = [];
  const unaffectedIntervals: Interval[] = [];
  const comparator = comparatorFor(scheme);
  for (const e of entries) {
    const version = typeof e.version === 'string' ? e.version : '';
    const status = (e.status ?? 'affected').toLowerCase();
    const boundText = e.lessThan ?? e.lessThanOrEqual;
    if (boundText === undefined) {
      // No bounds: one version, or free text some CNAs put in `version` ('n/a', '>= 2.0.0, < 2.0.7').
      if (UNBOUNDED.has(version.trim().toLowerCase())) {
        res.freeText.push(version);
        res.notes.push(`version "${version}" names no version`);
        res.confidence = Math.min(res.confidence, 0.2);
        (status === 'unaffected' ? res.unaffected : res.affected).push(freeTextRange(scheme, version));
      } else if (isOperatorText(version) || !comparator.isValid(version)) {
        const ft = parseFreeTextVersion(version, scheme);
        res.confidence = Math.min(res.confidence, ft.confidence);
        if (ft.classification === 'free-text') res.freeText.push(version);
        (status === 'unaffected' ? res.unaffected : res.affected).push(ft.range);
        res.notes.push(...ft.notes);
      } else if (status === 'unaffected') {
        unaffectedIntervals.push({ lower: { version, inclusive: true }, upper: { version, inclusive: true } });
      } else if (status === 'affected') {
        res.exact.push(version);
        affectedIntervals.push({ lower: { version, inclusive: true }, upper: { version, inclusive: true } });
      }
      continue;
    }
    const upper = upperBound(boundText, e.lessThanOrEqual !== undefined && e.lessThan === undefined);
    if (upper === null) {
      res.notes.push(`unusable upper bound "${boundText}"; range left open`);
      res.confidence = Math.min(res.confidence, 0.6);
    }
    if (boundText.trim().toLowerCase() === 'unspecified' || version.trim().toLowerCase() === 'unspecified') {
      // CNAs write one range as two half-open pieces with 'unspecified' ends; their union is wider than meant.
      res.notes.push('"unspecified" bound: range left open on that side');
      res.confidence = Math.min(res.confidence, 0.6);
    }
    for (const { interval, status: s } of entryIntervals(e, upper ?? undefined)) {
      if (s === 'affected') {
        affectedIntervals.push(interval);
        if (interval.upper && !interval.upper.inclusive) res.fixed.push(interval.upper.version);
      } else if (s === 'unaffected') unaffectedIntervals.push(interval);
    }
  }
  const def = (defaultStatus ?? 'unaffected').toLowerCase();
  if (def === 'affected') {
    const gaps = complement(scheme, unaffectedIntervals);
    if (gaps) {
      res.notes.push('defaultStatus "affected": affected ranges are the complement of the listed unaffected ranges');
      affectedIntervals.push(...gaps);
    } else {
      res.notes.push('defaultStatus "affected" with unaffected ranges that cannot be ordered: all versions marked affected for review');
      res.affected.push(allVersions(scheme));
      res.confidence = Math.min(res.confidence, 0.5);
    }
  }
  // A listed version that another affected interval already covers adds nothing ('6.12' beside '>= 6.12 < 6.12.10').
  const spans = affectedIntervals.filter((i) => !isPoint(i));
  const kept = affectedIntervals.filter((i) => !isPoint(i) || !spans.some((s) => contains(constraintsRange(scheme, [intervalToGroup(s)]), (i.lower as Bound).version) === 'yes'));
  affectedIntervals.splice(0, affectedIntervals.length, ...kept);
  res.exact = res.exact.filter((v) => kept.some((i) => isPoint(i) && i.lower?.version === v));
  if (affectedIntervals.length > 0) {
    const unbounded = affectedIntervals.some((i) => !i.lower && !i.upper);
    res.affected.push(unbounded ? allVersions(scheme) : constraintsRange(scheme, affectedIntervals.map(intervalToGroup)));
  }
  if (unaffectedIntervals.length > 0) res.unaffected.push(constraintsRange(scheme, unaffectedIntervals.map(intervalToGroup)));
  return res;
}
