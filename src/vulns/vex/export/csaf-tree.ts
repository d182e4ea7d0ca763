/**
 * @module CSAF 2.0 product tree for an export: the product and each component as
 * vendor > product_name > product_version branches (components without a known vendor start at
 * product_name), product_identification_helper purl/CPE when they are valid, and one
 * `default_component_of` relationship per component so statuses can name "component X in
 * product P". A second product at an occupied branch position goes to full_product_names,
 * because a CSAF branch holds exactly one product or one list of branches.
 */
import { PackageURL } from 'packageurl-js';
import type { Product } from '../../ports.js';
import { componentTitle, productTitle, type ExportComponent } from './common.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

/** The CSAF 2.0 schema's CPE 2.2/2.3 pattern. */
const CPE_PATTERN =
  /^((cpe:2\.3:[aho*-](:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[*-]))(:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){4})|([c][pP][eE]:\/[AHOaho]?(:[A-Za-z0-9._\-~%]*){0,6}))$/;

function validPurl(purl: string | undefined): string | undefined {
  if (!purl || !/^pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*\/.+/.test(purl)) return undefined;
  try {
    PackageURL.fromString(purl);
    return purl;
  } catch {
    // mandatory test 6.1.13 rejects purls packageurl-js cannot parse; leave them out
    return undefined;
  }
}

/** Words and operators mandatory test 6.1.31 treats as a range inside a product_version name. */
export function looksLikeRange(version: string): boolean {
  const lower = version.toLowerCase();
  if (['<', '>'].some((op) => lower.includes(op))) return true;
  const words = new Set(lower.split(/\s/));
  return ['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions'].some((w) => words.has(w));
}

interface Leaf {
  vendor?: string;
  productName: string;
  version?: string;
  fpn: { [k: string]: Json | undefined };
}

export interface CsafProductTree {
  productId: string;
  /** product id of "component X as part of the product", by component key */
  idOf(component: ExportComponent): string;
  json: Json;
}

function fullProductName(productId: string, name: string, purl?: string, cpe?: string): Leaf['fpn'] {
  const helper: { [k: string]: Json | undefined } = {};
  const p = validPurl(purl);
  if (p) helper.purl = p;
  if (cpe && CPE_PATTERN.test(cpe)) helper.cpe = cpe;
  return Object.keys(helper).length > 0 ? { name, product_id: productId, product_identification_helper: helper } : { name, product_id: productId };
}

function branchesOf(leaves: Leaf[], loose: Leaf['fpn'][]): Json[] {
  const byVendor = new Map<string, Map<string, Leaf[]>>();
  for (const leaf of leaves) {
    const vendorKey = leaf.vendor ?? '';
    let names = byVendor.get(vendorKey);
    if (!names) byVendor.set(vendorKey, (names = new Map()));
    const list = names.get(leaf.productName);
    if (list) list.push(leaf);
    else names.set(leaf.productName, [leaf]);
  }
  const out: Json[] = [];
  for (const [vendor, names] of byVendor) {
    const nameBranches: Json[] = [];
    for (const [name, list] of names) {
      const versioned = new Map<string, Leaf>();
      const bare: Leaf[] = [];
      for (const leaf of list) {
        if (leaf.version === undefined) bare.push(leaf);
        else if (versioned.has(leaf.version)) loose.push(leaf.fpn);
        else versioned.set(leaf.version, leaf);
      }
      if (versioned.size === 0) {
        nameBranches.push({ category: 'product_name', name, product: bare[0]!.fpn });
        loose.push(...bare.slice(1).map((l) => l.fpn));
        continue;
      }
      loose.push(...bare.map((l) => l.fpn));
      nameBranches.push({
        category: 'product_name',
        name,
        branches: [...versioned].map(([version, leaf]) => ({ category: looksLikeRange(version) ? 'product_version_range' : 'product_version', name: version, product: leaf.fpn })),
      });
    }
    if (vendor === '') out.push(...nameBranches);
    else out.push({ category: 'vendor', name: vendor, branches: nameBranches });
  }
  return out;
}

/** Vendor of a component: its SBOM supplier, else the namespace of its purl (Maven group, npm scope, ...). */
function vendorOf(c: ExportComponent): string | undefined {
  if (c.supplier?.trim()) return c.supplier.trim();
  if (c.group?.trim()) return c.group.trim();
  const ns = c.purl ? /^pkg:[^/]+\/(.+)\/[^/]+$/.exec(c.purl.split(/[@?#]/)[0] ?? '')?.[1] : undefined;
  if (!ns) return undefined;
  try {
    return decodeURIComponent(ns);
  } catch {
    return ns;
  }
}

export function buildProductTree(product: Product, components: readonly ExportComponent[]): CsafProductTree {
  let n = 0;
  const nextId = (): string => `CSAFPID-${String(++n).padStart(4, '0')}`;
  const productId = nextId();
  const productName = productTitle(product);
  const leaves: Leaf[] = [
    {
      vendor: product.manufacturer.trim() || undefined,
      productName: product.name.trim() || productName,
      ...(product.version.trim() !== '' ? { version: product.version.trim() } : {}),
      fpn: fullProductName(productId, productName, product.purl, product.cpe),
    },
  ];
  const componentIds = new Map<string, string>();
  for (const c of components) {
    if (c.isProduct) continue;
    const id = nextId();
    componentIds.set(c.key, id);
    const vendor = vendorOf(c);
    leaves.push({ ...(vendor ? { vendor } : {}), productName: c.name, ...(c.version ? { version: c.version } : {}), fpn: fullProductName(id, componentTitle(c), c.purl, c.cpe) });
  }
  const relationships: Json[] = [];
  const relIds = new Map<string, string>();
  for (const c of components) {
    const componentId = componentIds.get(c.key);
    if (!componentId) continue;
    const id = nextId();
    relIds.set(c.key, id);
    relationships.push({
      category: 'default_component_of',
      full_product_name: { name: `${componentTitle(c)} as a component of ${productName}`, product_id: id },
      product_reference: componentId,
      relates_to_product_reference: productId,
    });
  }
  const loose: Leaf['fpn'][] = [];
  const branches = branchesOf(leaves, loose);
  return {
    productId,
    idOf: (c) => (c.isProduct ? productId : relIds.get(c.key)!),
    json: { branches, full_product_names: loose.length > 0 ? loose : undefined, relationships: relationships.length > 0 ? relationships : undefined },
  };
}
