/**
 * @module Which inventory devices run which product version: the bridge between the inventory
 * (manufacturer, model, firmware) and vulnerability findings, used for device-level risk, rollups
 * per unit and site, and alerts. Built by paging through the inventory; cached briefly because a
 * feed sync re-matches many products in a row.
 */
import type { Criticality, Device, DeviceQuery, Page, PhiHandling } from '../inventory/index.js';
import type { NetworkExposure } from '../risk/index.js';
import { productKeys, type ProductKeys } from './products.js';

export interface DeviceContext {
  id: string;
  name?: string;
  category?: string;
  criticality?: Criticality;
  phiHandling?: PhiHandling;
  site?: string;
  building?: string;
  unit?: string;
  manufacturer: string;
  model: string;
  version: string;
  ips: string[];
  /** what passive monitoring observed about the device's addresses, when it did */
  exposure?: NetworkExposure;
}

/** Exposure per IP address (from netmon); absent addresses are unknown, never "safe". */
export type ExposureProvider = () => Promise<ReadonlyMap<string, NetworkExposure>>;

function mergeExposure(list: readonly NetworkExposure[]): NetworkExposure | undefined {
  if (list.length === 0) return undefined;
  const out: NetworkExposure = { internetExposed: list.some((e) => e.internetExposed === true), source: 'netmon' };
  const zone = list.find((e) => e.zone)?.zone;
  if (zone) out.zone = zone;
  out.reachableFromZones = [...new Set(list.flatMap((e) => e.reachableFromZones ?? []))];
  out.cleartextProtocols = [...new Set(list.flatMap((e) => e.cleartextProtocols ?? []))];
  return out;
}

export interface InventoryReader {
  search(query: DeviceQuery): Promise<Page<Device>>;
}

const keyOf = (k: ProductKeys): string => `${k.normalizedVendor}\u0000${k.normalizedProduct}\u0000${k.version}`;

/** The version a product is known by: firmware first (medical devices), else software. */
export const deviceProductVersion = (d: Pick<Device, 'firmwareVersion' | 'softwareVersion'>): string => d.firmwareVersion ?? d.softwareVersion ?? '';

export function deviceContextOf(d: Device): DeviceContext | undefined {
  if (!d.manufacturer || !d.model) return undefined;
  const c: DeviceContext = { id: d.id, manufacturer: d.manufacturer, model: d.model, version: deviceProductVersion(d), ips: d.network.ips };
  if (d.name) c.name = d.name;
  if (d.category) c.category = d.category;
  if (d.criticality) c.criticality = d.criticality;
  if (d.phiHandling) c.phiHandling = d.phiHandling;
  if (d.site) c.site = d.site;
  if (d.building) c.building = d.building;
  if (d.unit) c.unit = d.unit;
  return c;
}

export type DeviceLookup = (p: ProductKeys) => DeviceContext[];

export class DeviceDirectory {
  private byProduct: Map<string, DeviceContext[]> | undefined;
  private builtAt = 0;

  constructor(
    private readonly inventory: InventoryReader,
    private readonly nowMs: () => number,
    private readonly ttlMs = 30_000,
    private readonly exposure?: ExposureProvider,
  ) {}

  invalidate(): void {
    this.byProduct = undefined;
  }

  /** Devices grouped by product identity (normalized vendor, product, version). */
  async all(): Promise<Map<string, DeviceContext[]>> {
    if (this.byProduct && this.nowMs() - this.builtAt < this.ttlMs) return this.byProduct;
    const map = new Map<string, DeviceContext[]>();
    const exposures = this.exposure ? await this.exposure() : undefined;
    let cursor: string | undefined;
    do {
      const page = await this.inventory.search({ limit: 200, sort: 'name', ...(cursor ? { cursor } : {}) });
      for (const d of page.items) {
        const c = deviceContextOf(d);
        if (!c || d.status === 'retired' || d.status === 'disposed') continue;
        if (exposures) {
          const e = mergeExposure(c.ips.map((ip) => exposures.get(ip)).filter((x): x is NetworkExposure => x !== undefined));
          if (e) c.exposure = e;
        }
        let k: string;
        try {
          k = keyOf(productKeys({ manufacturer: c.manufacturer, name: c.model, version: c.version }));
        } catch {
          continue; // unusable names never link to a product
        }
        const list = map.get(k);
        if (list) list.push(c);
        else map.set(k, [c]);
      }
      cursor = page.nextCursor;
    } while (cursor);
    this.byProduct = map;
    this.builtAt = this.nowMs();
    return map;
  }

  async devicesOf(p: ProductKeys): Promise<DeviceContext[]> {
    return (await this.all()).get(keyOf(p)) ?? [];
  }

  /**
   * A synchronous lookup over the current directory. Load it before opening a store transaction:
   * on SQLite the transaction holds the only connection, so reading the inventory inside it would wait forever.
   */
  async snapshot(): Promise<DeviceLookup> {
    const map = await this.all();
    return (p) => map.get(keyOf(p)) ?? [];
  }
}
