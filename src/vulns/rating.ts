/**
 * @module Scoring findings for clinical risk. The score of a finding is the highest over the
 * devices that run its product version (a life-sustaining pump outranks a spare on the shelf);
 * without devices the product alone is scored. KEV and EPSS enrich through the vulnerability's
 * other advisories, so a new KEV entry re-scores the findings it concerns.
 */
import type { RiskScore } from '../risk/index.js';
import type { Finding } from './findings/model.js';
import { mergeIntel, type VulnIntel } from './intel.js';
import type { DeviceContext, DeviceDirectory, DeviceLookup } from './device-directory.js';
import type { Product, StoredAdvisory, VulnStore } from './ports.js';
import type { RematchOutcome } from './rematch.js';

export interface FindingRiskInput {
  finding: Finding;
  intel: VulnIntel;
  product: Product;
  device?: DeviceContext;
}

export interface FindingRisk {
  score: number;
  band: string;
  /** the explanation: factors, inputs, weights, contributions */
  breakdown: RiskScore;
  recommendedAction?: unknown;
}

export type FindingScorer = (input: FindingRiskInput) => FindingRisk;

export interface FindingExplanation {
  finding: Finding;
  intel: VulnIntel;
  /** the score that counts (highest device, or the product alone) */
  risk: FindingRisk;
  deviceId?: string;
  perDevice: Array<{ device: DeviceContext; risk: FindingRisk }>;
}

export class FindingRiskRater {
  constructor(
    private readonly scorer: FindingScorer,
    private readonly devices: DeviceDirectory,
  ) {}

  async intelFor(store: VulnStore, finding: Finding, cache = new Map<string, VulnIntel>(), known?: ReadonlyMap<string, StoredAdvisory>): Promise<VulnIntel> {
    const cacheKey = `${finding.vulnerabilityId}\u0000${finding.advisoryId}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const byId = new Map<string, StoredAdvisory>();
    const own = known?.get(finding.advisoryId) ?? (await store.getAdvisory(finding.advisoryId));
    if (own) byId.set(own.advisory.id, own);
    const names = new Set([finding.vulnerabilityId, ...(own ? [own.advisory.id, ...own.advisory.aliases] : [])]);
    for (const n of names) for (const a of await store.advisoriesForVulnerability(n)) byId.set(a.advisory.id, a);
    const intel = mergeIntel(finding.vulnerabilityId, [...byId.values()].map((s) => s.advisory));
    cache.set(cacheKey, intel);
    return intel;
  }

  async explain(store: VulnStore, finding: Finding, product: Product): Promise<FindingExplanation> {
    const intel = await this.intelFor(store, finding);
    const devices = await this.devices.devicesOf(product);
    const perDevice = devices.map((device) => ({ device, risk: this.scorer({ finding, intel, product, device }) }));
    let best = perDevice[0];
    for (const d of perDevice) if (best && d.risk.score > best.risk.score) best = d;
    if (!best) return { finding, intel, risk: this.scorer({ finding, intel, product }), perDevice };
    return { finding, intel, risk: best.risk, deviceId: best.device.id, perDevice };
  }

  private async score(store: VulnStore, devicesOf: DeviceLookup, f: Finding, product: Product, cache: Map<string, VulnIntel>, known?: ReadonlyMap<string, StoredAdvisory>): Promise<number> {
    return this.best(f, await this.intelFor(store, f, cache, known), product, devicesOf(product)).score;
  }

  /** The highest score over the devices running the product (the product alone when none does). */
  private best(f: Finding, intel: VulnIntel, product: Product, devices: readonly DeviceContext[]): { score: number; device?: DeviceContext } {
    if (devices.length === 0) return { score: this.scorer({ finding: f, intel, product }).score };
    let best: { score: number; device?: DeviceContext } = { score: -1 };
    for (const device of devices) {
      const score = this.scorer({ finding: f, intel, product, device }).score;
      if (score > best.score) best = { score, device };
    }
    return best;
  }

  /**
   * Sets riskScore on the opened and refreshed findings of a re-match (devicesOf: a snapshot taken
   * before the transaction), and records for each opened finding what surveillance needs to decide
   * on an alert. Intelligence for all of them is read in one lookup.
   */
  async scoreOutcome(store: VulnStore, devicesOf: DeviceLookup, outcome: RematchOutcome): Promise<void> {
    const findings = [...outcome.opened, ...outcome.refreshed];
    const cache = await this.prefetchIntel(store, findings, outcome.advisories);
    const opened = new Set(outcome.opened.map((f) => f.id));
    for (const f of findings) {
      const product = outcome.products.get(f.productId);
      if (!product) continue;
      const intel = await this.intelFor(store, f, cache, outcome.advisories);
      const devices = devicesOf(product);
      const best = this.best(f, intel, product, devices);
      f.riskScore = best.score;
      if (opened.has(f.id)) {
        outcome.alertContext.set(f.id, {
          kev: intel.kev !== undefined,
          lifeSustaining: devices.some((d) => d.criticality === 'life-sustaining'),
          ...(best.device ? { deviceId: best.device.id } : {}),
        });
      }
    }
  }

  /** Fills the intel cache for many findings with one alias lookup. */
  private async prefetchIntel(store: VulnStore, findings: readonly Finding[], known: ReadonlyMap<string, StoredAdvisory>): Promise<Map<string, VulnIntel>> {
    const cache = new Map<string, VulnIntel>();
    if (findings.length === 0) return cache;
    const namesOf = (f: Finding): string[] => {
      const own = known.get(f.advisoryId)?.advisory;
      return [...new Set([f.vulnerabilityId, ...(own ? [own.id, ...own.aliases] : [])])];
    };
    const all = new Set<string>();
    for (const f of findings) for (const n of namesOf(f)) all.add(n);
    const byName = new Map<string, StoredAdvisory[]>();
    for (const a of await store.advisoriesForVulnerabilities([...all])) {
      for (const n of new Set([a.advisory.id, a.advisory.sourceId, ...a.advisory.aliases])) {
        if (!all.has(n)) continue;
        const list = byName.get(n);
        if (list) list.push(a);
        else byName.set(n, [a]);
      }
    }
    for (const f of findings) {
      const key = `${f.vulnerabilityId}\u0000${f.advisoryId}`;
      if (cache.has(key)) continue;
      const byId = new Map<string, StoredAdvisory>();
      const own = known.get(f.advisoryId);
      if (!own) continue; // intelFor reads it from the store
      byId.set(own.advisory.id, own);
      for (const n of namesOf(f)) for (const a of byName.get(n) ?? []) byId.set(a.advisory.id, a);
      cache.set(key, mergeIntel(f.vulnerabilityId, [...byId.values()].map((s) => s.advisory)));
    }
    return cache;
  }

  /** Sets the riskScore of findings in place (after triage: not_affected and fixed score 0). */
  async rescore(store: VulnStore, devicesOf: DeviceLookup, findings: Finding[]): Promise<void> {
    const cache = new Map<string, VulnIntel>();
    const products = new Map<string, Product | undefined>();
    for (const f of findings) {
      if (!products.has(f.productId)) products.set(f.productId, await store.getProduct(f.productId));
      const product = products.get(f.productId);
      if (product) f.riskScore = await this.score(store, devicesOf, f, product, cache);
    }
  }

  /** Re-scores every open finding of a product (after its rubric changed). */
  async rescoreProduct(store: VulnStore, devicesOf: DeviceLookup, product: Product): Promise<number> {
    const cache = new Map<string, VulnIntel>();
    const changed: Finding[] = [];
    for (const f of await store.findingsOfProduct(product.id)) {
      const score = await this.score(store, devicesOf, f, product, cache);
      if (score !== f.riskScore) changed.push({ ...f, riskScore: score });
    }
    if (changed.length > 0) await store.updateFindings(changed);
    return changed.length;
  }

  /** Re-scores the open findings of vulnerabilities whose KEV/EPSS data changed; returns those whose score changed. */
  async rescoreVulnerabilities(store: VulnStore, devicesOf: DeviceLookup, vulnerabilityIds: readonly string[]): Promise<Finding[]> {
    const cache = new Map<string, VulnIntel>();
    const products = new Map<string, Product | undefined>();
    const seen = new Set<string>();
    const changed: Finding[] = [];
    for (const id of new Set(vulnerabilityIds)) {
      for (const related of await store.advisoriesForVulnerability(id)) {
        for (const f of await store.findingsOfAdvisory(related.advisory.id)) {
          if (seen.has(f.id)) continue;
          seen.add(f.id);
          if (!products.has(f.productId)) products.set(f.productId, await store.getProduct(f.productId));
          const product = products.get(f.productId);
          if (!product) continue;
          const score = await this.score(store, devicesOf, f, product, cache);
          if (score !== f.riskScore) changed.push({ ...f, riskScore: score });
        }
      }
    }
    if (changed.length > 0) await store.updateFindings(changed);
    return changed;
  }
}
