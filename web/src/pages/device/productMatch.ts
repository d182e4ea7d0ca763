/**
 * @module Which vulnerability-tracked product a device runs. The server links devices to products by
 * manufacturer, model and version (firmware first, else software); the dashboard has no endpoint for
 * "the product of this device", so it searches products by model and picks the one whose names and
 * version agree. Names are compared loosely (case, punctuation and spacing ignored, or the server's
 * normalized names) because a product may have been created from an SBOM that spells them differently.
 */
import type { DeviceAttributes } from '../../api/types.js';
import type { Product } from '../../api/vulns.js';

/** "Plum A+" -> "plum a", "GE  Healthcare," -> "ge healthcare" */
export const looseName = (s: string | undefined): string =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** the version a device's product is known by (mirrors the server's deviceProductVersion) */
export const deviceProductVersion = (d: Pick<DeviceAttributes, 'firmwareVersion' | 'softwareVersion'>): string => (d.firmwareVersion ?? d.softwareVersion ?? '').trim();

export interface DeviceProductMatch {
  /** the product with the device's manufacturer, model and version */
  product?: Product;
  /** same manufacturer and model, other versions: shown when the exact version is not tracked */
  otherVersions: Product[];
}

const sameName = (a: string, ...candidates: string[]): boolean => {
  const l = looseName(a);
  return l !== '' && candidates.some((c) => looseName(c) === l);
};

export function matchDeviceProduct(device: Pick<DeviceAttributes, 'manufacturer' | 'model' | 'firmwareVersion' | 'softwareVersion'>, products: readonly Product[]): DeviceProductMatch {
  const { manufacturer, model } = device;
  if (!manufacturer || !model) return { otherVersions: [] };
  const version = deviceProductVersion(device);
  const sameModel = products.filter((p) => sameName(manufacturer, p.manufacturer, p.normalizedVendor) && sameName(model, p.name, p.normalizedProduct));
  const product = sameModel.find((p) => p.version.trim() === version);
  return { ...(product ? { product } : {}), otherVersions: sameModel.filter((p) => p !== product) };
}
