/**
 * @module Re-matching a scope (some products, optionally limited to some vulnerabilities) and
 * reconciling its findings in one store transaction. A new SBOM re-matches its product; a new or
 * changed advisory re-matches only the products whose components share one of its match keys
 * (plus those holding findings from it), limited to the vulnerabilities it names.
 */
import type { Finding, FindingCloseReason, TriageDecision } from './findings/model.js';
import { componentIdentity, reconcileFindings, type ComponentFacts, type ReconcileResult } from './findings/reconcile.js';
import { AdvisoryIndex, matchAdvisory, matchTarget, PRODUCT_SELF_REF, productTarget, targetOfComponent, withProductContext, type Match, type MatchTarget } from './match/index.js';
import { vulnerabilityOfStored } from './record-keys.js';
import { isEnrichmentOnly } from './intel.js';
import type { AlertContext } from './surveillance.js';
import type { Product, StoredAdvisory, StoredComponent, TriageKey, VulnStore } from './ports.js';
import { triageKeyString } from './ports.js';
import { productLineOf } from './products.js';

export interface RematchScope {
  productIds: readonly string[];
}

export interface RematchOutcome extends ReconcileResult {
  products: Map<string, Product>;
  advisories: Map<string, StoredAdvisory>;
  /** per opened finding, what the alert policy needs (filled by scoring) */
  alertContext: Map<string, AlertContext>;
}

/** The match target of a stored component; a product-self component is the product itself. */
export function targetOfStored(c: StoredComponent, product: Product | undefined): MatchTarget {
  if (c.ref === PRODUCT_SELF_REF && product) return productTarget(product);
  const t = targetOfComponent(c.productId, c);
  t.componentKey = c.componentKey;
  return t;
}

/** Matches of advisories against targets, looking only at targets that share a match key. */
export function matchAll(advisories: Iterable<StoredAdvisory>, targets: readonly MatchTarget[], targetKeys: ReadonlyMap<string, readonly string[]>): Match[] {
  const byKey = new Map<string, MatchTarget[]>();
  targets.forEach((t) => {
    for (const k of targetKeys.get(`${t.productId}\u0000${t.componentRef}`) ?? []) {
      const list = byKey.get(k);
      if (list) list.push(t);
      else byKey.set(k, [t]);
    }
  });
  const out: Match[] = [];
  for (const sa of advisories) {
    const seen = new Set<MatchTarget>();
    for (const k of sa.keys) for (const t of byKey.get(k) ?? []) seen.add(t);
    if (seen.size === 0) continue;
    const vulnerabilityId = vulnerabilityOfStored(sa.advisory);
    for (const m of matchAdvisory(sa.advisory, [...seen])) out.push(m.vulnerabilityId === vulnerabilityId ? m : { ...m, vulnerabilityId });
  }
  return out;
}

export interface RematchDeps {
  newId(): string;
  now: string;
}

/**
 * Re-matching whole product versions (a new SBOM, a new product, a full re-match): every live
 * component against every advisory sharing a match key, reconciled with the products' open
 * findings. Runs inside the caller's transaction; the caller scores the outcome, then
 * applyReconcile writes it.
 */
export async function computeRematch(store: VulnStore, scope: RematchScope, deps: RematchDeps): Promise<RematchOutcome> {
  const products = new Map<string, Product>();
  const components: StoredComponent[] = [];
  const existing: Finding[] = [];
  for (const id of new Set(scope.productIds)) {
    const p = await store.getProduct(id);
    if (!p) continue;
    products.set(id, p);
    components.push(...(await store.productComponents(id)));
    existing.push(...(await store.findingsOfProduct(id)));
  }
  const advisories = new Map<string, StoredAdvisory>();
  for (const a of await store.advisoriesByKeys([...new Set(components.flatMap((c) => c.keys))])) advisories.set(a.advisory.id, a);
  const missing = existing.map((f) => f.advisoryId).filter((id) => !advisories.has(id));
  for (const a of await store.getAdvisories([...new Set(missing)])) advisories.set(a.advisory.id, a);
  for (const [id, a] of advisories) if (isEnrichmentOnly(a.advisory)) advisories.delete(id);
  return reconcileScope(store, components, products, existing, advisories, deps);
}

/**
 * Re-matching for new or changed advisories, scoped by what they name: the components sharing one
 * of their match keys (whole products only when an advisory has "running on" requirements), and
 * the open findings of the same vulnerabilities, wherever they are. A product with thousands of
 * findings for other vulnerabilities is not read at all.
 */
export async function computeAdvisoryRematch(store: VulnStore, changed: readonly StoredAdvisory[], deps: RematchDeps): Promise<RematchOutcome> {
  const advisories = new Map<string, StoredAdvisory>(changed.map((a) => [a.advisory.id, a]));
  const names = new Set<string>();
  for (const a of changed) [a.advisory.id, ...a.advisory.aliases].forEach((i) => names.add(i));
  for (const a of await store.advisoriesForVulnerabilities([...names])) advisories.set(a.advisory.id, a);
  for (const [id, a] of advisories) if (isEnrichmentOnly(a.advisory)) advisories.delete(id);
  const vulnIds = new Set([...advisories.values()].map((a) => vulnerabilityOfStored(a.advisory)));

  const existingById = new Map<string, Finding>();
  for (const v of vulnIds) {
    let after: { sortValue: string; id: string } | undefined;
    for (;;) {
      const page = await store.listFindings({ vulnerabilityId: v, status: 'open' }, 'lastSeen', after, 1000);
      page.forEach((f) => existingById.set(f.id, f));
      if (page.length < 1000) break;
      const last = page[page.length - 1]!;
      after = { sortValue: last.lastSeen, id: last.id };
    }
  }
  for (const id of advisories.keys()) for (const f of await store.findingsOfAdvisory(id)) existingById.set(f.id, f);
  const existing = [...existingById.values()].filter((f) => vulnIds.has(f.vulnerabilityId));
  const missing = existing.map((f) => f.advisoryId).filter((id) => !advisories.has(id));
  for (const a of await store.getAdvisories([...new Set(missing)])) if (!isEnrichmentOnly(a.advisory)) advisories.set(a.advisory.id, a);

  const keys = [...new Set([...advisories.values()].flatMap((a) => a.keys))];
  const byId = new Map<string, StoredComponent>();
  for (const c of keys.length > 0 ? await store.componentsByKeys(keys) : []) byId.set(c.id, c);
  // Findings whose component no longer shares a key (the advisory changed its package) are judged on their product's live components.
  const loaded = new Set([...byId.values()].map((c) => componentIdentity(c.productId, c.componentKey)));
  const needsWholeProduct = new Set(existing.filter((f) => !loaded.has(componentIdentity(f.productId, f.componentKey))).map((f) => f.productId));
  const hasRequirements = [...advisories.values()].some((a) => a.advisory.affected.some((x) => (x.requires?.length ?? 0) > 0));
  if (hasRequirements) for (const c of byId.values()) needsWholeProduct.add(c.productId);
  for (const pid of needsWholeProduct) for (const c of await store.productComponents(pid)) byId.set(c.id, c);

  const products = new Map<string, Product>();
  for (const pid of new Set([...[...byId.values()].map((c) => c.productId), ...existing.map((f) => f.productId)])) {
    const p = await store.getProduct(pid);
    if (p) products.set(pid, p);
  }
  const components = [...byId.values()].filter((c) => products.has(c.productId));
  return reconcileScope(store, components, products, existing, advisories, deps);
}

/** Every matchable advisory parsed once and indexed, for re-matching many products in a row. */
export interface LoadedAdvisories {
  index: AdvisoryIndex;
  byId: Map<string, StoredAdvisory>;
}

export async function loadAdvisoryIndex(store: VulnStore, batchSize = 2000): Promise<LoadedAdvisories> {
  const index = new AdvisoryIndex();
  const byId = new Map<string, StoredAdvisory>();
  for await (const batch of store.scanAdvisories(batchSize)) {
    for (const a of batch) {
      if (isEnrichmentOnly(a.advisory)) continue;
      byId.set(a.advisory.id, a);
      index.add(a.advisory);
    }
  }
  return { index, byId };
}

/** computeRematch for one product against a preloaded index (no per-product advisory reads). */
export async function computeRematchWithIndex(store: VulnStore, productId: string, loaded: LoadedAdvisories, deps: RematchDeps): Promise<RematchOutcome> {
  const products = new Map<string, Product>();
  const p = await store.getProduct(productId);
  if (!p) return { opened: [], refreshed: [], closed: [], products, advisories: new Map(), alertContext: new Map() };
  products.set(productId, p);
  const components = await store.productComponents(productId);
  const existing = await store.findingsOfProduct(productId);
  const targets = withProductContext(components.map((c) => targetOfStored(c, p)));
  const matches: Match[] = [];
  for (const t of targets) {
    for (const m of matchTarget(loaded.index, t)) {
      const sa = loaded.byId.get(m.advisoryId);
      const vulnerabilityId = sa ? vulnerabilityOfStored(sa.advisory) : m.vulnerabilityId;
      matches.push(vulnerabilityId === m.vulnerabilityId ? m : { ...m, vulnerabilityId });
    }
  }
  const advisories = new Map<string, StoredAdvisory>();
  for (const id of new Set([...matches.map((m) => m.advisoryId), ...existing.map((f) => f.advisoryId)])) {
    const a = loaded.byId.get(id);
    if (a) advisories.set(id, a);
  }
  const missing = existing.map((f) => f.advisoryId).filter((id) => !advisories.has(id));
  for (const a of await store.getAdvisories([...new Set(missing)])) if (!isEnrichmentOnly(a.advisory)) advisories.set(a.advisory.id, a);
  return reconcileScope(store, components, products, existing, advisories, deps, matches);
}

/** Matches the loaded components against the advisories (unless given) and reconciles with the existing findings. */
async function reconcileScope(
  store: VulnStore,
  components: readonly StoredComponent[],
  products: Map<string, Product>,
  existing: Finding[],
  advisories: Map<string, StoredAdvisory>,
  deps: RematchDeps,
  precomputed?: Match[],
): Promise<RematchOutcome> {
  const targets = precomputed ? [] : withProductContext(components.map((c) => targetOfStored(c, products.get(c.productId))));
  const targetKeys = new Map(components.map((c) => [`${c.productId}\u0000${c.ref}`, c.keys] as const));
  const facts = new Map<string, ComponentFacts>();
  for (const c of components) {
    const f: ComponentFacts = { componentRef: c.ref, componentName: c.name };
    if (c.version !== undefined) f.componentVersion = c.version;
    if (c.purl !== undefined) f.componentPurl = c.purl;
    facts.set(componentIdentity(c.productId, c.componentKey), f);
  }
  const matches = precomputed ?? matchAll(advisories.values(), targets, targetKeys);
  const triages = await loadTriages(store, matches, products);
  const withdrawn = new Set([...advisories.values()].filter((a) => a.advisory.withdrawn).map((a) => a.advisory.id));
  const published = new Map([...advisories.values()].map((a) => [a.advisory.id, a.advisory.published ?? a.firstIngestedAt] as const));
  const result = reconcileFindings({
    existing,
    matches,
    components: facts,
    withdrawn,
    published,
    triageFor: (m) => {
      const p = products.get(m.productId);
      return p ? triages.get(triageKeyString({ productLine: productLineOf(p), componentKey: m.componentKey, vulnerabilityId: m.vulnerabilityId })) : undefined;
    },
    newId: deps.newId,
    now: deps.now,
  });
  return { ...result, products, advisories, alertContext: new Map() };
}

async function loadTriages(store: VulnStore, matches: readonly Match[], products: ReadonlyMap<string, Product>): Promise<Map<string, TriageDecision>> {
  const keys = new Map<string, TriageKey>();
  for (const m of matches) {
    const p = products.get(m.productId);
    if (!p) continue;
    const k: TriageKey = { productLine: productLineOf(p), componentKey: m.componentKey, vulnerabilityId: m.vulnerabilityId };
    keys.set(triageKeyString(k), k);
  }
  return keys.size === 0 ? new Map() : store.getTriages([...keys.values()]);
}

export async function applyReconcile(store: VulnStore, r: ReconcileResult, now: string): Promise<void> {
  if (r.opened.length > 0) await store.insertFindings(r.opened);
  if (r.refreshed.length > 0) await store.updateFindings(r.refreshed);
  const byReason = new Map<FindingCloseReason, string[]>();
  for (const c of r.closed) byReason.set(c.reason, [...(byReason.get(c.reason) ?? []), c.id]);
  for (const [reason, ids] of byReason) await store.closeFindings(ids, reason, now);
}
