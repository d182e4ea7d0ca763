/**
 * @module Rolls scored (finding, device) records up per device, product, unit or site: the highest
 * score, how many records fall in each band, how many distinct KEV-listed findings are open, and
 * the findings that contribute most. The output order and every list inside it are fully
 * determined by the data (never by input order), so dashboards and snapshots are stable.
 */
import type { BandCounts, RiskBand, RiskRecord } from './model.js';

export interface RiskRollup {
  key: string;
  maxScore: number;
  maxBand: RiskBand;
  /** records (finding x device) per band */
  bands: BandCounts;
  records: number;
  /** distinct findings */
  findings: number;
  /** distinct devices among the records */
  devices: number;
  /** distinct KEV-listed findings with a score above 0 */
  kevFindings: number;
  /** distinct finding ids, highest score first (ties: id) */
  topFindingIds: string[];
}

export interface RollupOptions {
  /** how many finding ids to list per group (default 5) */
  topN?: number;
  /** group for records whose key is undefined or empty (default '(unassigned)') */
  unassignedKey?: string;
}

export const emptyBandCounts = (): BandCounts => ({ critical: 0, high: 0, medium: 0, low: 0, none: 0 });

const BAND_RANK: Record<RiskBand, number> = { critical: 4, high: 3, medium: 2, low: 1, none: 0 };
export const bandRank = (b: RiskBand): number => BAND_RANK[b];

/** Deterministic total order: score desc, uncapped desc, then the tie-break string asc. */
export const compareByRisk = (a: { score: number; uncapped: number; tie: string }, b: { score: number; uncapped: number; tie: string }): number =>
  b.score - a.score || b.uncapped - a.uncapped || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0);

export function rollupRisk<T extends RiskRecord>(items: readonly T[], keyFn: (item: T) => string | undefined, options: RollupOptions = {}): RiskRollup[] {
  const topN = options.topN ?? 5;
  const unassigned = options.unassignedKey ?? '(unassigned)';
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyFn(item);
    const key = k === undefined || k === '' ? unassigned : k;
    const g = groups.get(key);
    if (g) g.push(item);
    else groups.set(key, [item]);
  }
  const out: RiskRollup[] = [];
  for (const [key, group] of groups) {
    const bands = emptyBandCounts();
    const best = new Map<string, { score: number; uncapped: number }>();
    const devices = new Set<string>();
    const kev = new Set<string>();
    let maxScore = 0;
    let maxBand: RiskBand = 'none';
    for (const r of group) {
      bands[r.score.band]++;
      if (r.score.score > maxScore) maxScore = r.score.score;
      if (BAND_RANK[r.score.band] > BAND_RANK[maxBand]) maxBand = r.score.band;
      if (r.device) devices.add(r.device.id);
      if (r.score.facts.kev && r.score.score > 0) kev.add(r.finding.id);
      const prev = best.get(r.finding.id);
      if (!prev || r.score.score > prev.score || (r.score.score === prev.score && r.score.uncapped > prev.uncapped)) {
        best.set(r.finding.id, { score: r.score.score, uncapped: r.score.uncapped });
      }
    }
    const topFindingIds = [...best]
      .map(([id, s]) => ({ ...s, tie: id }))
      .sort(compareByRisk)
      .slice(0, topN)
      .map((s) => s.tie);
    out.push({ key, maxScore, maxBand, bands, records: group.length, findings: best.size, devices: devices.size, kevFindings: kev.size, topFindingIds });
  }
  return out.sort((a, b) => b.maxScore - a.maxScore || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Ready-made keys for the four rollups the issue names. */
export const ROLLUP_KEYS = {
  device: (r: RiskRecord): string | undefined => r.device?.id,
  product: (r: RiskRecord): string | undefined => r.finding.productId,
  /** unit names repeat across sites ('ICU'), so the key carries the site: 'Main Campus / ICU' */
  unit: (r: RiskRecord): string | undefined => {
    const unit = r.device?.unit;
    if (!unit) return undefined;
    return [r.device?.site, r.device?.building, unit].filter((p): p is string => Boolean(p)).join(' / ');
  },
  site: (r: RiskRecord): string | undefined => r.device?.site,
} as const;

export type RollupBy = keyof typeof ROLLUP_KEYS;
/** The rollups by name, in ROLLUP_KEYS order (the API's and CLI's `by`). */
export const ROLLUP_DIMENSIONS = Object.keys(ROLLUP_KEYS) as RollupBy[];
