/**
 * @module Identity claims: identifiers a device declares about itself on the wire (the serial number
 * of a UPnP description, a DICOM AE title) that any host can declare, judged before the inventory
 * merges on them. A claim is refused when it names a record whose own identifying MACs are known and
 * none of them is the claimant's: merging on it would give that record (an infusion pump imported
 * from the asset system, say) the claimant's MAC and address, and its alerts would land on the
 * wrong box. When no record knows the identifier by MAC and two hosts of one capture claim it, it is
 * refused for both (which one is genuine cannot be told). A claimant without an identifying MAC (seen
 * through a router, on loopback) is judged by the MACs of the record its other identifiers merged it
 * into, when that record knows some (`recordMacs`); otherwise its claims stand (AE-title merging of
 * devices known only by AE title, and of routed devices into their records, keeps working) unless
 * they name records known by different MACs, which merging on them would fold into one. Pure.
 */
import { cleanText, emptyNetwork, identityKeysOf, identityKeyString, isIdentifyingMac, manufacturerKey, normalizeAeTitle, serialScopeCompatible, type Device, type DeviceReport, type IdentityKey } from '../../inventory/index.js';
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
  /**
   * Without identifying MACs of its own (routed, loopback): the identifying MACs of the inventory
   * record its other identifiers merged it into, which a merge on its claims would join.
   */
  recordMacs?: string[];
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
  /** at most MAX_LISTED_RIVALS of them */
  rivals: Claimant[];
  /** how many rivals there are, when more than `rivals` lists */
  rivalCount?: number;
}

/**
 * Most rivals one conflict lists (all are counted): when every unit of a fleet declares one serial,
 * each unit's conflict listing all the others was quadratic in time and memory.
 */
export const MAX_LISTED_RIVALS = 16;

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

/** The MACs a claimant is judged by: its own, else those of the record it merged into. */
export const judgedMacs = (c: Claimant): string[] => (c.macs.length > 0 ? c.macs : (c.recordMacs ?? []));

/** Two claims of one identifier: the same key, and for serials makers that may share a numbering. */
const sameIdentifier = (a: IdentityClaim, b: IdentityClaim): boolean =>
  identityKeyString(a.key) === identityKeyString(b.key) && (a.kind !== 'serial' || serialScopeCompatible(a.manufacturer, b.manufacturer));

/** The records holding a claimed identifier that know it by MAC (for a serial: of a maker that may share its numbering). */
const knownHolders = (claim: IdentityClaim, holders: readonly ClaimHolder[]): ClaimHolder[] =>
  holders.filter((h) => h.macs.length > 0 && (claim.kind !== 'serial' || serialScopeCompatible(claim.manufacturer, h.manufacturer)));

/**
 * Judges one claim. `holders`: the inventory records indexed under the claimed key; `others`: the
 * other claimants of the same capture (those claiming the same key suffice). Undefined when the
 * claim stands. A claimant judged by no MAC (see judgedMacs) is left to findIdentityConflicts.
 */
export function judgeClaim(claimant: Claimant, claim: IdentityClaim, holders: readonly ClaimHolder[], others: readonly Claimant[]): IdentityConflict | undefined {
  return verdict(claimant, claim, holders, () => {
    const macs = judgedMacs(claimant);
    const all = others.filter((o) => o !== claimant && judgedMacs(o).length > 0 && disjoint(judgedMacs(o), macs) && o.claims.some((c) => sameIdentifier(c, claim)));
    return { listed: all.slice(0, MAX_LISTED_RIVALS), count: all.length };
  });
}

interface Rivals {
  listed: Claimant[];
  count: number;
}

function verdict(claimant: Claimant, claim: IdentityClaim, holders: readonly ClaimHolder[], rivalsOf: () => Rivals): IdentityConflict | undefined {
  const macs = judgedMacs(claimant);
  if (macs.length === 0) return undefined;
  const known = knownHolders(claim, holders);
  if (known.length > 0) {
    // The records that know the identifier by MAC decide; hosts of this capture do not.
    const owners = known.filter((h) => disjoint(h.macs, macs));
    return owners.length === 0 ? undefined : { claimant, claim, basis: 'record', owners, rivals: [] };
  }
  const { listed, count } = rivalsOf();
  if (count === 0) return undefined;
  return { claimant, claim, basis: 'rivals', owners: [], rivals: listed, ...(count > listed.length ? { rivalCount: count } : {}) };
}

/**
 * The claimants judged by a MAC, by the identifier they claim and then by the maker a serial was
 * declared with (serials are unique per maker): a claim's rivals are found among those of its own
 * identifier, less the few that share a MAC with the claimant, in work that does not grow with the
 * number of claimants of one identifier.
 */
class RivalIndex {
  /** identifier -> maker key ('' when none) -> claimants */
  private readonly byKey = new Map<string, Map<string, Claimant[]>>();
  /** identifier -> claimant -> its maker key */
  private readonly makerOf = new Map<string, Map<Claimant, string>>();
  private readonly byMac = new Map<string, Claimant[]>();

  constructor(claimants: readonly Claimant[], kind: ClaimKind) {
    for (const c of claimants) {
      const macs = judgedMacs(c);
      if (macs.length === 0) continue;
      for (const m of macs) push(this.byMac, m, c);
      for (const claim of c.claims) {
        if (claim.kind !== kind) continue;
        const s = identityKeyString(claim.key);
        let makers = this.makerOf.get(s);
        if (!makers) this.makerOf.set(s, (makers = new Map()));
        if (makers.has(c)) continue;
        const maker = claim.manufacturer ? manufacturerKey(claim.manufacturer) : '';
        makers.set(c, maker);
        let groups = this.byKey.get(s);
        if (!groups) this.byKey.set(s, (groups = new Map()));
        push(groups, maker, c);
      }
    }
  }

  rivals(claimant: Claimant, claim: IdentityClaim): Rivals {
    const s = identityKeyString(claim.key);
    const groups = this.byKey.get(s);
    if (!groups) return { listed: [], count: 0 };
    // serialScopeCompatible: the same maker, or either unknown
    const maker = claim.kind === 'serial' && claim.manufacturer ? manufacturerKey(claim.manufacturer) : undefined;
    const compatible = (m: string) => maker === undefined || m === '' || m === maker;
    const lists = [...groups].filter(([m]) => compatible(m)).map(([, list]) => list);
    // those sharing a MAC with the claimant (itself included) are the same host, not rivals
    const same = new Set(judgedMacs(claimant).flatMap((m) => this.byMac.get(m) ?? []));
    same.add(claimant);
    const makers = this.makerOf.get(s)!;
    let count = lists.reduce((n, list) => n + list.length, 0);
    for (const o of same) {
      const m = makers.get(o);
      if (m !== undefined && compatible(m)) count--;
    }
    const listed: Claimant[] = [];
    for (const list of lists) {
      for (const o of list) {
        if (listed.length === MAX_LISTED_RIVALS) return { listed, count };
        if (!same.has(o)) listed.push(o);
      }
    }
    return { listed, count };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The claims of one kind of a claimant judged by no MAC: they stand unless the records knowing them
 * by MAC include two with no MAC in common, which merging on them would fold into one device. Then
 * each claim naming such a record is refused.
 */
function judgeUnplacedClaims(claimant: Claimant, claims: readonly IdentityClaim[], holdersOf: (claim: IdentityClaim) => readonly ClaimHolder[]): IdentityConflict[] {
  const known = claims.map((claim) => knownHolders(claim, holdersOf(claim)));
  const records = [...new Map(known.flat().map((h) => [h.id, h])).values()];
  const folds = records.some((a, i) => records.slice(i + 1).some((b) => disjoint(a.macs, b.macs)));
  if (!folds) return [];
  return claims.flatMap((claim, i) => (known[i]!.length === 0 ? [] : [{ claimant, claim, basis: 'record' as const, owners: known[i]!, rivals: [] }]));
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
  // A claim is compared with the claimants of its own identifier only (every claimant against every
  // other was 80 s for 10,000 devices).
  const rivals = new RivalIndex(claimants, kind);
  const conflicts: IdentityConflict[] = [];
  const holdersOf = (claim: IdentityClaim) => byKey.get(identityKeyString(claim.key)) ?? [];
  for (const c of claimants) {
    if (judgedMacs(c).length === 0) {
      conflicts.push(...judgeUnplacedClaims(c, c.claims.filter((claim) => claim.kind === kind), holdersOf));
      continue;
    }
    for (const claim of c.claims) {
      if (claim.kind !== kind) continue;
      const conflict = verdict(c, claim, holdersOf(claim), () => rivals.rivals(c, claim));
      if (conflict) conflicts.push(conflict);
    }
  }
  return conflicts;
}

/** The keys to look up in the inventory before judging claims of one kind (every claimant's: one without a MAC is judged too). */
export function claimedKeys(claimants: readonly Claimant[], kind: ClaimKind): IdentityKey[] {
  const seen = new Map<string, IdentityKey>();
  for (const c of claimants) for (const claim of c.claims) if (claim.kind === kind) seen.set(identityKeyString(claim.key), claim.key);
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
