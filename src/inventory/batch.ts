/**
 * @module Plans a batch of reports against the devices they may concern (pure: the service loads
 * those devices and the identity index first, then persists the plan in one transaction). Reports
 * apply in order, so a later report sees what earlier ones created, changed or folded; a report
 * that repeats what is known plans no write.
 */
import { DomainError } from '../core/index.js';
import { diffIdentityKeys, identityKeyString, identityKeysOf, serialScopeCompatible, type IdentityKey } from './identity.js';
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
  // Key -> device ids; almost always one id, so small arrays rather than Sets.
  const index = new Map<string, string[]>();
  for (const [k, ids] of keyIndex) index.set(k, [...ids]);
  const created = new Set<string>();
  // A device created here and not touched again has exactly its report's keys (no need to recompute).
  const createdWith = new Map<string, { device: Device; keys: IdentityKey[] }>();
  const dirty = new Set<string>();
  const removed = new Set<string>();
  const outcomes: UpsertOutcome[] = [];

  const indexKeys = (id: string, keys: readonly IdentityKey[]): void => {
    for (const k of keys) {
      const s = identityKeyString(k);
      const ids = index.get(s);
      if (!ids) index.set(s, [id]);
      else if (!ids.includes(id)) ids.push(id);
    }
  };
  const reindex = (before: Device | undefined, after: Device | undefined): void => {
    const id = (after ?? before)?.id;
    if (!id) return;
    if (!before) return indexKeys(id, after ? keysOf(after) : []);
    const { added, removed: gone } = diffIdentityKeys(keysOf(before), after ? keysOf(after) : []);
    for (const k of gone) {
      const ids = index.get(identityKeyString(k));
      const at = ids ? ids.indexOf(id) : -1;
      if (ids && at >= 0) ids.splice(at, 1);
    }
    indexKeys(id, added);
  };

  for (const r of reports) {
    const linked = new Set<string>();
    if (r.deviceId !== undefined) {
      if (!current.has(r.deviceId)) {
        throw new DomainError('device.not_found', `device ${r.deviceId} named by report ${r.index} was not found`, {
          status: 404,
          location: { pointer: `/${r.index}/deviceId` },
          details: { id: r.deviceId, index: r.index },
        });
      }
      linked.add(r.deviceId);
    }
    for (const k of r.keys) {
      const hits: Device[] = [];
      for (const id of index.get(identityKeyString(k)) ?? []) {
        const d = current.get(id);
        if (d && (k.kind !== 'serial' || serialScopeCompatible(r.attributes.manufacturer, d.manufacturer))) hits.push(d);
      }
      // A serial without a maker that several makers' devices carry names none of them.
      if (k.kind === 'serial' && new Set(hits.map((d) => d.manufacturer).filter(Boolean)).size > 1) continue;
      for (const d of hits) linked.add(d.id);
    }

    if (linked.size === 0) {
      const id = newId();
      const res = createDevice(id, r, now);
      current.set(id, res.device);
      created.add(id);
      dirty.add(id);
      createdWith.set(id, { device: res.device, keys: r.keys });
      indexKeys(id, r.keys);
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
        if (created.has(id)) created.delete(id);
        else removed.add(id);
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
