/**
 * @module Portfolio risk views over every open finding and the devices running its product:
 * counts by band, KEV exposure, EPSS across the portfolio, top risks with recommended actions, and
 * rollups per device, product, unit and site. Built from (finding x device) risk records, cached
 * briefly and dropped whenever findings change.
 */
import {
  epssDistribution,
  kevExposure,
  rollupRisk,
  ROLLUP_KEYS,
  type RollupBy,
  severityCounts,
  topRisks,
  type EpssBucket,
  type KevExposure,
  type RiskRecord,
  type RiskRollup,
  type SeverityCounts,
  type TopRisk,
} from '../risk/index.js';
import type { DeviceDirectory } from './device-directory.js';
import type { Finding } from './findings/model.js';
import { mergeIntel, type VulnIntel } from './intel.js';
import type { Product, VulnRepository } from './ports.js';
import type { FindingScorer } from './rating.js';
import { riskInputOf } from './risk-input.js';

export { ROLLUP_DIMENSIONS, type RollupBy } from '../risk/index.js';

export interface TimeToAlert {
  /** open findings that raised an alert and know their advisory's publication time */
  alerted: number;
  medianHours?: number;
  p90Hours?: number;
  maxHours?: number;
}

export interface PortfolioView {
  generatedAt: string;
  openFindings: number;
  /** post-market surveillance: time from advisory publication to alert */
  timeToAlert: TimeToAlert;
  severity: SeverityCounts;
  kev: KevExposure;
  epss: EpssBucket[];
  top: TopRisk[];
}

const PAGE = 500;

export class Portfolio {
  private cached: { at: number; records: RiskRecord[]; findings: number; alertDelays: number[] } | undefined;

  constructor(
    private readonly repo: VulnRepository,
    private readonly devices: DeviceDirectory,
    private readonly scorer: FindingScorer,
    private readonly nowMs: () => number,
    private readonly ttlMs = 30_000,
  ) {}

  invalidate(): void {
    this.cached = undefined;
  }

  async records(): Promise<{ records: RiskRecord[]; findings: number; alertDelays: number[] }> {
    if (this.cached && this.nowMs() - this.cached.at < this.ttlMs) return this.cached;
    const devicesOf = await this.devices.snapshot();
    const products = new Map<string, Product | undefined>();
    const intel = new Map<string, VulnIntel>();
    const records: RiskRecord[] = [];
    const alertDelays: number[] = [];
    let count = 0;
    let cursor: { sortValue: number; id: string } | undefined;
    for (;;) {
      const page: Finding[] = await this.repo.listFindings({ status: 'open' }, 'risk', cursor, PAGE);
      for (const f of page) {
        count++;
        if (f.alertedAt && f.advisoryPublished) {
          const ms = Date.parse(f.alertedAt) - Date.parse(f.advisoryPublished);
          if (Number.isFinite(ms)) alertDelays.push(Math.max(0, ms) / 3_600_000);
        }
        if (!products.has(f.productId)) products.set(f.productId, await this.repo.getProduct(f.productId));
        const product = products.get(f.productId);
        if (!product) continue;
        let vi = intel.get(f.vulnerabilityId);
        if (!vi) {
          vi = mergeIntel(f.vulnerabilityId, (await this.repo.advisoriesForVulnerability(f.vulnerabilityId)).map((a) => a.advisory));
          intel.set(f.vulnerabilityId, vi);
        }
        const devices = devicesOf(product);
        for (const device of devices.length === 0 ? [undefined] : devices) {
          const input = { finding: f, intel: vi, product, ...(device ? { device } : {}) };
          const { risk, finding, advisory } = riskInputOf(input);
          records.push({ finding, advisory, score: this.scorer(input).breakdown, ...(risk.device ? { device: risk.device } : {}) });
        }
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      cursor = { sortValue: last.riskScore, id: last.id };
    }
    this.cached = { at: this.nowMs(), records, findings: count, alertDelays: alertDelays.sort((a, b) => a - b) };
    return this.cached;
  }

  async view(topLimit = 10): Promise<PortfolioView> {
    const { records, findings, alertDelays } = await this.records();
    return {
      generatedAt: new Date(this.nowMs()).toISOString(),
      openFindings: findings,
      timeToAlert: timeToAlert(alertDelays),
      severity: severityCounts(records),
      kev: kevExposure(records),
      epss: epssDistribution(records),
      top: topRisks(records, { limit: topLimit }),
    };
  }

  async rollup(by: RollupBy, limit = 100): Promise<RiskRollup[]> {
    const { records } = await this.records();
    return rollupRisk(records, ROLLUP_KEYS[by]).slice(0, limit);
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Percentiles of sorted delays in hours (nearest rank). */
export function timeToAlert(sortedHours: readonly number[]): TimeToAlert {
  if (sortedHours.length === 0) return { alerted: 0 };
  const at = (p: number) => sortedHours[Math.min(sortedHours.length - 1, Math.ceil(p * sortedHours.length) - 1)]!;
  return { alerted: sortedHours.length, medianHours: round1(at(0.5)), p90Hours: round1(at(0.9)), maxHours: round1(sortedHours[sortedHours.length - 1]!) };
}
