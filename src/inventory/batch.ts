/**
 * @module Plans a batch of reports against the devices they may concern (pure: the service loads
 * those devices and the identity index first, then persists the plan in one transaction). Reports
 * apply in order, so a later report sees what earlier ones created, changed or folded; a report
 * that repeats what is known plans no write.
 */
import { DomainError } from '../core/index.js';
import { diffIdentityKeys, identityKeysOf, serialScopeCompatible, type IdentityKey } from './identity.js';
import { createDevice, foldDevices, mergeReport } from './merge.js';
import type { Device, UpsertOutcome } from './model.js';
import type { DeviceRemoval, DeviceWrite } from './ports.js';
import type { NormalizedReport } from './report.js';

export interface BatchPlan {
  outcomes: UpsertOutcome[];
  writes: DeviceWrite[];
  removals: DeviceRemoval[];
}

const keysOf = (d: Device): IdentityKey[] => identityKeysOf(d, d.network);

/**
 * @param existing devices the reports may touch (those named by id or found under a report's keys)
 * @param keyIndex device ids under each identity key of the batch (identityKeyString -> ids)
 */
export function planBatch(
  reports: readonly NormalizedReport[],
  existing: ReadonlyMap<string, Device>,
  keyIndex: ReadonlyMap<string, readonly string[]>,
  now: string,
  newId: () => string,
): BatchPlan {
  const current = new Map(existing);
  const index = KeyIndex.from(keyIndex);
  // A device created here and not touched again has exactly its report's keys (no need to recompute).
  const createdWith = new Map<string, { device: Device; keys: IdentityKey[] }>();
  const dirty = new Set<string>();
  const removed = new Set<string>();
  const outcomes: UpsertOutcome[] = [];

  const reindex = (before: Device | undefined, after: Device | undefined): void => {
    const id = (after ?? before)?.id;
    if (!id) return;
    if (!before) {
      for (const k of after ? keysOf(after) : []) index.add(k, id);
      return;
    }
    const { added, removed: gone } = diffIdentityKeys(keysOf(before), after ? keysOf(after) : []);
    for (const k of gone) index.remove(k, id);
    for (const k of added) index.add(k, id);
  };

  for (const r of reports) {
    // Most reports of a large import match nothing: no set, no per-key arrays for them.
    let linked: Set<string> | undefined;
    if (r.deviceId !== undefined) {
      if (!current.has(r.deviceId)) {
        throw new DomainError('device.not_found', `device ${r.deviceId} named by report ${r.index} was not found`, {
          status: 404,
          location: { pointer: `/${r.index}/deviceId` },
          details: { id: r.deviceId, index: r.index },
        });
      }
      linked = new Set([r.deviceId]);
    }
    for (const k of r.keys) {
      const ids = index.get(k);
      if (!ids || ids.length === 0) continue;
      const hits: Device[] = [];
      for (const id of ids) {
        const d = current.get(id);
        if (d && (k.kind !== 'serial' || serialScopeCompatible(r.attributes.manufacturer, d.manufacturer))) hits.push(d);
      }
      // A serial without a maker that several makers' devices carry names none of them.
      if (k.kind === 'serial' && hits.length > 1 && new Set(hits.map((d) => d.manufacturer).filter(Boolean)).size > 1) continue;
      for (const d of hits) (linked ??= new Set()).add(d.id);
    }

    if (!linked) {
      const id = newId();
      const res = createDevice(id, r, now);
      current.set(id, res.device);
      dirty.add(id);
      createdWith.set(id, { device: res.device, keys: r.keys });
      for (const k of r.keys) index.add(k, id);
      outcomes.push({ device: res.device, created: true, changed: res.changed, mergedFrom: [], networkChanged: res.networkChanged, written: true });
      continue;
    }

    let target: Device;
    let mergedFrom: string[] = [];
    if (linked.size > 1) {
      const parts = [...linked].map((id) => current.get(id)).filter((d): d is Device => d !== undefined);
      const fold = foldDevices(parts, now);
      mergedFrom = fold.mergedFrom;
      for (const id of mergedFrom) {
        reindex(current.get(id), undefined);
        current.delete(id);
        dirty.delete(id);
        // one created earlier in this batch was never stored: nothing to remove
        if (existing.has(id)) removed.add(id);
      }
      reindex(current.get(fold.device.id), fold.device);
      current.set(fold.device.id, fold.device);
      dirty.add(fold.device.id);
      target = fold.device;
    } else {
      target = current.get([...linked][0]!)!;
    }

    const res = mergeReport(target, r, now);
    if (res.written) {
      reindex(target, res.device);
      current.set(target.id, res.device);
      dirty.add(target.id);
    }
    outcomes.push({
      device: res.device,
      created: false,
      changed: res.changed,
      mergedFrom,
      networkChanged: res.networkChanged,
      written: res.written || mergedFrom.length > 0,
    });
  }

  const writes: DeviceWrite[] = [];
  for (const id of dirty) {
    const device = current.get(id);
    if (!device) continue;
    const before = existing.get(id);
    if (!before) {
      const made = createdWith.get(id);
      writes.push({ device, created: true, addKeys: made?.device === device ? made.keys : keysOf(device), removeKeys: [] });
      continue;
    }
    const { added, removed: gone } = diffIdentityKeys(keysOf(before), keysOf(device));
    writes.push({ device, created: false, addKeys: added, removeKeys: gone });
  }
  const removals: DeviceRemoval[] = [...removed].map((id) => ({ id, keys: keysOf(existing.get(id)!) }));
  return { outcomes, writes, removals };
}

/**
 * Device ids under each identity key, by kind and then value: an import looks up and adds some
 * 300,000 keys, and nested maps need no "kind:value" string built (and hashed) per lookup.
 * Almost every key names one device, so ids sit in small arrays rather than Sets.
 */
class KeyIndex {
  private readonly byKind = new Map<string, Map<string, string[]>>();

  /** From the repository's index (identityKeyString -> ids); kinds contain no ':'. */
  static from(keyIndex: ReadonlyMap<string, readonly string[]>): KeyIndex {
    const index = new KeyIndex();
    for (const [s, ids] of keyIndex) {
      const at = s.indexOf(':');
      index.values(s.slice(0, at)).set(s.slice(at + 1), [...ids]);
    }
    return index;
  }

  get(k: IdentityKey): string[] | undefined {
    return this.byKind.get(k.kind)?.get(k.value);
  }

  add(k: IdentityKey, id: string): void {
    const values = this.values(k.kind);
    const ids = values.get(k.value);
    if (!ids) values.set(k.value, [id]);
    else if (!ids.includes(id)) ids.push(id);
  }

  remove(k: IdentityKey, id: string): void {
    const ids = this.get(k);
    const at = ids ? ids.indexOf(id) : -1;
    if (ids && at >= 0) ids.splice(at, 1);
  }

  private values(kind: string): Map<string, string[]> {
    let values = this.byKind.get(kind);
    if (!values) this.byKind.set(kind, (values = new Map()));
    return values;
  }
}
