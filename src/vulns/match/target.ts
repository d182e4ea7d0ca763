/**
 * @module Match targets: building them from SBOM components and product versions, their stable
 * identity across SBOM versions (componentKey), and the prepared form the matcher works on
 * (purl identities, parsed CPEs, hashes, name keys and the match keys), computed once per target
 * object and cached. Targets are treated as immutable once matched.
 */
import type { Component, ComponentFlag } from '../../sbom/index.js';
import { normalizeProductName, normalizeVendorName } from '../normalize-names.js';
import type { Product } from '../ports.js';
import { cpeKey, readCpe, versionOfCpe, type ParsedCpe } from './cpe.js';
import { PRODUCT_SELF_REF, type MatchTarget } from './model.js';
import { foldName, knownComponent, productTokens } from './names.js';
import { identityOfPurl, parsePurl, releaseOfDistroQualifier, upstreamName, purlIdentity } from './purl.js';

/** purl types that say "ecosystem unknown": no evidence for or against another ecosystem's package */
export const VAGUE_PURL_TYPES: ReadonlySet<string> = new Set(['generic', 'github', 'gitlab', 'bitbucket']);

/** Flags that make a component's identity too weak for a confident match. */
export const WEAK_IDENTITY_FLAGS: readonly ComponentFlag[] = ['empty-version', 'purl-without-version', 'generic-purl', 'odd-version', 'invalid-purl'];

export interface TargetPurl {
  identity: string;
  text: string;
  /** 'purl' for the package itself, 'upstream' for its source package (distribution qualifier) */
  via: 'purl' | 'upstream';
  release?: string;
}

export interface TargetCpe {
  parsed: ParsedCpe;
  version?: string;
}

export interface PreparedTarget {
  keys: string[];
  keySet: Set<string>;
  purls: TargetPurl[];
  cpes: TargetCpe[];
  /** CPE keys inferred from the curated firmware/OS name table (not stated by the SBOM) */
  derivedCpeKeys: ReadonlySet<string>;
  /** exact 'vendor/product' keys: stated (supplier or product) */
  vendorProducts: ReadonlySet<string>;
  /** 'vendor/product' keys inferred from the curated name table */
  derivedVendorProducts: ReadonlySet<string>;
  hashes: ReadonlySet<string>;
  nameKey?: string;
  /** words of the purl namespace, supplier and group: who the component says it comes from */
  origin: ReadonlySet<string>;
  /** product targets only: vendor key and product-name tokens for the fuzzy name rule */
  vendor?: string;
  tokens: string[];
  version?: string;
  weakFlags: ComponentFlag[];
  isProduct: boolean;
  /**
   * Everything about the target a match depends on, except its product context and ids: targets
   * with the same signature (the same component in many product versions) get the same match.
   */
  signature: string;
}

export const hashKey = (alg: string, value: string): string => `${alg.toLowerCase().replace(/[^a-z0-9]/g, '')}:${value.trim().toLowerCase()}`;

const present = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);

type ComponentIdentity = { name: string; version?: string; purl?: string; cpes: readonly string[]; hashes: readonly { alg: string; value: string }[] };

/**
 * Identity of a component across SBOM versions: its package (purl type/namespace/name, qualifiers
 * ignored) and version; else its folded name and version; else its first CPE or hash. Same
 * name/version/purl always gives the same key, so triage carries over while the component is unchanged.
 */
export function componentKey(c: ComponentIdentity): string {
  const version = present(c.version);
  const p = c.purl ? parsePurl(c.purl) : undefined;
  if (p) return `purl:${identityOfPurl(p)}@${p.version ?? version ?? ''}`;
  const name = foldName(c.name ?? '');
  if (name !== '') return `name:${name}@${version ?? ''}`;
  const cpe = c.cpes[0];
  if (cpe) return `cpe:${cpe.trim().toLowerCase()}`;
  const h = c.hashes[0];
  if (h) return `hash:${hashKey(h.alg, h.value)}`;
  return 'unnamed';
}

export function targetOfComponent(productId: string, c: Component): MatchTarget {
  const t: MatchTarget = {
    productId,
    componentRef: c.ref,
    componentKey: componentKey(c),
    name: c.name,
    cpes: [...c.cpes],
    hashes: [...c.hashes],
    flags: [...c.flags],
  };
  if (present(c.version)) t.version = c.version;
  if (c.purl) t.purl = c.purl;
  if (c.supplier) t.supplier = c.supplier;
  if (c.group) t.group = c.group;
  if (c.ecosystem) t.ecosystem = c.ecosystem;
  if (c.supplier) {
    const vendor = normalizeVendorName(c.supplier).key;
    if (vendor) {
      t.normalizedVendor = vendor;
      const product = normalizeProductName(c.name, vendor).key;
      if (product) t.normalizedProduct = product;
    }
  }
  return t;
}

type ProductFields = Pick<Product, 'id' | 'manufacturer' | 'name' | 'version' | 'normalizedVendor' | 'normalizedProduct' | 'cpe' | 'purl'>;

/** The product version itself (its firmware/software) as a target; componentRef is PRODUCT_SELF_REF. */
export function productTarget(p: ProductFields): MatchTarget {
  const vendor = p.normalizedVendor || normalizeVendorName(p.manufacturer).key;
  const product = p.normalizedProduct || normalizeProductName(p.name, vendor).key;
  const version = present(p.version);
  const t: MatchTarget = {
    productId: p.id,
    componentRef: PRODUCT_SELF_REF,
    componentKey: `product:${vendor}/${product}@${version ?? ''}`,
    name: p.name,
    cpes: p.cpe ? [p.cpe] : [],
    hashes: [],
    flags: version ? [] : ['empty-version'],
    supplier: p.manufacturer,
    normalizedVendor: vendor,
    normalizedProduct: product,
  };
  if (version) t.version = version;
  if (p.purl) {
    t.purl = p.purl;
    const parsed = parsePurl(p.purl);
    if (parsed) t.ecosystem = parsed.type;
  }
  return t;
}

const cache = new WeakMap<MatchTarget, PreparedTarget>();
/** shared by the many targets that state no hashes, supplier, ...: fewer allocations per target */
const EMPTY: ReadonlySet<string> = new Set();

export function prepareTarget(t: MatchTarget): PreparedTarget {
  const hit = cache.get(t);
  if (hit) return hit;
  const keys = new Set<string>();
  const isProduct = t.componentRef === PRODUCT_SELF_REF;
  const purls: TargetPurl[] = [];
  let purlVersion: string | undefined;
  const p = t.purl ? parsePurl(t.purl) : undefined;
  if (p) {
    const release = releaseOfDistroQualifier(p.qualifiers.distro);
    const base = release ? { release } : {};
    purls.push({ identity: identityOfPurl(p), text: t.purl as string, via: 'purl', ...base });
    const up = upstreamName(p);
    const upId = up ? purlIdentity(p.type, p.namespace, up) : undefined;
    if (upId && upId !== purls[0]?.identity) purls.push({ identity: upId, text: t.purl as string, via: 'upstream', ...base });
    purlVersion = p.version;
    for (const x of purls) keys.add(`purl:${x.identity}`);
  }
  const cpes: TargetCpe[] = [];
  for (const text of t.cpes) {
    const parsed = readCpe(text);
    if (!parsed) continue;
    const v = versionOfCpe(parsed.cpe);
    cpes.push(v ? { parsed, version: v } : { parsed });
    if (parsed.key) keys.add(cpeKey(parsed.key));
  }
  const vendorProducts = t.normalizedVendor && t.normalizedProduct ? new Set([`${t.normalizedVendor}/${t.normalizedProduct}`]) : EMPTY;
  let derivedCpeKeys = EMPTY;
  let derivedVendorProducts = EMPTY;
  // Only for components outside a package ecosystem: distributions backport fixes, so upstream
  // (NVD) version ranges would mislead for pkg:deb/rpm/apk and friends; their own feeds cover them.
  const packaged = p !== undefined && !VAGUE_PURL_TYPES.has(p.type);
  const folded = foldName(t.name);
  const known = packaged ? undefined : (knownComponent(folded, true) ?? (p ? knownComponent(p.name) : undefined));
  if (known) {
    derivedCpeKeys = new Set(known.cpes.filter((c) => !keys.has(cpeKey(c))));
    derivedVendorProducts = new Set(known.vendorProducts.filter((vp) => !vendorProducts.has(vp)));
  }
  for (const c of derivedCpeKeys) keys.add(cpeKey(c));
  for (const vp of [...vendorProducts, ...derivedVendorProducts]) keys.add(`vp:${vp}`);
  const vendor = isProduct && t.normalizedVendor ? t.normalizedVendor : undefined;
  if (vendor) keys.add(`v:${vendor}`);
  const hashes = t.hashes.length === 0 ? EMPTY : new Set(t.hashes.map((h) => hashKey(h.alg, h.value)));
  for (const k of hashes) keys.add(`hash:${k}`);
  const originText = p?.namespace || t.supplier || t.group ? `${p?.namespace ?? ''} ${t.supplier ?? ''} ${t.group ?? ''}` : '';
  const origin = originText === '' ? EMPTY : new Set(foldName(originText).split(' ').filter((w) => w.length >= 3));
  const nameKey = folded !== '' ? folded : undefined;
  if (nameKey) keys.add(`name:${nameKey}`);
  const prepared: PreparedTarget = {
    keys: [...keys],
    keySet: keys,
    purls,
    cpes,
    derivedCpeKeys,
    vendorProducts,
    derivedVendorProducts,
    hashes,
    origin,
    tokens: isProduct ? productTokens(t.normalizedProduct ?? t.name) : [],
    weakFlags: t.flags.filter((f) => WEAK_IDENTITY_FLAGS.includes(f)),
    isProduct,
    signature: '',
  };
  if (nameKey) prepared.nameKey = nameKey;
  if (vendor) prepared.vendor = vendor;
  const version = present(purlVersion) ?? present(t.version);
  if (version) prepared.version = version;
  prepared.signature = [t.name, version ?? '', t.purl ?? '', t.supplier ?? '', t.group ?? '', prepared.weakFlags.join(','), ...t.cpes, ...prepared.keys].join('\u0000');
  cache.set(t, prepared);
  return prepared;
}

/** Match keys of a target (same key space as matchKeysOfAdvisory). */
export function matchKeysOfTarget(t: MatchTarget): string[] {
  return [...prepareTarget(t).keys];
}

/**
 * Fill productCpes on each target with the CPEs of every target of the same product, so "running
 * on" requirements can be decided when targets are later matched one by one (matchTarget).
 */
export function withProductContext(targets: readonly MatchTarget[]): MatchTarget[] {
  const byProduct = new Map<string, string[]>();
  for (const t of targets) {
    const list = byProduct.get(t.productId) ?? [];
    list.push(...t.cpes);
    byProduct.set(t.productId, list);
  }
  return targets.map((t) => ({ ...t, productCpes: [...new Set(byProduct.get(t.productId) ?? [])] }));
}
