/**
 * @module VEX in and out of the findings store. Import resolves each statement's products and
 * components (purl, CPE, vendor+name+version, hashes) to stored product versions, applies the
 * decision to the open findings of the vulnerability there (audited, like an analyst's triage) and
 * keeps it for findings that appear later; statements that name nothing known are reported back.
 * Export renders one product's findings as CycloneDX 1.6, CSAF 2.0 or OpenVEX 0.2.0.
 */
import type { AuditRecorder } from '../audit/index.js';
import { invalidInput, notFound, type Actor, type Clock } from '../core/index.js';
import type { Component } from '../sbom/index.js';
import type { Finding } from './findings/model.js';
import { componentKey, matchKeysOfTarget, targetOfComponent } from './match/index.js';
import type { Advisory } from './model.js';
import type { Product, StoredComponent, VulnRepository, VulnStore } from './ports.js';
import { productKeys, productLineOf } from './products.js';
import type { TriageService } from './triage.js';
import { exportCsafVex, exportCycloneDxVex, exportOpenVex, parseVex, triageFromStatement, type CsafPublisher, type VexFormat, type VexProductRef, type VexStatement } from './vex/index.js';

export interface VexImportResult {
  format: VexFormat;
  specVersion: string;
  statements: number;
  /** open findings whose triage the import set */
  findingsUpdated: number;
  /** decisions stored for components that have no open finding yet */
  decisionsKept: number;
  unmatched: Array<{ vulnerabilityId: string; pointer: string; reason: string }>;
  warnings: string[];
}

export interface VexExportOptions {
  format: VexFormat;
  publisher?: Partial<CsafPublisher>;
  author?: string;
}

interface Target {
  product: Product;
  /** undefined: every component of the product */
  componentKey?: string;
}

const sameText = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

function refMatches(c: StoredComponent, ref: VexProductRef): boolean {
  if (ref.purl && c.purl && (c.purl === ref.purl || c.purl.split('?')[0] === ref.purl.split('?')[0])) return true;
  if (ref.cpe && c.cpes.includes(ref.cpe)) return true;
  if (ref.hashes?.some((h) => c.hashes.some((ch) => ch.value === h.value.toLowerCase()))) return true;
  return sameText(c.name, ref.name) && (ref.version === undefined || c.version === ref.version);
}

function pseudoComponent(ref: VexProductRef): Component {
  return {
    ref: 'vex',
    name: ref.name ?? ref.purl ?? ref.cpe ?? 'unknown',
    ...(ref.version ? { version: ref.version } : {}),
    ...(ref.purl ? { purl: ref.purl } : {}),
    cpes: ref.cpe ? [ref.cpe] : [],
    type: 'unknown',
    hashes: [],
    licenses: [],
    properties: [],
    flags: [],
  };
}

export class VexService {
  constructor(
    private readonly repo: VulnRepository,
    private readonly triage: TriageService,
    private readonly audit: AuditRecorder,
    private readonly clock: Clock,
    private readonly onChange: () => void = () => undefined,
  ) {}

  async importVex(text: string, location: string, actor: Actor): Promise<VexImportResult> {
    const doc = parseVex(text, location);
    const now = this.clock.now().toISOString();
    await this.triage.prepareForApply();
    const result: VexImportResult = { format: doc.format, specVersion: doc.specVersion, statements: doc.statements.length, findingsUpdated: 0, decisionsKept: 0, unmatched: [], warnings: doc.warnings };
    await this.repo.transaction(async (store, executor) => {
      for (const st of doc.statements) {
        const targets = await this.resolve(store, st);
        if (targets.length === 0) {
          result.unmatched.push({ vulnerabilityId: st.vulnerabilityId, pointer: st.source.pointer, reason: 'names no stored product or component' });
          continue;
        }
        const decision = triageFromStatement(st, { kind: actor.kind, id: actor.id, name: actor.name }, now);
        const findings = await this.openFindings(store, st);
        let hit = 0;
        const done = new Set<string>();
        for (const t of targets) {
          for (const f of findings) {
            if (done.has(f.id) || f.productId !== t.product.id || (t.componentKey !== undefined && f.componentKey !== t.componentKey)) continue;
            const updated = await this.triage.apply(store, executor, f, decision, actor);
            updated.forEach((u) => done.add(u.id));
            hit += updated.length;
          }
          if (t.componentKey !== undefined && !findings.some((f) => f.productId === t.product.id && f.componentKey === t.componentKey)) {
            await store.putTriage({ productLine: productLineOf(t.product), componentKey: t.componentKey, vulnerabilityId: st.vulnerabilityId }, decision);
            result.decisionsKept++;
          }
        }
        result.findingsUpdated += hit;
      }
      await this.audit.record(
        { actor, action: 'vex.import', targetType: 'vex-document', targetId: location, details: { format: doc.format, statements: doc.statements.length, findingsUpdated: result.findingsUpdated, unmatched: result.unmatched.length } },
        executor,
      );
    });
    this.onChange();
    return result;
  }

  private async openFindings(store: VulnStore, st: VexStatement): Promise<Finding[]> {
    const out = new Map<string, Finding>();
    for (const id of new Set([st.vulnerabilityId, ...st.aliases])) {
      for (const f of await store.listFindings({ vulnerabilityId: id, status: 'open' }, 'lastSeen', undefined, 500)) out.set(f.id, f);
    }
    return [...out.values()];
  }

  /** The product versions (and components in them) a statement is about. */
  private async resolve(store: VulnStore, st: VexStatement): Promise<Target[]> {
    const targets: Target[] = [];
    for (const ref of st.products) {
      const products = await this.productsOf(store, ref);
      if (products.length > 0) {
        for (const product of products) {
          if (!st.subcomponents?.length) {
            targets.push({ product });
            continue;
          }
          const comps = await store.productComponents(product.id);
          for (const sub of st.subcomponents) for (const c of comps.filter((c) => refMatches(c, sub))) targets.push({ product, componentKey: c.componentKey });
        }
        continue;
      }
      // The "product" may be a component (OpenVEX and CycloneDX name packages directly).
      for (const c of await this.componentsOf(store, ref)) {
        const product = await store.getProduct(c.productId);
        if (product) targets.push({ product, componentKey: c.componentKey });
      }
    }
    return targets;
  }

  private async productsOf(store: VulnStore, ref: VexProductRef): Promise<Product[]> {
    if (ref.vendor && ref.name) {
      try {
        const k = productKeys({ manufacturer: ref.vendor, name: ref.name, ...(ref.version ? { version: ref.version } : {}) });
        const p = await store.findProduct(k.normalizedVendor, k.normalizedProduct, k.version);
        if (p) return [p];
      } catch {
        return [];
      }
    }
    return [];
  }

  private async componentsOf(store: VulnStore, ref: VexProductRef): Promise<StoredComponent[]> {
    if (!ref.purl && !ref.cpe && !ref.name) return [];
    const c = pseudoComponent(ref);
    const t = targetOfComponent('#vex', c);
    const found = await store.componentsByKeys(matchKeysOfTarget(t));
    const key = componentKey(c);
    return found.filter((s) => refMatches(s, ref) || s.componentKey === key);
  }

  async exportVex(productId: string, options: VexExportOptions): Promise<unknown> {
    const product = await this.repo.getProduct(productId);
    if (!product) throw notFound('product', productId);
    const open = await this.repo.listFindings({ productId, status: 'open' }, 'risk', undefined, 500);
    const closed = (await this.repo.listFindings({ productId, status: 'closed' }, 'lastSeen', undefined, 500)).filter((f) => f.closeReason === 'fixed');
    const findings = [...open, ...closed];
    const advisories = new Map<string, Advisory>((await this.repo.getAdvisories([...new Set(findings.map((f) => f.advisoryId))])).map((a) => [a.advisory.id, a.advisory]));
    const components = new Map<string, Component>((await this.repo.productComponents(productId)).map((c) => [c.ref, c]));
    const now = this.clock.now().toISOString();
    const base = { product, findings, advisories, components, now, tool: { name: 'CareGuard', version: '0.1.0' } };
    switch (options.format) {
      case 'cyclonedx':
        return exportCycloneDxVex({ ...base, ...(options.author ? { author: { name: options.author } } : {}) });
      case 'csaf':
        return exportCsafVex({
          ...base,
          publisher: {
            category: options.publisher?.category ?? 'vendor',
            name: options.publisher?.name ?? product.manufacturer,
            namespace: options.publisher?.namespace ?? 'https://careguard.invalid',
          },
        });
      case 'openvex':
        return exportOpenVex({ ...base, author: options.author ?? product.manufacturer });
      default:
        throw invalidInput('vex.invalid_format', 'format must be cyclonedx, csaf or openvex');
    }
  }
}
