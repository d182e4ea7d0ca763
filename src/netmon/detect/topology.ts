/**
 * @module Topology: what the policy says about an address. Zone by the device map first, else by
 * the longest matching zone CIDR; device entry; criticality (set, or the default of its inventory
 * category); whether the address is internal (private/special, or claimed by a non-external zone or
 * the device map: some hospitals run on public address space) or on the internet. Answers are
 * cached per address text in a bounded map (cleared when full: the lookups are cheap to redo).
 */
import { getCategory, type Criticality } from '../../inventory/index.js';
import { cidrContains, isGroupScope, parseIp, scopeOf, type AddressScope, type Cidr, type ParsedIp } from './addresses.js';
import { EMPTY_POLICY, type DeviceEntry, type NetmonPolicy, type Zone } from './policy.js';

export interface AddressInfo {
  ip: string;
  parsed?: ParsedIp;
  scope: AddressScope;
  zone?: Zone;
  device?: DeviceEntry;
  criticality?: Criticality;
  /** part of the monitored network: gets a baseline and is judged by device rules */
  internal: boolean;
  /** on the internet: global unicast outside every non-external zone and the device map, or in an external zone */
  internet: boolean;
  /** multicast, broadcast or unspecified */
  group: boolean;
}

const MAX_CACHE = 65_536;
const LOCAL_SCOPES: ReadonlySet<AddressScope> = new Set(['private', 'shared', 'loopback', 'link-local', 'unique-local']);

/** Clinical = any criticality but non-clinical. */
export const isClinical = (c: Criticality | undefined): boolean => c !== undefined && c !== 'non-clinical';

export class Topology {
  private readonly blocks: Array<{ cidr: Cidr; zone: Zone }>;
  private readonly byIp = new Map<string, DeviceEntry>();
  private readonly zonesByName = new Map<string, Zone>();
  private readonly cache = new Map<string, AddressInfo>();

  constructor(readonly policy: NetmonPolicy = EMPTY_POLICY) {
    for (const z of policy.zones) this.zonesByName.set(z.name, z);
    // most specific block first: 10.1.2.0/24 in "imaging" wins over 10.0.0.0/8 in "hospital"
    this.blocks = policy.zones.flatMap((zone) => zone.cidrs.map((cidr) => ({ cidr, zone }))).sort((a, b) => b.cidr.bits - a.cidr.bits);
    for (const d of policy.devices) {
      const p = parseIp(d.ip);
      // the map is keyed by canonical text so "10.0.0.05"-style variants cannot miss; parseIp refuses those anyway
      this.byIp.set(p ? canonical(d.ip, p) : d.ip, d);
    }
  }

  get hasZones(): boolean {
    return this.policy.zones.length > 0;
  }

  zone(name: string): Zone | undefined {
    return this.zonesByName.get(name);
  }

  info(ip: string): AddressInfo {
    const hit = this.cache.get(ip);
    if (hit) return hit;
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    const info = this.compute(ip);
    this.cache.set(ip, info);
    return info;
  }

  /** Matches a CIDR list (policy allow-lists) against an address. */
  inAny(ip: string, cidrs: readonly Cidr[]): boolean {
    const p = this.info(ip).parsed;
    return p !== undefined && cidrs.some((c) => cidrContains(c, p));
  }

  private compute(ip: string): AddressInfo {
    const parsed = parseIp(ip);
    const scope = parsed ? scopeOf(parsed) : 'reserved';
    const device = parsed ? this.byIp.get(canonical(ip, parsed)) : undefined;
    let zone = device?.zone === undefined ? undefined : this.zonesByName.get(device.zone);
    if (!zone && parsed) zone = this.blocks.find((b) => cidrContains(b.cidr, parsed))?.zone;
    const criticality = device?.criticality ?? (device?.category ? getCategory(device.category)?.defaultCriticality : undefined);
    const group = isGroupScope(scope);
    const claimed = device !== undefined || (zone !== undefined && !zone.external);
    const internet = !group && (zone?.external === true || (scope === 'global' && !claimed));
    return {
      ip,
      scope,
      group,
      internet,
      internal: !group && !internet && (claimed || LOCAL_SCOPES.has(scope)),
      ...(parsed ? { parsed } : {}),
      ...(zone ? { zone } : {}),
      ...(device ? { device } : {}),
      ...(criticality ? { criticality } : {}),
    };
  }
}

/** Canonical key of an address: IPv4 as is, IPv6 by its value (so "::1" and "0::1" agree). */
function canonical(text: string, p: ParsedIp): string {
  return p.v === 4 ? text : `v6:${p.value.toString(16)}`;
}
