/**
 * @module In-memory indexes over the shared key space. AdvisoryIndex holds advisories (prepared:
 * parsed purls, CPEs, names, ranges) by match key, so matching a new SBOM's components looks up
 * only the advisories that share a key. TargetIndex does the reverse for a new or changed advisory:
 * only the components it names are matched (post-market surveillance stays incremental).
 */
import type { Advisory } from '../model.js';
import { prepareAdvisory, type PreparedAdvisory } from './advisory.js';
import { matchPrepared } from './match.js';
import type { Match, MatchTarget } from './model.js';
import { prepareTarget } from './target.js';

let lookups = 0;

export class AdvisoryIndex {
  private readonly byId = new Map<string, PreparedAdvisory>();
  private readonly byKey = new Map<string, PreparedAdvisory[]>();

  /** Add or replace (by id). Withdrawn advisories are removed rather than indexed: they match nothing. */
  add(a: Advisory): void {
    this.remove(a.id);
    const pa = prepareAdvisory(a);
    if (pa.withdrawn) return;
    this.byId.set(a.id, pa);
    for (const k of pa.keys) {
      const list = this.byKey.get(k);
      if (list) list.push(pa);
      else this.byKey.set(k, [pa]);
    }
  }

  remove(id: string): void {
    const pa = this.byId.get(id);
    if (!pa) return;
    this.byId.delete(id);
    for (const k of pa.keys) {
      const list = this.byKey.get(k);
      if (!list) continue;
      const rest = list.filter((x) => x !== pa);
      if (rest.length > 0) this.byKey.set(k, rest);
      else this.byKey.delete(k);
    }
  }

  /** Visit each prepared advisory sharing at least one key with the target, once. */
  forEachCandidate(t: MatchTarget, visit: (pa: PreparedAdvisory) => void): void {
    // a fresh stamp marks visited advisories: no Set or array per lookup on the hot path
    const stamp = ++lookups;
    for (const k of prepareTarget(t).keys) {
      const list = this.byKey.get(k);
      if (!list) continue;
      for (const pa of list) {
        if (pa.stamp === stamp) continue;
        pa.stamp = stamp;
        visit(pa);
      }
    }
  }

  candidates(t: MatchTarget): Advisory[] {
    const out: Advisory[] = [];
    this.forEachCandidate(t, (pa) => out.push(pa.advisory));
    return out;
  }

  get(id: string): Advisory | undefined {
    return this.byId.get(id)?.advisory;
  }

  get size(): number {
    return this.byId.size;
  }
}

/**
 * Every advisory match of one target. "Running on" requirements are decided from t.productCpes
 * (see withProductContext) or, when absent, from the target's own CPEs.
 */
export function matchTarget(index: AdvisoryIndex, t: MatchTarget): Match[] {
  const context = (): readonly string[] => t.productCpes ?? t.cpes;
  const out: Match[] = [];
  index.forEachCandidate(t, (pa) => {
    const m = matchPrepared(pa, t, context);
    if (m) out.push(m);
  });
  return out;
}

/** Targets by match key: the components a new advisory can possibly match. */
export class TargetIndex {
  private readonly byKey = new Map<string, MatchTarget[]>();
  private count = 0;

  add(t: MatchTarget): void {
    this.count++;
    for (const k of prepareTarget(t).keys) {
      const list = this.byKey.get(k);
      if (list) list.push(t);
      else this.byKey.set(k, [t]);
    }
  }

  /** Targets sharing at least one key with the advisory (each once). */
  candidates(a: Advisory): MatchTarget[] {
    const seen = new Set<MatchTarget>();
    for (const k of prepareAdvisory(a).keys) for (const t of this.byKey.get(k) ?? []) seen.add(t);
    return [...seen];
  }

  get size(): number {
    return this.count;
  }
}
