/**
 * @module CSAF 2.0 product tree walk: branches (vendor → product_family/product_name →
 * product_version / product_version_range ...) down to full product names, top-level
 * full_product_names, relationships (a component installed on / part of a platform) and
 * product_groups. Each product gets its vendor, product name, version text classified by the
 * free-text grammar (or `vers:`), and its identification helpers (purl, CPE, hashes, models).
 */
import { parseFreeTextVersion, parseProductNameVersion, schemeForPurlType, type FreeTextResult } from '../../../core/versions/index.js';
import type { ProductHash } from '../../model.js';
import { isObject, ptr, stringsOf, type JsonObject, type JsonReader } from '../common/json.js';

export const MAX_BRANCH_DEPTH = 30;
export const MAX_PRODUCTS = 50_000;

export interface CsafProduct {
  productId: string;
  /** full_product_name.name */
  name: string;
  pointer: string;
  vendor?: string;
  productName?: string;
  versionText?: string;
  versionCategory?: 'product_version' | 'product_version_range' | 'product_name' | 'helper';
  version: FreeTextResult;
  purl?: string;
  cpe?: string;
  hashes?: ProductHash[];
  modelNumbers?: string[];
  serialNumbers?: string[];
  relationship?: { category: string; componentId: string; platformId: string };
}

export interface CsafProductTree {
  products: Map<string, CsafProduct>;
  groups: Map<string, string[]>;
}

interface BranchContext {
  vendor?: string;
  productName?: string;
  versionText?: string;
  versionCategory?: 'product_version' | 'product_version_range';
}

function helperFields(r: JsonReader, fpn: JsonObject, pointer: string): Pick<CsafProduct, 'purl' | 'cpe' | 'hashes' | 'modelNumbers' | 'serialNumbers'> {
  const out: Pick<CsafProduct, 'purl' | 'cpe' | 'hashes' | 'modelNumbers' | 'serialNumbers'> = {};
  if (fpn.product_identification_helper === undefined) return out;
  const hp = ptr(pointer, 'product_identification_helper');
  const h = r.object(fpn.product_identification_helper, hp);
  const purl = r.optString(h.purl, ptr(hp, 'purl'));
  const cpe = r.optString(h.cpe, ptr(hp, 'cpe'));
  if (purl) out.purl = purl;
  if (cpe) out.cpe = cpe;
  const hashes: ProductHash[] = [];
  r.optArray(h.hashes, ptr(hp, 'hashes')).forEach((raw, i) => {
    const hh = r.object(raw, ptr(ptr(hp, 'hashes'), i));
    const filename = r.optString(hh.filename, ptr(ptr(ptr(hp, 'hashes'), i), 'filename'));
    r.optArray(hh.file_hashes, ptr(ptr(ptr(hp, 'hashes'), i), 'file_hashes')).forEach((fh, k) => {
      const fp = ptr(ptr(ptr(ptr(hp, 'hashes'), i), 'file_hashes'), k);
      const f = r.object(fh, fp);
      const hash: ProductHash = { algorithm: r.string(f.algorithm, ptr(fp, 'algorithm')), value: r.string(f.value, ptr(fp, 'value')) };
      if (filename) hash.filename = filename;
      hashes.push(hash);
    });
  });
  if (hashes.length > 0) out.hashes = hashes;
  const models = stringsOf(h.model_numbers);
  const serials = stringsOf(h.serial_numbers);
  if (models.length > 0) out.modelNumbers = models;
  if (serials.length > 0) out.serialNumbers = serials;
  return out;
}

/** Version of a product: its version branch; else a version in its purl or CPE; else one in its name. */
function versionOf(ctx: BranchContext, name: string, helper: Pick<CsafProduct, 'purl' | 'cpe'>): Pick<CsafProduct, 'version' | 'versionText' | 'versionCategory'> {
  const purlType = helper.purl ? /^pkg:([^/]+)\//i.exec(helper.purl)?.[1] : undefined;
  const scheme = (purlType && schemeForPurlType(purlType)) || 'generic';
  if (ctx.versionText !== undefined && ctx.versionCategory) {
    return { version: parseFreeTextVersion(ctx.versionText, scheme), versionText: ctx.versionText, versionCategory: ctx.versionCategory };
  }
  const purlVersion = helper.purl ? /@([^?#]+)/.exec(helper.purl)?.[1] : undefined;
  const cpeVersion = helper.cpe?.split(':')[5];
  const fromHelper = purlVersion ? decodeURIComponent(purlVersion) : cpeVersion && cpeVersion !== '*' && cpeVersion !== '-' ? cpeVersion : undefined;
  if (fromHelper) return { version: parseFreeTextVersion(fromHelper, scheme), versionText: fromHelper, versionCategory: 'helper' };
  return { version: parseProductNameVersion(name, scheme), versionCategory: 'product_name' };
}

export function readProductTree(r: JsonReader, doc: JsonObject): CsafProductTree {
  const products = new Map<string, CsafProduct>();
  const groups = new Map<string, string[]>();
  if (doc.product_tree === undefined) return { products, groups };
  const tree = r.object(doc.product_tree, '/product_tree');

  const addProduct = (raw: unknown, pointer: string, ctx: BranchContext): CsafProduct => {
    const fpn = r.object(raw, pointer);
    const productId = r.string(fpn.product_id, ptr(pointer, 'product_id'));
    const name = r.string(fpn.name, ptr(pointer, 'name'));
    if (products.has(productId)) r.fail(`product_id "${productId}" is defined twice (first at ${products.get(productId)?.pointer})`, ptr(pointer, 'product_id'));
    if (products.size >= MAX_PRODUCTS) r.fail(`more than ${MAX_PRODUCTS} products`, pointer);
    const helper = helperFields(r, fpn, pointer);
    const product: CsafProduct = { productId, name, pointer, ...helper, ...versionOf(ctx, name, helper) };
    if (ctx.vendor !== undefined) product.vendor = ctx.vendor;
    if (ctx.productName !== undefined) product.productName = ctx.productName;
    products.set(productId, product);
    return product;
  };

  const walk = (branches: unknown, pointer: string, ctx: BranchContext, depth: number): void => {
    if (depth > MAX_BRANCH_DEPTH) r.fail(`branches nested deeper than ${MAX_BRANCH_DEPTH}`, pointer);
    r.array(branches, pointer).forEach((raw, i) => {
      const bp = ptr(pointer, i);
      const b = r.object(raw, bp);
      const category = r.string(b.category, ptr(bp, 'category'));
      const name = r.string(b.name, ptr(bp, 'name'));
      const next: BranchContext = { ...ctx };
      if (category === 'vendor') next.vendor = name;
      else if (category === 'product_name' || (category === 'product_family' && next.productName === undefined)) next.productName = name;
      else if (category === 'product_version' || category === 'product_version_range') {
        next.versionText = name;
        next.versionCategory = category;
      }
      if (b.product !== undefined) addProduct(b.product, ptr(bp, 'product'), next);
      if (b.branches !== undefined) walk(b.branches, ptr(bp, 'branches'), next, depth + 1);
    });
  };

  if (tree.branches !== undefined) walk(tree.branches, '/product_tree/branches', {}, 1);
  r.optArray(tree.full_product_names, '/product_tree/full_product_names').forEach((raw, i) => addProduct(raw, ptr('/product_tree/full_product_names', i), {}));

  r.optArray(tree.relationships, '/product_tree/relationships').forEach((raw, i) => {
    const rp = ptr('/product_tree/relationships', i);
    const rel = r.object(raw, rp);
    const category = r.string(rel.category, ptr(rp, 'category'));
    const componentId = r.string(rel.product_reference, ptr(rp, 'product_reference'));
    const platformId = r.string(rel.relates_to_product_reference, ptr(rp, 'relates_to_product_reference'));
    const component = products.get(componentId);
    const product = addProduct(rel.full_product_name, ptr(rp, 'full_product_name'), {
      ...(component?.vendor !== undefined ? { vendor: component.vendor } : {}),
      ...(component?.productName !== undefined ? { productName: component.productName } : {}),
      ...(component?.versionText !== undefined && (component.versionCategory === 'product_version' || component.versionCategory === 'product_version_range')
        ? { versionText: component.versionText, versionCategory: component.versionCategory }
        : {}),
    });
    product.relationship = { category, componentId, platformId };
  });
  for (const p of products.values()) {
    if (p.relationship && !products.has(p.relationship.componentId)) r.fail(`relationship names unknown product "${p.relationship.componentId}"`, p.pointer);
  }

  r.optArray(tree.product_groups, '/product_tree/product_groups').forEach((raw, i) => {
    const gp = ptr('/product_tree/product_groups', i);
    const g = r.object(raw, gp);
    const groupId = r.string(g.group_id, ptr(gp, 'group_id'));
    groups.set(groupId, r.array(g.product_ids, ptr(gp, 'product_ids')).map((x, k) => r.string(x, ptr(ptr(gp, 'product_ids'), k))));
  });
  return { products, groups };
}

export const isCsafDocument = (v: unknown): boolean => isObject(v) && isObject(v.document) && typeof v.document.csaf_version === 'string';
