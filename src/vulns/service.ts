/**
 * @module Vulnerability intelligence use cases: products, SBOM import, advisory ingest with
 * post-market surveillance, full re-match, findings and triage. Every change is one store
 * transaction with its audit entry; alerts are raised after commit (the alert service has its own
 * transaction), and the finding remembers the alert and when it was raised.
 */
import { createHash } from 'node:crypto';
import type { AuditRecorder } from '../audit/index.js';
import { canonicalJson, DomainError, newId, notFound, type Actor, type Clock, type Logger } from '../core/index.js';
import { parseSbom, type Sbom } from '../sbom/index.js';
import type { Finding } from './findings/model.js';
import { componentKey, matchKeysOfAdvisory, matchKeysOfTarget, PRODUCT_SELF_REF, productTarget, targetOfComponent } from './match/index.js';
import type { Advisory } from './model.js';
import type { Product, RubricAnswers, StoredAdvisory, StoredComponent, StoredSbom, VulnRepository, VulnStore } from './ports.js';
import { assertValidRubricAnswers } from '../risk/index.js';
import { buildProduct, productKeys, type ProductInput } from './products.js';
import { applyReconcile, computeAdvisoryRematch, computeRematch, computeRematchWithIndex, loadAdvisoryIndex, type RematchOutcome } from './rematch.js';
import { isEnrichmentOnly } from './intel.js';
import { toStoredForm, vulnerabilityOfStored } from './record-keys.js';
import { FindingRiskRater, type FindingScorer } from './rating.js';
import { Surveillance, type AlertRaiser, type SurveillancePolicy } from './surveillance.js';
import type { DeviceDirectory, DeviceLookup } from './device-directory.js';

export interface VulnServiceDeps {
  repo: VulnRepository;
  audit: AuditRecorder;
  alerts: AlertRaiser;
  devices: DeviceDirectory;
  scorer: FindingScorer;
  clock: Clock;
  policy?: Partial<SurveillancePolicy>;
  logger?: Logger;
  /** called after any change to findings (drops cached portfolio views) */
  onChange?: () => void;
}

export interface SbomImportOptions {
  file?: string;
  productId?: string;
  product?: ProductInput;
}

export interface ReconcileCounts {
  opened: number;
  refreshed: number;
  closed: number;
  alerts: number;
}

export interface SbomImportResult extends ReconcileCounts {
  sbom: StoredSbom;
  product: Product;
  /** false when the same document was already imported for this product (nothing changed) */
  created: boolean;
  flagged: Record<string, number>;
}

export interface AdvisoryIngestResult extends ReconcileCounts {
  inserted: number;
  changed: number;
  unchanged: number;
  productsRematched: number;
  findingsRescored: number;
}

const INGEST_CHUNK = 500;

export const advisoryContentHash = (a: Advisory): string => createHash('sha256').update(canonicalJson({ ...a, provenance: undefined })).digest('hex');

export class VulnService {
  private readonly rater: FindingRiskRater;
  private readonly surveillance: Surveillance;

  constructor(private readonly deps: VulnServiceDeps) {
    this.rater = new FindingRiskRater(deps.scorer, deps.devices);
    this.surveillance = new Surveillance(deps.alerts, deps.policy, deps.logger);
    this.surveillance.useContext(async (f) => {
      const product = await deps.repo.getProduct(f.productId);
      if (!product) return { kev: false, lifeSustaining: false };
      const explained = await this.rater.explain(deps.repo, f, product);
      return {
        kev: explained.intel.kev !== undefined,
        lifeSustaining: explained.perDevice.some((d) => d.device.criticality === 'life-sustaining'),
        ...(explained.deviceId ? { deviceId: explained.deviceId } : {}),
      };
    });
  }

  /** The rater, for the read side (finding detail, risk views). */
  get risk(): FindingRiskRater {
    return this.rater;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  // ---- products ----

  async createProduct(input: ProductInput, actor: Actor): Promise<Product> {
    const now = this.now();
    return this.deps.repo.transaction(async (store, executor) => {
      const keys = productKeys(input);
      const before = await store.findProduct(keys.normalizedVendor, keys.normalizedProduct, keys.version);
      const p = await store.upsertProduct({ ...buildProduct(input, before?.origin ?? 'api', before?.id ?? newId('prd'), now), createdAt: before?.createdAt ?? now });
      await this.ensureSelfComponent(store, p);
      await this.deps.audit.record({ actor, action: before ? 'product.update' : 'product.create', targetType: 'product', targetId: p.id, ...(before ? { before } : {}), after: p }, executor);
      return p;
    });
  }

  async getProduct(id: string): Promise<Product> {
    const p = await this.deps.repo.getProduct(id);
    if (!p) throw notFound('product', id);
    return p;
  }

  /** Store (or clear) a product's MITRE rubric answers and re-score its open findings. */
  async setRubric(productId: string, rubric: RubricAnswers | undefined, actor: Actor): Promise<Product> {
    if (rubric !== undefined) assertValidRubricAnswers(rubric);
    const now = this.now();
    const devicesOf = await this.deps.devices.snapshot();
    const p = await this.deps.repo.transaction(async (store, executor) => {
      const before = await store.getProduct(productId);
      if (!before) throw notFound('product', productId);
      await store.setRubric(productId, rubric, now);
      const after = (await store.getProduct(productId))!;
      await this.rater.rescoreProduct(store, devicesOf, after);
      await this.deps.audit.record({ actor, action: 'product.rubric', targetType: 'product', targetId: productId, before: before.rubric ?? null, after: rubric ?? null }, executor);
      return after;
    });
    this.deps.onChange?.();
    return p;
  }

  private async ensureSelfComponent(store: VulnStore, p: Product): Promise<void> {
    const t = productTarget(p);
    const c: StoredComponent = {
      id: `${p.id}${PRODUCT_SELF_REF}`,
      productId: p.id,
      ref: PRODUCT_SELF_REF,
      name: p.name,
      ...(p.version ? { version: p.version } : {}),
      ...(p.purl ? { purl: p.purl } : {}),
      cpes: p.cpe ? [p.cpe] : [],
      supplier: p.manufacturer,
      type: 'firmware',
      hashes: [],
      licenses: [],
      properties: [],
      flags: p.version ? [] : ['empty-version'],
      componentKey: t.componentKey,
      keys: matchKeysOfTarget(t),
    };
    await store.putProductComponent(c);
  }

  /**
   * Every distinct (manufacturer, model, firmware) in the inventory becomes a product version, so
   * vendor advisories (CSAF product trees, CPEs) match devices that have no SBOM.
   */
  async syncProductsFromInventory(actor: Actor): Promise<{ products: number; created: number } & ReconcileCounts> {
    this.deps.devices.invalidate();
    const groups = await this.deps.devices.all();
    const created: string[] = [];
    const now = this.now();
    await this.deps.repo.transaction(async (store, executor) => {
      for (const devices of groups.values()) {
        const d = devices[0];
        if (!d) continue;
        const input: ProductInput = { manufacturer: d.manufacturer, name: d.model, version: d.version };
        const keys = productKeys(input);
        if (await store.findProduct(keys.normalizedVendor, keys.normalizedProduct, keys.version)) continue;
        const p = await store.upsertProduct(buildProduct(input, 'inventory', newId('prd'), now));
        await this.ensureSelfComponent(store, p);
        created.push(p.id);
      }
      if (created.length > 0) await this.deps.audit.record({ actor, action: 'products.sync', targetType: 'product', details: { created: created.length, groups: groups.size } }, executor);
    });
    const total = { opened: 0, refreshed: 0, closed: 0, alerts: 0 };
    const devicesOf = await this.deps.devices.snapshot();
    for (const id of created) {
      await this.rematchProduct((store, now) => computeRematch(store, { productIds: [id] }, { newId: () => newId('fnd'), now }), devicesOf, total);
    }
    this.deps.onChange?.();
    return { products: groups.size, created: created.length, ...total };
  }

  // ---- SBOMs ----

  async importSbom(text: string, options: SbomImportOptions, actor: Actor): Promise<SbomImportResult> {
    const sbom = parseSbom(text, options.file === undefined ? {} : { file: options.file });
    const now = this.now();
    const devicesOf = await this.deps.devices.snapshot();
    const { product, sbomRow, created, outcome } = await this.deps.repo.transaction(async (store, executor) => {
      const product = await this.resolveSbomProduct(store, sbom, options, now);
      const previous = await store.latestSbom(product.id);
      if (previous && previous.sha256 === sbom.sha256) return { product, sbomRow: previous, created: false, outcome: undefined };
      const sbomRow: StoredSbom = {
        id: newId('sbm'),
        productId: product.id,
        format: sbom.format,
        specVersion: sbom.specVersion,
        ...(sbom.serialNumber ? { serialNumber: sbom.serialNumber } : {}),
        ...(sbom.name ? { name: sbom.name } : {}),
        ...(sbom.created ? { created: sbom.created } : {}),
        parser: sbom.parser,
        sha256: sbom.sha256,
        componentCount: sbom.components.length,
        importedAt: now,
        importedBy: actor.name,
      };
      await store.insertSbom(sbomRow, storedComponents(sbomRow, sbom));
      const outcome = await this.rematchAndApply(store, devicesOf, { productIds: [product.id] }, now);
      await this.deps.audit.record(
        {
          actor,
          action: 'sbom.import',
          targetType: 'product',
          targetId: product.id,
          after: { sbomId: sbomRow.id, sha256: sbom.sha256, format: `${sbom.format} ${sbom.specVersion}`, components: sbom.components.length },
          details: { file: options.file ?? null, opened: outcome.opened.length, closed: outcome.closed.length, previousSbom: previous?.id ?? null },
        },
        executor,
      );
      return { product, sbomRow, created: true, outcome };
    });
    this.deps.onChange?.();
    const alerts = outcome ? await this.surveillance.alertNewFindings(this.deps.repo, outcome, this.now()) : 0;
    const flagged: Record<string, number> = {};
    for (const c of sbom.components) for (const f of c.flags) flagged[f] = (flagged[f] ?? 0) + 1;
    return { sbom: sbomRow, product, created, flagged, ...counts(outcome, alerts) };
  }

  private async resolveSbomProduct(store: VulnStore, sbom: Sbom, options: SbomImportOptions, now: string): Promise<Product> {
    if (options.productId) {
      const p = await store.getProduct(options.productId);
      if (!p) throw notFound('product', options.productId);
      return p;
    }
    const meta = sbom.metadataComponent;
    const input: ProductInput | undefined =
      options.product ??
      (meta && (meta.supplier ?? meta.author ?? meta.group)
        ? { manufacturer: (meta.supplier ?? meta.author ?? meta.group) as string, name: meta.name, ...(meta.version ? { version: meta.version } : {}) }
        : undefined);
    if (!input) {
      throw new DomainError('sbom.product_required', 'the SBOM names no product supplier or author; pass the product (manufacturer, name, version)', { status: 400 });
    }
    const keys = productKeys(input);
    const existing = await store.findProduct(keys.normalizedVendor, keys.normalizedProduct, keys.version);
    if (existing) return existing;
    const p = await store.upsertProduct(buildProduct(input, 'sbom', newId('prd'), now));
    await this.ensureSelfComponent(store, p);
    return p;
  }

  // ---- advisories ----

  async ingestAdvisories(advisories: readonly Advisory[], actor: Actor, label = 'advisories'): Promise<AdvisoryIngestResult> {
    const total: AdvisoryIngestResult = { inserted: 0, changed: 0, unchanged: 0, productsRematched: 0, findingsRescored: 0, opened: 0, refreshed: 0, closed: 0, alerts: 0 };
    for (let i = 0; i < advisories.length; i += INGEST_CHUNK) {
      const chunk = advisories.slice(i, i + INGEST_CHUNK);
      const r = await this.ingestChunk(chunk, actor, label);
      for (const k of Object.keys(total) as Array<keyof AdvisoryIngestResult>) total[k] += r[k];
    }
    return total;
  }

  private async ingestChunk(chunk: readonly Advisory[], actor: Actor, label: string): Promise<AdvisoryIngestResult> {
    const now = this.now();
    const devicesOf = await this.deps.devices.snapshot();
    const items = chunk.map((raw) => {
      const a = toStoredForm(raw);
      return { advisory: a, keys: a.affected.length > 0 && !isEnrichmentOnly(a) ? matchKeysOfAdvisory(a) : [], contentHash: advisoryContentHash(a) };
    });
    const result = await this.deps.repo.transaction(async (store, executor) => {
      const up = await store.upsertAdvisories(items, now);
      const touched = new Set([...up.inserted, ...up.changed]);
      if (touched.size === 0) return { up, outcome: undefined, rescored: [] as Finding[], productIds: 0 };
      // New records are known in full here; only changed ones are read back, for their first-ingest time.
      const byId = new Map(items.map((i) => [i.advisory.id, i]));
      const stored: StoredAdvisory[] = [];
      const reread = [...up.changed];
      for (const id of up.inserted) {
        const i = byId.get(id);
        if (i) stored.push({ ...i, firstIngestedAt: now, lastChangedAt: now });
        else reread.push(id); // the store normalized the id (e.g. a NUL in it): take its copy
      }
      if (reread.length > 0) stored.push(...(await store.getAdvisories(reread)));
      const matchable = stored.filter((s) => !isEnrichmentOnly(s.advisory));
      const enrichment = stored.filter((s) => isEnrichmentOnly(s.advisory));
      let outcome: RematchOutcome | undefined;
      if (matchable.length > 0) outcome = await this.scoreAndApply(store, devicesOf, await computeAdvisoryRematch(store, matchable, { newId: () => newId('fnd'), now }), now);
      const productIds = new Set(outcome ? outcome.products.keys() : []);
      const rescored = enrichment.length > 0 ? await this.rater.rescoreVulnerabilities(store, devicesOf, enrichment.map((s) => vulnerabilityOfStored(s.advisory))) : [];
      await this.deps.audit.record(
        {
          actor,
          action: 'advisories.ingest',
          targetType: 'advisory-batch',
          targetId: label,
          details: { inserted: up.inserted.length, changed: up.changed.length, unchanged: up.unchanged, ids: [...touched].slice(0, 50), opened: outcome?.opened.length ?? 0, closed: outcome?.closed.length ?? 0 },
        },
        executor,
      );
      return { up, outcome, rescored, productIds: productIds.size };
    });
    this.deps.onChange?.();
    let alerts = 0;
    if (result.outcome) alerts += await this.surveillance.alertNewFindings(this.deps.repo, result.outcome, this.now());
    if (result.rescored.length > 0) alerts += await this.surveillance.alertEscalated(this.deps.repo, result.rescored, this.now());
    return {
      inserted: result.up.inserted.length,
      changed: result.up.changed.length,
      unchanged: result.up.unchanged,
      productsRematched: result.productIds,
      findingsRescored: result.rescored.length,
      ...counts(result.outcome, alerts),
    };
  }

  /** Re-matches every product against the whole advisory store (after a matcher upgrade or a bulk load). */
  async rematchAll(actor: Actor): Promise<ReconcileCounts & { products: number }> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.repo.listProducts({}, after, 500);
      ids.push(...page.map((p) => p.id));
      if (page.length < 500) break;
      after = page[page.length - 1]!.id;
    }
    const total = { opened: 0, refreshed: 0, closed: 0, alerts: 0, products: ids.length };
    const devicesOf = await this.deps.devices.snapshot();
    // Every advisory is read and indexed once, not once per product that shares its package.
    const loaded = await loadAdvisoryIndex(this.deps.repo);
    for (const id of ids) {
      await this.rematchProduct((store, now) => computeRematchWithIndex(store, id, loaded, { newId: () => newId('fnd'), now }), devicesOf, total);
    }
    this.deps.onChange?.();
    await this.deps.audit.record({ actor, action: 'findings.rematch', targetType: 'findings', details: { ...total } });
    return total;
  }

  private async rematchAndApply(store: VulnStore, devicesOf: DeviceLookup, scope: Parameters<typeof computeRematch>[1], now: string): Promise<RematchOutcome> {
    return this.scoreAndApply(store, devicesOf, await computeRematch(store, scope, { newId: () => newId('fnd'), now }), now);
  }

  private async scoreAndApply(store: VulnStore, devicesOf: DeviceLookup, outcome: RematchOutcome, now: string): Promise<RematchOutcome> {
    await this.rater.scoreOutcome(store, devicesOf, outcome);
    await applyReconcile(store, outcome, now);
    return outcome;
  }

  /** One product re-matched in its own transaction, then alerted; counts added to `total`. */
  private async rematchProduct(compute: (store: VulnStore, now: string) => Promise<RematchOutcome>, devicesOf: DeviceLookup, total: ReconcileCounts): Promise<void> {
    const now = this.now();
    const outcome = await this.deps.repo.transaction(async (store) => this.scoreAndApply(store, devicesOf, await compute(store, now), now));
    total.opened += outcome.opened.length;
    total.refreshed += outcome.refreshed.length;
    total.closed += outcome.closed.length;
    total.alerts += await this.surveillance.alertNewFindings(this.deps.repo, outcome, this.now());
  }
}

function storedComponents(sbomRow: StoredSbom, sbom: Sbom): StoredComponent[] {
  return sbom.components.map((c, i) => {
    const t = targetOfComponent(sbomRow.productId, c);
    return { ...c, id: `${sbomRow.id}:${i}`, sbomId: sbomRow.id, productId: sbomRow.productId, componentKey: componentKey(c), keys: matchKeysOfTarget(t) };
  });
}

function counts(o: RematchOutcome | undefined, alerts: number): ReconcileCounts {
  return { opened: o?.opened.length ?? 0, refreshed: o?.refreshed.length ?? 0, closed: o?.closed.length ?? 0, alerts };
}
