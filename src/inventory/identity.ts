/**
 * @module Identity keys: the identifiers by which two reports are recognised as one device
 * (MERGE_KEYS: serial, MAC, DICOM AE title, asset tag). A serial only identifies a device within
 * its manufacturer, so a serial match also needs compatible manufacturers (equal, or one unknown).
 * Generic values (placeholder serials, broadcast MACs, tool-default AE titles) never become keys.
 */
import type { DeviceAttributes, IdentifierKind, NetworkIdentities } from './model.js';
import { assetTagKey, isIdentifyingAeTitle, isIdentifyingMac, isIdentifyingSerial, manufacturerKey, serialKey } from './normalize.js';

export type MergeKeyKind = Extract<IdentifierKind, 'serial' | 'mac' | 'ae_title' | 'asset_tag'>;

export interface IdentityKey {
  kind: MergeKeyKind;
  /** the compared form: serial and asset tag upper-cased without spaces, MAC lower-case colon, AE title as is */
  value: string;
}

export const identityKeyString = (k: IdentityKey): string => `${k.kind}:${k.value}`;

/** The merge keys of a device or a report (values must already be normalized). */
export function identityKeysOf(attributes: Pick<DeviceAttributes, 'serialNumber' | 'assetTag'>, network: Pick<NetworkIdentities, 'macs' | 'aeTitles'>): IdentityKey[] {
  const keys: IdentityKey[] = [];
  if (attributes.serialNumber) {
    const value = serialKey(attributes.serialNumber);
    if (isIdentifyingSerial(value)) keys.push({ kind: 'serial', value });
  }
  if (attributes.assetTag) {
    const value = assetTagKey(attributes.assetTag);
    if (isIdentifyingSerial(value)) keys.push({ kind: 'asset_tag', value });
  }
  for (const mac of network.macs) if (isIdentifyingMac(mac)) keys.push({ kind: 'mac', value: mac });
  for (const ae of network.aeTitles) if (isIdentifyingAeTitle(ae)) keys.push({ kind: 'ae_title', value: ae });
  return keys;
}

/** Serials are unique per manufacturer: a match counts when the makers agree or either is unknown. */
export function serialScopeCompatible(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  return manufacturerKey(a) === manufacturerKey(b);
}

/** Keys in `after` but not `before`, and the reverse (by their string form). */
export function diffIdentityKeys(before: readonly IdentityKey[], after: readonly IdentityKey[]): { added: IdentityKey[]; removed: IdentityKey[] } {
  const b = new Set(before.map(identityKeyString));
  const a = new Set(after.map(identityKeyString));
  return {
    added: dedupe(after.filter((k) => !b.has(identityKeyString(k)))),
    removed: dedupe(before.filter((k) => !a.has(identityKeyString(k)))),
  };
}

export function dedupe(keys: readonly IdentityKey[]): IdentityKey[] {
  const seen = new Set<string>();
  const out: IdentityKey[] = [];
  for (const k of keys) {
    const s = identityKeyString(k);
    if (!seen.has(s)) {
      seen.add(s);
      out.push(k);
    }
  }
  return out;
}
