/**
 * @module Inventory use cases: apply batches of device reports with identity merge, manual edits,
 * lookup, search and facets. Every change runs in one transaction with its audit entry; a batch
 * that changes nothing writes nothing.
 */
import type { AuditRecorder } from '../audit/model.js';
import { conflict, invalidInput, isoNow, notFound, type Actor, type Clock } from '../core/index.js';
import { planBatch } from './batch.js';
import { diffIdentityKeys, identityKeysOf, type IdentityKey } from './identity.js';
import { newDeviceId } from './ids.js';
import { applyPatch } from './merge.js';
import type { Device, DeviceFacets, DevicePatch, DeviceQuery, DeviceReport, Page, Provenance, UpsertOutcome } from './model.js';
import { assetTagKey, isIdentifyingSerial, normalizeAeTitle, normalizeMac, serialKey } from './normalize.js';
import type { DeviceRepository } from './ports.js';
import { resolveDeviceQuery } from './query.js';
import { normalizeAttributes, normalizeNetwork, normalizeReport, type NormalizedReport } from './report.js';

export interface InventoryServiceDeps {
  repo: DeviceRepository;
  audit: AuditRecorder;
  clock: Clock;
  /** device id generator (tests pin it); defaults to time-ordered "dev_..." ids */
  newId?: () => string;
}

/** Most values listed per facet dimension. */
export const FACET_LIMIT = 100;
/** Most reports per applyReports call: one transaction holds them and their devices in memory. */
export const MAX_BATCH = 100_000;

export class InventoryService {
  private readonly repo: DeviceRepository;
  private readonly audit: AuditRecorder;
  private readonly clock: Clock;
  private readonly nextId: () => string;

  constructor(deps: InventoryServiceDeps) {
    this.repo = deps.repo;
    this.audit = deps.audit;
    this.clock = deps.clock;
    this.nextId = deps.newId ?? (() => newDeviceId(this.clock.now().getTime()));
  }

  /**
   * Applies a batch atomically: each report is merged into the device its identifiers name
   * (folding several into one where it names more than one) or creates a device. Outcomes are in
   * report order. Reports that repeat what is known write nothing and record no audit entry.
   */
  async applyReports(reports: readonly DeviceReport[], actor: Actor): Promise<UpsertOutcome[]> {
    if (reports.length === 0) return [];
    checkBatchSize(reports.length);
    return this.applyPlanned(reports.map((r, i) => normalizeReport(r, i)), actor);
  }

  /**
   * applyReports for reports already in the form normalizeReport gives (the import builds them
   * with the inventory's own normalizers, see import/normalized.ts): skips normalizing each
   * report a second time. `index` must be each report's position in the batch.
   */
  async applyNormalizedReports(reports: readonly NormalizedReport[], actor: Actor): Promise<UpsertOutcome[]> {
    if (reports.length === 0) return [];
    checkBatchSize(reports.length);
    return this.applyPlanned(reports, actor);
  }

  private async applyPlanned(normalized: readonly NormalizedReport[], actor: Actor): Promise<UpsertOutcome[]> {
    // lookupKeys takes repeated keys (one lookup each): no key strings built here to dedupe them.
    const keys = normalized.flatMap((r) => r.keys);
    const named = normalized.map((r) => r.deviceId).filter((id): id is string => id !== undefined);
    const now = isoNow(this.clock);
    return this.repo.transaction(async (uow) => {
      const keyIndex = await uow.lookupKeys(keys);
      const ids = new Set(named);
      for (const list of keyIndex.values()) for (const id of list) ids.add(id);
      const existing = ids.size > 0 ? await uow.getMany([...ids]) : new Map<string, Device>();
      const plan = planBatch(normalized, existing, keyIndex, now, this.nextId);
      if (plan.writes.length === 0 && plan.removals.length === 0) return plan.outcomes;
      await uow.apply(plan.writes, plan.removals);
      const parts = summarize(plan.outcomes);
      if (parts.length > 0) {
        const sources = [...new Set(normalized.map((r) => r.provenance.source))];
        for (let i = 0; i < parts.length; i++) {
          const part = parts.length > 1 ? { part: i + 1, parts: parts.length } : {};
          await this.audit.record({ actor, action: 'device.batch_upsert', targetType: 'device', details: { reports: normalized.length, sources, ...parts[i], ...part } }, uow.executor);
        }
      }
      return plan.outcomes;
    });
  }

  /** How many devices the inventory holds. */
  async count(): Promise<number> {
    return this.repo.count();
  }

  /**
   * Storage in bulk-load mode for a load about as large as the inventory (see
   * DeviceRepository.beginBulkLoad); pair every call with endBulkLoad in a `finally`.
   */
  async beginBulkLoad(): Promise<void> {
    await this.repo.beginBulkLoad();
  }

  async endBulkLoad(): Promise<void> {
    await this.repo.endBulkLoad();
  }

  /** The device, or a 404 DomainError "device.not_found". */
  async get(id: string): Promise<Device> {
    const device = await this.repo.get(id);
    if (!device) throw notFound('device', id);
    return device;
  }

  /**
   * Finds one device by id, serial number, asset tag, MAC address or DICOM AE title (what a
   * person types at the CLI). Fails with 404 when nothing matches and 409 when several do.
   */
  async lookup(reference: string): Promise<Device> {
    const ref = reference.trim();
    const byId = await this.repo.get(ref);
    if (byId) return byId;
    const keys: IdentityKey[] = [];
    const mac = normalizeMac(ref);
    if (mac) keys.push({ kind: 'mac', value: mac });
    const ae = normalizeAeTitle(ref);
    if (ae) keys.push({ kind: 'ae_title', value: ae });
    const serial = serialKey(ref);
    if (isIdentifyingSerial(serial)) keys.push({ kind: 'serial', value: serial }, { kind: 'asset_tag', value: assetTagKey(ref) });
    const found = keys.length > 0 ? await this.repo.findByKeys(keys) : [];
    if (found.length === 0) throw notFound('device', ref);
    if (found.length > 1) {
      throw conflict('device.ambiguous_reference', `"${ref}" matches ${found.length} devices; use a device id`, { ids: found.map((d) => d.id) });
    }
    return found[0]!;
  }

  /**
   * Devices that have any of these addresses (compared as given, so pass the stored form), by id:
   * one lookup for many endpoints where a text search per address would scan the inventory each time.
   */
  async findByIps(ips: readonly string[]): Promise<Device[]> {
    return this.repo.findByIps(ips);
  }

  /**
   * Devices indexed under any of these identity keys (in the form identityKeysOf gives), by id:
   * what a caller needs to judge an identifier before reporting it (see netmon's identity claims).
   */
  async findByKeys(keys: readonly IdentityKey[]): Promise<Device[]> {
    return keys.length === 0 ? [] : this.repo.findByKeys(keys);
  }

  async search(query: DeviceQuery = {}): Promise<Page<Device>> {
    return this.repo.search(resolveDeviceQuery(query));
  }

  /** Counts per category, manufacturer, criticality, status, site and unit under the query's filters. */
  async facets(query: DeviceQuery = {}): Promise<DeviceFacets> {
    return this.repo.facets(resolveDeviceQuery(query), FACET_LIMIT);
  }

  /** A person's edit: manual provenance (confidence 1) that no import or discovery overrides. */
  async update(id: string, patch: DevicePatch, actor: Actor): Promise<Device> {
    const { network, ...attrs } = patch;
    const attributes = normalizeAttributes(attrs, undefined, '');
    const net = normalizeNetwork(network, undefined, '/network');
    const now = isoNow(this.clock);
    const provenance: Provenance = { source: `manual:${actor.id}`, kind: 'manual', confidence: 1, observedAt: now };
    return this.repo.transaction(async (uow) => {
      const before = (await uow.getMany([id])).get(id);
      if (!before) throw notFound('device', id);
      const res = applyPatch(before, attributes, net, provenance, now);
      if (!res.written) return before;
      const keys = diffIdentityKeys(identityKeysOf(before, before.network), identityKeysOf(res.device, res.device.network));
      await uow.apply([{ device: res.device, created: false, addKeys: keys.added, removeKeys: keys.removed }], []);
      await this.audit.record(
        { actor, action: 'device.update', targetType: 'device', targetId: id, before, after: res.device, details: { changed: res.changed, networkChanged: res.networkChanged } },
        uow.executor,
      );
      return res.device;
    });
  }

  /** Marks a device retired (a manual status edit). */
  async retire(id: string, actor: Actor): Promise<Device> {
    return this.update(id, { status: 'retired' }, actor);
  }

  /** Removes a device record entirely (e.g. created by mistake); retire devices that left service instead. */
  async delete(id: string, actor: Actor): Promise<void> {
    await this.repo.transaction(async (uow) => {
      const before = (await uow.getMany([id])).get(id);
      if (!before) throw notFound('device', id);
      await uow.apply([], [{ id, keys: identityKeysOf(before, before.network) }]);
      await this.audit.record({ actor, action: 'device.delete', targetType: 'device', targetId: id, before }, uow.executor);
    });
  }
}

/**
 * Most devices one `device.batch_upsert` entry lists. An entry is capped at 1 MiB and an updated
 * device can take about 300 characters, so a larger batch is recorded as several entries (with
 * `part` and `parts`) rather than failing; batches up to this size keep exactly one entry.
 */
export const MAX_AUDITED_PER_ENTRY = 2000;

function checkBatchSize(size: number): void {
  if (size > MAX_BATCH) {
    throw invalidInput('device.batch_too_large', `a batch holds at most ${MAX_BATCH} reports, not ${size}; split it`, { details: { size, max: MAX_BATCH } });
  }
}

interface BatchSummary {
  created: string[];
  updated: Array<{ id: string; changed: string[]; networkChanged?: true }>;
  merged: Array<{ id: string; mergedFrom: string[] }>;
}

/** The audit summary of a batch in parts of at most MAX_AUDITED_PER_ENTRY devices; none when it only refreshed sightings or provenance. */
function summarize(outcomes: readonly UpsertOutcome[]): BatchSummary[] {
  const parts: BatchSummary[] = [];
  let current: BatchSummary = { created: [], updated: [], merged: [] };
  let size = 0;
  const room = () => {
    if (size < MAX_AUDITED_PER_ENTRY) return;
    parts.push(current);
    current = { created: [], updated: [], merged: [] };
    size = 0;
  };
  // created, then updated, then merged, as one list would have them
  for (const o of outcomes) {
    if (!o.created) continue;
    room();
    current.created.push(o.device.id);
    size++;
  }
  for (const o of outcomes) {
    if (o.created || (o.changed.length === 0 && !o.networkChanged)) continue;
    room();
    current.updated.push({ id: o.device.id, changed: o.changed, ...(o.networkChanged ? { networkChanged: true as const } : {}) });
    size++;
  }
  for (const o of outcomes) {
    if (o.mergedFrom.length === 0) continue;
    room();
    current.merged.push({ id: o.device.id, mergedFrom: o.mergedFrom });
    size++;
  }
  if (size > 0) parts.push(current);
  return parts;
}

