/**
 * @module Read side of vulnerability intelligence: products with their SBOMs and components,
 * advisories, findings (filtered, keyset-paginated) and a finding's full explanation.
 */
import { invalidInput, notFound } from '../core/index.js';
import type { Component } from '../sbom/index.js';
import type { Finding } from './findings/model.js';
import type { Advisory } from './model.js';
import type { AdvisoryFilter, FindingCursor, FindingFilter, FindingSort, Product, ProductFilter, StoredAdvisory, StoredSbom, VulnRepository } from './ports.js';
import type { FindingExplanation, FindingRiskRater } from './rating.js';

export interface Paged<T> {
  items: T[];
  nextCursor?: string;
  total: number;
}

export const MAX_PAGE = 500;

function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
}

function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through to the error below
  }
  throw invalidInput('vulns.invalid_cursor', 'the cursor is not one this list produced', { location: { pointer: '/cursor' } });
}

const isFindingCursor = (v: unknown): v is FindingCursor =>
  typeof v === 'object' && v !== null && typeof (v as FindingCursor).id === 'string' && ['number', 'string'].includes(typeof (v as FindingCursor).sortValue);
const isIdCursor = (v: unknown): v is { id: string } => typeof v === 'object' && v !== null && typeof (v as { id: unknown }).id === 'string';

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalidInput('vulns.invalid_limit', `limit must be an integer from 1 to ${MAX_PAGE}`, { location: { pointer: '/limit' } });
}

export interface ProductDetail {
  product: Product;
  sboms: StoredSbom[];
  openFindings: number;
}

export interface FindingDetail extends FindingExplanation {
  product: Product;
  advisory?: Advisory;
}

export class VulnQueries {
  constructor(
    private readonly repo: VulnRepository,
    private readonly rater: FindingRiskRater,
  ) {}

  async products(filter: ProductFilter, cursor: string | undefined, limit = 50): Promise<Paged<Product>> {
    checkLimit(limit);
    const after = decodeCursor(cursor, isIdCursor)?.id;
    const [items, total] = await Promise.all([this.repo.listProducts(filter, after, limit + 1), this.repo.countProducts(filter)]);
    return page(items, limit, total, (p) => encodeCursor({ id: p.id }));
  }

  async product(id: string): Promise<ProductDetail> {
    const product = await this.repo.getProduct(id);
    if (!product) throw notFound('product', id);
    const [sboms, openFindings] = await Promise.all([this.repo.listSboms(id), this.repo.countFindings({ productId: id, status: 'open' })]);
    return { product, sboms, openFindings };
  }

  async sbomComponents(sbomId: string): Promise<{ sbom: StoredSbom; components: Component[] }> {
    const sbom = await this.repo.getSbom(sbomId);
    if (!sbom) throw notFound('sbom', sbomId);
    const components = (await this.repo.sbomComponents(sbomId)).map(({ id: _id, sbomId: _s, productId: _p, componentKey: _k, keys: _keys, ...c }) => c);
    return { sbom, components };
  }

  async advisories(filter: AdvisoryFilter, cursor: string | undefined, limit = 50): Promise<Paged<StoredAdvisory>> {
    checkLimit(limit);
    const after = decodeCursor(cursor, isIdCursor)?.id;
    const [items, total] = await Promise.all([this.repo.listAdvisories(filter, after, limit + 1), this.repo.countAdvisories(filter)]);
    return page(items, limit, total, (a) => encodeCursor({ id: a.advisory.id }));
  }

  async advisory(id: string): Promise<StoredAdvisory> {
    const a = (await this.repo.getAdvisory(id)) ?? (await this.repo.advisoriesForVulnerability(id))[0];
    if (!a) throw notFound('advisory', id);
    return a;
  }

  async findings(filter: FindingFilter, sort: FindingSort, cursor: string | undefined, limit = 50): Promise<Paged<Finding>> {
    checkLimit(limit);
    const after = decodeCursor(cursor, isFindingCursor);
    const [items, total] = await Promise.all([this.repo.listFindings(filter, sort, after, limit + 1), this.repo.countFindings(filter)]);
    return page(items, limit, total, (f) => encodeCursor({ sortValue: sort === 'risk' ? f.riskScore : f.lastSeen, id: f.id }));
  }

  async finding(id: string): Promise<FindingDetail> {
    const f = await this.repo.getFinding(id);
    if (!f) throw notFound('finding', id);
    const product = await this.repo.getProduct(f.productId);
    if (!product) throw notFound('product', f.productId);
    const explanation = await this.rater.explain(this.repo, f, product);
    const advisory = (await this.repo.getAdvisory(f.advisoryId))?.advisory;
    return { ...explanation, product, ...(advisory ? { advisory } : {}) };
  }
}

function page<T>(rows: T[], limit: number, total: number, cursorOf: (last: T) => string): Paged<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last !== undefined ? { items, total, nextCursor: cursorOf(last) } : { items, total };
}
