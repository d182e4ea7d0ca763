/**
 * @module OSV affected[].ranges → typed version ranges. Events are ordered by the ecosystem's
 * comparator (introduced "0" first), then swept: an 'introduced' opens an interval, 'fixed'
 * closes it with '<', 'last_affected' with '<='; an interval still open at the end is unbounded.
 * GIT ranges keep commit hashes under the 'git' scheme, which can only decide exact commits.
 */
import {
  allVersions,
  compareVersions,
  constraintsRange,
  schemeForOsvEcosystem,
  type Constraint,
  type SchemeId,
  type VersionRange,
} from '../../../core/versions/index.js';
import type { OsvEvent } from './validate.js';

export interface OsvRangeResult {
  range: VersionRange;
  fixed: string[];
  warnings: string[];
}

/** Scheme for one OSV range: GIT → git; SEMVER → the ecosystem's semver flavour or plain semver; ECOSYSTEM → the ecosystem's. */
export function schemeForOsvRange(type: string, ecosystem: string | undefined): SchemeId | undefined {
  if (type === 'GIT') return 'git';
  const eco = ecosystem ? schemeForOsvEcosystem(ecosystem) : undefined;
  if (type === 'SEMVER') return eco === 'npm' || eco === 'go' || eco === 'cargo' ? eco : 'semver';
  return eco;
}

function sortEvents(scheme: SchemeId, events: OsvEvent[], warnings: string[]): OsvEvent[] {
  if (scheme === 'git') return events;
  let incomparable = false;
  const sorted = [...events].sort((a, b) => {
    if (a.value === '0' && a.kind === 'introduced') return -1;
    if (b.value === '0' && b.kind === 'introduced') return 1;
    const c = compareVersions(scheme, a.value, b.value);
    if (c === 'incomparable') {
      incomparable = true;
      return 0;
    }
    return c;
  });
  if (incomparable) {
    warnings.push(`events could not all be ordered under ${scheme}; kept in document order`);
    return events;
  }
  return sorted;
}

export function osvEventsToRange(scheme: SchemeId, events: OsvEvent[]): OsvRangeResult {
  const warnings: string[] = [];
  const ordered = sortEvents(scheme, events, warnings);
  const groups: Constraint[][] = [];
  const fixed: string[] = [];
  let open: Constraint[] | undefined;
  let unboundedFromStart = false;
  for (const e of ordered) {
    if (e.kind === 'introduced') {
      if (open) continue;
      open = e.value === '0' ? [] : [{ op: '>=', version: e.value }];
    } else if (e.kind === 'fixed' || e.kind === 'last_affected') {
      if (e.kind === 'fixed') fixed.push(e.value);
      if (!open) continue;
      groups.push([...open, { op: e.kind === 'fixed' ? '<' : '<=', version: e.value }]);
      open = undefined;
    }
  }
  if (open) {
    if (open.length === 0) unboundedFromStart = true;
    else groups.push(open);
  }
  const range = unboundedFromStart ? allVersions(scheme) : constraintsRange(scheme, groups);
  return { range, fixed, warnings };
}
