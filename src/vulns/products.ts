/**
 * @module Product versions: what a device runs (manufacturer, model, firmware) and what an SBOM
 * describes. Names are normalized once here so inventory devices, SBOMs and advisories meet on the
 * same keys; the product line (vendor/product without version) keys triage carry-over.
 */
import { invalidInput } from '../core/index.js';
import { normalizeProductName, normalizeVendorName } from './normalize-names.js';
import type { Product, RubricAnswers } from './ports.js';

export interface ProductInput {
  manufacturer: string;
  name: string;
  version?: string;
  cpe?: string;
  purl?: string;
  rubric?: RubricAnswers;
}

const MAX_FIELD = 256;

function text(value: unknown, field: string, required: boolean): string {
  if (value === undefined || value === null) {
    if (required) throw invalidInput('product.invalid', `product ${field} is required`, { location: { pointer: `/${field}` } });
    return '';
  }
  if (typeof value !== 'string') throw invalidInput('product.invalid', `product ${field} must be a string`, { location: { pointer: `/${field}` } });
  const t = value.trim();
  if (required && t === '') throw invalidInput('product.invalid', `product ${field} must not be empty`, { location: { pointer: `/${field}` } });
  if (t.length > MAX_FIELD) throw invalidInput('product.invalid', `product ${field} is longer than ${MAX_FIELD} characters`, { location: { pointer: `/${field}` } });
  return t;
}

export interface ProductKeys {
  normalizedVendor: string;
  normalizedProduct: string;
  version: string;
}

/** The normalized identity of a product version; throws product.invalid on unusable names. */
export function productKeys(input: Pick<ProductInput, 'manufacturer' | 'name' | 'version'>): ProductKeys {
  const manufacturer = text(input.manufacturer, 'manufacturer', true);
  const name = text(input.name, 'name', true);
  const vendor = normalizeVendorName(manufacturer);
  const normalizedVendor = vendor.key || manufacturer.toLowerCase();
  const normalizedProduct = normalizeProductName(name, normalizedVendor).key || name.toLowerCase();
  return { normalizedVendor, normalizedProduct, version: text(input.version, 'version', false) };
}

/** A new Product record (id and times supplied by the caller). */
export function buildProduct(input: ProductInput, origin: string, id: string, now: string): Product {
  const keys = productKeys(input);
  const p: Product = {
    id,
    manufacturer: text(input.manufacturer, 'manufacturer', true),
    name: text(input.name, 'name', true),
    ...keys,
    origin,
    createdAt: now,
    updatedAt: now,
  };
  const cpe = text(input.cpe, 'cpe', false);
  const purl = text(input.purl, 'purl', false);
  if (cpe) p.cpe = cpe;
  if (purl) p.purl = purl;
  if (input.rubric) p.rubric = input.rubric;
  return p;
}

/** Key of the product line (all versions): triage decisions carry over within it. */
export const productLineOf = (p: Pick<Product, 'normalizedVendor' | 'normalizedProduct'>): string => `${p.normalizedVendor}/${p.normalizedProduct}`;

/** "Baxter Sigma Spectrum 8.00.01" */
export const productLabel = (p: Pick<Product, 'manufacturer' | 'name' | 'version'>): string => [p.manufacturer, p.name, p.version].filter((s) => s !== '').join(' ');
