/**
 * @module Identity claims: identifiers a device declares about itself on the wire (the serial number
 * of a UPnP description, a DICOM AE title) that any host can declare, judged before the inventory
 * merges on them. A claim is refused when it names a record whose own identifying MACs are known and
 * none of them is the claimant's: merging on it would give that record (an infusion pump imported
 * from the asset system, say) the claimant's MAC and address, and its alerts would land on the
 * wrong box. When no record knows the identifier by MAC and two hosts of one capture claim it, it is
 * refused for both (which one is genuine cannot be told). A claimant without an identifying MAC (seen
 * through a router, on loopback) has nothing to contradict, so its claims stand: AE-title merging of
 * devices known only by AE title keeps working. Pure.
 */
import { cleanText, emptyNetwork, identityKeysOf, identityKeyString, isIdentifyingMac, normalizeAeTitle, serialScopeCompatible, type Device, type DeviceReport, type IdentityKey } from '../../inventory/index.js';
import { declaredSerial, type DiscoveredDevice } from './devices.js';

/** The claims are judged at two moments of an ingest (AE titles travel with the identifiers, serials after them). */
export type ClaimKind = 'serial' | 'ae_title';

export interface IdentityClaim {
  kind: ClaimKind;
  /** as the device declared it */
  value: string;
  /** the merge key it would be (the inventory's own normalization) */
  key: IdentityKey;
  /** the maker a serial was declared with: serials are unique only per maker */
  manufacturer?: string;
  /** the first frame that showed it */
  frame?: number;
}

/** A discovered device with what it claims. */
export interface Claimant {
  /** the discovered device's key ("mac:02:00:00:00:03:40") */
  key: string;
  name: string;
  /** its identifying MACs */
  macs: string[];
  ips: string[];
  claims: IdentityClaim[];
}

/** An inventory record holding a claimed identifier: what a verdict needs of it. */
export interface ClaimHolder {
  id: string;
  name?: string;
  manufacturer?: string;
  /** its identifying MACs */
  macs: string[];
}

export interface IdentityConflict {
  claimant: Claimant;
  claim: IdentityClaim;
  /**
   * `record`: inventory records hold the identifier and know other MACs (`owners`);
   * `rivals`: no record knows it by MAC, and other hosts of the same capture claim it (`rivals`).
   */
  basis: 'record' | 'rivals';
  owners: ClaimHolder[];
  rivals: Claimant[];
}

/** The identifiers a discovered device declares that the inventory would merge on. */
export function claimsOf(d: DiscoveredDevice): IdentityClaim[] {
  const claims: IdentityClaim[] = [];
  const serial = declaredSerial(d);
  const serialText = serial ? cleanText(serial.value) : undefined;
  const serialKeyOf = serialText === undefined ? undefined : identityKeysOf({ serialNumber: serialText }, emptyNetwork())[0];
  if (serial && serialKeyOf) {
    claims.push({ kind: 'serial', value: serial.value, key: serialKeyOf, manufacturer: serial.manufacturer.value, ...(serial.frame === undefined ? {} : { frame: serial.frame }) });
  }
  d.aeTitles.forEach((value, i) => {
    const ae = normalizeAeTitle(value);
    const key = ae === undefined ? undefined : identityKeysOf({}, { macs: [], aeTitles: [ae] })[0];
    const frame = d.aeTitleFrames[i];
    if (key) claims.push({ kind: 'ae_title', value, key, ...(frame === undefined ? {} : { frame }) });
  });
  return claims;
}

export function claimantOf(d: DiscoveredDevice): Claimant {
  return { key: d.key, name: d.name, macs: d.macs.filter(isIdentifyingMac), ips: d.ips, claims: claimsOf(d) };
}

export const holderOf = (d: Device): ClaimHolder => ({
  id: d.id,
  ...(d.name === undefined ? {} : { name: d.name }),
  ...(d.manufacturer === undefined ? {} : { manufacturer: d.manufacturer }),
  macs: d.network.macs.filter(isIdentifyingMac),
});

const disjoint = (a: readonly string[], b: readonly string[]): boolean => !a.some((x) => b.includes(x));

/** Two claims of one identifier: the same key, and for serials makers that may share a numbering. */
const sameIdentifier = (a: IdentityClaim, b: IdentityClaim): boolean =>
  identityKeyString(a.key) === identityKeyString(b.key) && (a.kind !== 'serial' || serialScopeCompatible(a.manufacturer, b.manufacturer));

/**
 * Judges one claim. `holders`: the inventory records indexed under the claimed key; `others`: the
 * other claimants of the same capture. Undefined when the claim stands.
 */
export function judgeClaim(claimant: Claimant, claim: IdentityClaim, holders: readonly ClaimHolder[], others: readonly Claimant[]): IdentityConflict | undefined {
  if (claimant.macs.length === 0) return undefined;
  const known = holders.filter((h) => h.macs.length > 0 && (claim.kind !== 'serial' || serialScopeCompatible(claim.manufacturer, h.manufacturer)));
  if (known.length > 0) {
    // The records that know the identifier by MAC decide; hosts of this capture do not.
    const owners = known.filter((h) => disjoint(h.macs, claimant.macs));
    return owners.length === 0 ? undefined : { claimant, claim, basis: 'record', owners, rivals: [] };
  }
  const rivals = others.filter((o) => o !== claimant && o.macs.length > 0 && disjoint(o.macs, claimant.macs) && o.claims.some((c) => sameIdentifier(c, claim)));
  return rivals.length === 0 ? undefined : { claimant, claim, basis: 'rivals', owners: [], rivals };
}

/**
 * The conflicts among the claims of one kind. `records`: inventory devices holding any of the
 * claimed keys (extra ones are ignored).
 */
export function findIdentityConflicts(claimants: readonly Claimant[], kind: ClaimKind, records: readonly Device[]): IdentityConflict[] {
  const byKey = new Map<string, ClaimHolder[]>();
  for (const d of records) {
    const holder = holderOf(d);
    for (const k of identityKeysOf(d, d.network)) {
      if (k.kind !== kind) continue;
      const s = identityKeyString(k);
      const list = byKey.get(s);
      if (list) list.push(holder);
      else byKey.set(s, [holder]);
    }
  }
  const conflicts: IdentityConflict[] = [];
  for (const c of claimants) {
    for (const claim of c.claims) {
      if (claim.kind !== kind) continue;
      const conflict = judgeClaim(c, claim, byKey.get(identityKeyString(claim.key)) ?? [], claimants);
      if (conflict) conflicts.push(conflict);
    }
  }
  return conflicts;
}

/** The keys to look up in the inventory before judging claims of one kind. */
export function claimedKeys(claimants: readonly Claimant[], kind: ClaimKind): IdentityKey[] {
  const seen = new Map<string, IdentityKey>();
  for (const c of claimants) {
    if (c.macs.length === 0) continue;
    for (const claim of c.claims) if (claim.kind === kind) seen.set(identityKeyString(claim.key), claim.key);
  }
  return [...seen.values()];
}

/**
 * A device's reports without the refused claims: no serial number attribute for a refused serial,
 * no refused AE title among the network identities. The claim stays in the capture's report and
 * in the conflict's alert, not in the inventory.
 */
export function withoutRefusedClaims(reports: readonly DeviceReport[], refused: readonly IdentityClaim[]): DeviceReport[] {
  if (refused.length === 0) return [...reports];
  const serials = new Set(refused.filter((c) => c.kind === 'serial').map((c) => c.value));
  const aeTitles = new Set(refused.filter((c) => c.kind === 'ae_title').map((c) => c.value));
  return reports.map((r) => {
    let out = r;
    if (r.attributes.serialNumber !== undefined && serials.has(r.attributes.serialNumber)) {
      const { serialNumber: _refused, ...attributes } = r.attributes;
      out = { ...out, attributes };
    }
    if (r.network?.aeTitles?.some((ae) => aeTitles.has(ae))) out = { ...out, network: { ...r.network, aeTitles: r.network.aeTitles.filter((ae) => !aeTitles.has(ae)) } };
    return out;
  });
}
