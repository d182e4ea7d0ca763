/**
 * @module Re-matching a scope (some products, optionally limited to some vulnerabilities) and
 * reconciling its findings in one store transaction. A new SBOM re-matches its product; a new or
 * changed advisory re-matches only the products whose components share one of its match keys
 * (plus those holding findings from it), limited to the vulnerabilities it names.
 */
import type { Finding, FindingCloseReason, TriageDecision } from './findings/model.js';
import { componentIdentity, reconcileFindings, type ComponentFacts, type ReconcileResult } from './findings/reconcile.js';
import { matchAdvisory, PRODUCT_SELF_REF, productTarget, targetOfComponent, withProductContext, type Match, type MatchTarget } from './match/index.js';
import { vulnerabilityOfStored } from './record-keys.js';
import { isEnrichmentOnly } from './intel.js';
import type { AlertContext } from './surveillance.js';
import type { Product, StoredAdvisory, StoredComponent, TriageKey, VulnStore } from './ports.js';
import { triageKeyString } from './ports.js';
import { productLineOf } from './products.js';

export interface RematchScope {
  productIds: readonly string[];
  /** limit to these advisories (and every advisory naming the same vulnerabilities); all candidates when absent */
  advisories?: readonly StoredAdvisory[];
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

/** Runs inside the caller's transaction; computes what changes. The caller scores it, then applyReconcile writes it. */
export async function computeRematch(store: VulnStore, scope: RematchScope, deps: RematchDeps): Promise<RematchOutcome> {
  const products = new Map<string, Product>();
  const components: StoredComponent[] = [];
  for (const id of new Set(scope.productIds)) {
    const p = await store.getProduct(id);
    if (!p) continue;
    products.set(id, p);
    components.push(...(await store.productComponents(id)));
  }
  // Whole products are in scope, so NVD "running on" requirements can see every CPE of each product.
  const targets = withProductContext(components.map((c) => targetOfStored(c, products.get(c.productId))));
  const targetKeys = new Map(components.map((c) => [`${c.productId}\u0000${c.ref}`, c.keys] as const));
  const facts = new Map<string, ComponentFacts>();
  for (const c of components) {
    const f: ComponentFacts = { componentRef: c.ref, componentName: c.name };
    if (c.version !== undefined) f.componentVersion = c.version;
    if (c.purl !== undefined) f.componentPurl = c.purl;
    facts.set(componentIdentity(c.productId, c.componentKey), f);
  }

  let existing: Finding[] = [];
  for (const id of products.keys()) existing.push(...(await store.findingsOfProduct(id)));

  const advisories = new Map<string, StoredAdvisory>();
  if (scope.advisories) {
    for (const a of scope.advisories) advisories.set(a.advisory.id, a);
    // Every advisory naming the same vulnerabilities competes for the same findings.
    const ids = new Set<string>();
    for (const a of scope.advisories) [a.advisory.id, ...a.advisory.aliases].forEach((i) => ids.add(i));
    for (const id of ids) for (const a of await store.advisoriesForVulnerability(id)) advisories.set(a.advisory.id, a);
    const vulnIds = new Set([...advisories.values()].map((a) => vulnerabilityOfStored(a.advisory)));
    existing = existing.filter((f) => vulnIds.has(f.vulnerabilityId));
    const missing = existing.map((f) => f.advisoryId).filter((id) => !advisories.has(id));
    for (const a of await store.getAdvisories([...new Set(missing)])) advisories.set(a.advisory.id, a);
  } else {
    const keys = [...new Set(components.flatMap((c) => c.keys))];
    for (const a of await store.advisoriesByKeys(keys)) advisories.set(a.advisory.id, a);
    const missing = existing.map((f) => f.advisoryId).filter((id) => !advisories.has(id));
    for (const a of await store.getAdvisories([...new Set(missing)])) advisories.set(a.advisory.id, a);
  }
  for (const [id, a] of advisories) if (isEnrichmentOnly(a.advisory)) advisories.delete(id);

  const matches = matchAll(advisories.values(), targets, targetKeys);
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
