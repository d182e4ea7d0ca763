/**
 * @module Portfolio views over scored (finding, device) records: counts by band, KEV exposure
 * ("N devices exposed to KEV-listed vulnerabilities"), the EPSS distribution and the top risks
 * with their recommended action. Pure functions over arrays; the service loads the records.
 * Records scored 0 (triaged not_affected/fixed, closed) count in the 'none' band and nowhere else.
 */
import { CRITICALITIES, type Criticality } from '../inventory/index.js';
import type { BandCounts, Recommendation, RiskBand, RiskRecord } from './model.js';
import { recommendAction } from './recommend.js';
import { bandRank, compareByRisk, emptyBandCounts } from './rollup.js';

export interface SeverityCounts {
  /** every (finding, device) record */
  records: BandCounts;
  /** distinct findings, each in the band of its highest-scoring record */
  findings: BandCounts;
  /** distinct devices, each in the band of its highest-scoring record */
  devices: BandCounts;
}

export function severityCounts(records: readonly RiskRecord[]): SeverityCounts {
  const out: SeverityCounts = { records: emptyBandCounts(), findings: emptyBandCounts(), devices: emptyBandCounts() };
  const findingBand = new Map<string, RiskBand>();
  const deviceBand = new Map<string, RiskBand>();
  const raise = (m: Map<string, RiskBand>, k: string, b: RiskBand) => {
    const prev = m.get(k);
    if (prev === undefined || bandRank(b) > bandRank(prev)) m.set(k, b);
  };
  for (const r of records) {
    out.records[r.score.band]++;
    raise(findingBand, r.finding.id, r.score.band);
    if (r.device) raise(deviceBand, r.device.id, r.score.band);
  }
  for (const b of findingBand.values()) out.findings[b]++;
  for (const b of deviceBand.values()) out.devices[b]++;
  return out;
}

export interface KevExposure {
  devices: number;
  /** sorted, for drill-down */
  deviceIds: string[];
  findings: number;
  vulnerabilities: number;
  /** distinct exposed devices per criticality ('unknown' when inventory has none) */
  byCriticality: Record<Criticality | 'unknown', number>;
  summary: string;
}

export function kevExposure(records: readonly RiskRecord[]): KevExposure {
  const devices = new Map<string, Criticality | 'unknown'>();
  const findings = new Set<string>();
  const vulns = new Set<string>();
  for (const r of records) {
    if (!r.score.facts.kev || r.score.score <= 0) continue;
    findings.add(r.finding.id);
    vulns.add(r.finding.vulnerabilityId ?? r.finding.id);
    if (r.device) devices.set(r.device.id, r.device.criticality ?? 'unknown');
  }
  const byCriticality = Object.fromEntries([...CRITICALITIES, 'unknown'].map((c) => [c, 0])) as Record<Criticality | 'unknown', number>;
  for (const c of devices.values()) byCriticality[c]++;
  const n = devices.size;
  const parts = [...CRITICALITIES, 'unknown' as const].filter((c) => byCriticality[c] > 0).map((c) => `${byCriticality[c]} ${c}`);
  const summary =
    `${n} device${n === 1 ? '' : 's'} exposed to KEV-listed vulnerabilities` +
    (parts.length > 0 ? ` (${parts.join(', ')})` : '') +
    `; ${vulns.size} KEV vulnerabilit${vulns.size === 1 ? 'y' : 'ies'} in ${findings.size} open finding${findings.size === 1 ? '' : 's'}`;
  return { devices: n, deviceIds: [...devices.keys()].sort(), findings: findings.size, vulnerabilities: vulns.size, byCriticality, summary };
}

export interface EpssBucket {
  label: string;
  /** inclusive lower bound; undefined for the 'no EPSS' bucket */
  min?: number;
  /** exclusive upper bound (the last numeric bucket includes 1) */
  max?: number;
  vulnerabilities: number;
  findings: number;
  devices: number;
}

export interface EpssDistributionOptions {
  /** bucket by EPSS probability (default) or by percentile */
  by?: 'score' | 'percentile';
  /** ascending inner edges in (0, 1); defaults: score [0.01, 0.1, 0.5], percentile [0.5, 0.9, 0.99] */
  edges?: readonly number[];
}

const pct = (n: number): string => `${Number((n * 100).toFixed(2))}%`;

export function epssDistribution(records: readonly RiskRecord[], options: EpssDistributionOptions = {}): EpssBucket[] {
  const by = options.by ?? 'score';
  const edges = [...(options.edges ?? (by === 'score' ? [0.01, 0.1, 0.5] : [0.5, 0.9, 0.99]))];
  if (edges.some((e, i) => !(e > 0 && e < 1) || (i > 0 && e <= edges[i - 1]!))) {
    throw new RangeError(`EPSS bucket edges must ascend strictly inside (0, 1), got [${edges.join(', ')}]`);
  }
  const bounds = [0, ...edges, 1];
  const fmt = by === 'score' ? pct : (n: number) => `p${n}`;
  const sets = bounds.slice(0, -1).map(() => ({ v: new Set<string>(), f: new Set<string>(), d: new Set<string>() }));
  const missing = { v: new Set<string>(), f: new Set<string>(), d: new Set<string>() };
  for (const r of records) {
    if (r.score.score <= 0) continue;
    const value = by === 'score' ? r.score.facts.epssScore : r.score.facts.epssPercentile;
    let s = missing;
    if (value !== undefined && Number.isFinite(value)) {
      const i = edges.findIndex((e) => value < e);
      s = sets[i === -1 ? edges.length : i]!;
    }
    s.v.add(r.finding.vulnerabilityId ?? r.finding.id);
    s.f.add(r.finding.id);
    if (r.device) s.d.add(r.device.id);
  }
  const out: EpssBucket[] = sets.map((s, i) => {
    const min = bounds[i]!;
    const max = bounds[i + 1]!;
    const label = i === 0 ? `< ${fmt(max)}` : i === sets.length - 1 ? `>= ${fmt(min)}` : `${fmt(min)} to < ${fmt(max)}`;
    return { label, min, max, vulnerabilities: s.v.size, findings: s.f.size, devices: s.d.size };
  });
  out.push({ label: 'no EPSS', vulnerabilities: missing.v.size, findings: missing.f.size, devices: missing.d.size });
  return out;
}

export interface TopRisk {
  findingId: string;
  vulnerabilityId?: string;
  productId?: string;
  score: number;
  band: RiskBand;
  uncapped: number;
  kev: boolean;
  knownRansomware: boolean;
  epssPercentile?: number;
  criticality?: Criticality;
  /** devices with this finding scored above 0, sorted */
  deviceIds: string[];
  recommendation: Recommendation;
}

export interface TopRisksOptions {
  /** default 10 */
  limit?: number;
  /** one row per finding (default; devices listed) or per (finding, device) record */
  distinct?: 'finding' | 'record';
}

export function topRisks(records: readonly RiskRecord[], options: TopRisksOptions = {}): TopRisk[] {
  const limit = options.limit ?? 10;
  const perFinding = (options.distinct ?? 'finding') === 'finding';
  const groups = new Map<string, { best: RiskRecord; devices: Set<string> }>();
  for (const r of records) {
    if (r.score.score <= 0) continue;
    const key = perFinding ? r.finding.id : `${r.finding.id}\u0000${r.device?.id ?? ''}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { best: r, devices: new Set(r.device ? [r.device.id] : []) });
      continue;
    }
    if (r.device) g.devices.add(r.device.id);
    const better = compareByRisk(rank(r), rank(g.best)) < 0;
    if (better) g.best = r;
  }
  return [...groups.values()]
    .sort((a, b) => compareByRisk(rank(a.best), rank(b.best)))
    .slice(0, limit)
    .map(({ best, devices }) => {
      const t: TopRisk = {
        findingId: best.finding.id,
        score: best.score.score,
        band: best.score.band,
        uncapped: best.score.uncapped,
        kev: best.score.facts.kev,
        knownRansomware: best.score.facts.knownRansomware,
        deviceIds: [...devices].sort(),
        recommendation: recommendAction({ advisory: best.advisory, finding: best.finding, score: best.score }),
      };
      if (best.finding.vulnerabilityId) t.vulnerabilityId = best.finding.vulnerabilityId;
      if (best.finding.productId) t.productId = best.finding.productId;
      if (best.score.facts.epssPercentile !== undefined) t.epssPercentile = best.score.facts.epssPercentile;
      if (best.device?.criticality) t.criticality = best.device.criticality;
      return t;
    });
}

const rank = (r: RiskRecord) => ({ score: r.score.score, uncapped: r.score.uncapped, tie: `${r.finding.id}\u0000${r.device?.id ?? ''}` });
