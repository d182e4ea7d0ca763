/**
 * @module `ingestCapture`: analyse a capture, then write what it found: discovered devices into the
 * inventory (identity merge by MAC / AE title; a device with neither is matched to the device an
 * earlier discovery made from the same address and application identity, so re-ingesting a capture
 * creates nothing new) and one alert per (wire finding code, device), folded by its dedup key.
 * Identifiers a device declares about itself (UPnP serial, AE title) are judged first: one that
 * names another device's record is not merged on and raises `identity.conflict` instead.
 */
import type { AlertService, EvidenceItem, RaiseAlertInput } from '../alerts/index.js';
import type { Actor } from '../core/index.js';
import { identityKeysOf, isIdentifyingMac, isIdentifyingSerial, serialKey, serialScopeCompatible, type Device, type DeviceReport, type InventoryService, type UpsertOutcome } from '../inventory/index.js';
import { declaredSerial } from './discovery/devices.js';
import { toDeviceReportGroup, type DiscoveredDevice } from './discovery/index.js';
import { claimantOf, claimedKeys, findIdentityConflicts, holderOf, withoutRefusedClaims, type Claimant, type ClaimHolder, type ClaimKind, type IdentityClaim, type IdentityConflict } from './discovery/identity-claims.js';
import { detectionToAlertInput } from './detect/index.js';
import { identityConflictAlert } from './detect/rules/identity-conflict.js';
import { analyzeCapture, type AnalyzeOptions, type AnalyzeProgress, type CaptureSource, type NetmonReport } from './report.js';

export interface IngestDeps {
  inventory: InventoryService;
  alerts: AlertService;
}

export interface IngestOptions extends Omit<AnalyzeOptions, 'onProgress'> {
  /** reports per inventory transaction, and alerts per alert transaction (default 500) */
  batchSize?: number;
}

export interface IngestResult {
  report: NetmonReport;
  devices: { reported: number; created: number; updated: number; unchanged: number };
  alerts: { created: number; folded: number };
  /** inventory device id per discovered device key */
  deviceIds: Record<string, string>;
  /** identifiers declared on the wire that were not merged on (each raised an `identity.conflict` alert) */
  identityConflicts: IdentityConflict[];
}

export async function ingestCapture(source: CaptureSource, deps: IngestDeps, actor: Actor, onProgress?: (p: AnalyzeProgress) => void, opts: IngestOptions = {}): Promise<IngestResult> {
  const report = await analyzeCapture(source, { ...opts, ...(onProgress ? { onProgress } : {}) });
  return ingestReport(report, deps, actor, opts);
}

/**
 * Writes what a report found (from a capture or a flow log): devices into the inventory, wire
 * findings and detections as alerts, each detection on the inventory device of its address.
 */
export async function ingestReport(report: NetmonReport, deps: IngestDeps, actor: Actor, opts: Pick<IngestOptions, 'batchSize'> = {}): Promise<IngestResult> {
  const batchSize = opts.batchSize ?? 500;
  const observedAt = report.capture.lastSeen ?? new Date().toISOString();
  const devices = report.devices.filter((d) => d.reportable);
  const claimants = devices.map(claimantOf);
  const indexOf = new Map(claimants.map((c, i) => [c, i]));
  // AE titles travel with the identifiers: judged before those are written.
  const aeConflicts = (await judgeClaims(deps.inventory, claimants, 'ae_title')).conflicts;
  const refusedAe = refusedByDevice(aeConflicts, indexOf);
  // A device left without a merge key once its refused AE titles are dropped is found as one without any.
  const known = await findDiscoveredDevices(deps.inventory, devices, (i) => devices[i]!.hasMergeKey && !lostMergeKeys(claimants[i]!, refusedAe.get(i)));
  const groups = devices.map((d, i) => {
    const reports = withoutRefusedClaims(toDeviceReportGroup(d, { source: report.capture.name, observedAt }), refusedAe.get(i) ?? []);
    const id = known[i];
    return id ? reports.map((r) => ({ ...r, deviceId: id })) : reports;
  });
  const counts = { reported: devices.length, created: 0, updated: 0, unchanged: 0 };
  const ids: string[] = [];
  const folds = new FoldedIds();
  /** Each record as the latest outcome left it (what judging claims needs of it: name, maker, MACs). */
  const latest = new Map<string, ClaimHolder>();
  /** Applies reports in batches, each naming its device's record as it stands when its batch is written. */
  const apply = async (items: ReadonlyArray<{ device: number; report: DeviceReport }>, named: boolean): Promise<UpsertOutcome[]> => {
    const out: UpsertOutcome[] = [];
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = items.slice(i, i + batchSize).map(({ device, report: r }) => (named ? { ...r, deviceId: folds.resolve(ids[device]!) } : r));
      const outcomes = await deps.inventory.applyReports(batch, actor);
      folds.note(outcomes);
      for (const o of outcomes) latest.set(o.device.id, holderOf(o.device));
      out.push(...outcomes);
    }
    return out;
  };
  // Identifiers first: a new device gets its id, which the inferred-attribute reports then name.
  // Those naming a record found by address go first: they carry no merge key, so they fold nothing,
  // while a later report may fold the record they name (one of an earlier batch is followed, one of
  // the same batch could not be).
  const order = groups.map((_, device) => device).sort((a, b) => Number(known[a] === undefined) - Number(known[b] === undefined));
  const outcomes = await apply(order.map((device) => ({ device, report: groups[device]![0]! })), false);
  outcomes.forEach((o, k) => {
    ids[order[k]!] = o.device.id;
    if (o.created) counts.created++;
    else if (o.written) counts.updated++;
    else counts.unchanged++;
  });
  // Serials travel with the inferred attributes: judged against the inventory the identifiers left,
  // so a record an AE title or MAC just gave a MAC is judged by it; a claimant without a MAC of its
  // own is judged by the MACs of the record its identifiers merged it into.
  const serialClaimants = claimants.map((c, i) => (c.macs.length > 0 ? c : { ...c, recordMacs: latest.get(folds.resolve(ids[i]!))?.macs ?? [] }));
  serialClaimants.forEach((c, i) => indexOf.set(c, i));
  const serials = await judgeClaims(deps.inventory, serialClaimants, 'serial');
  const serialConflicts = serials.conflicts;
  const refusedSerials = refusedByDevice(serialConflicts, indexOf);
  const inferred = groups.map((g, i) => withoutRefusedClaims(g.slice(1), refusedSerials.get(i) ?? []));
  // A serial may fold the device's record with those holding it (one without a MAC, e.g. imported
  // from the asset system): those reports go first, in rounds in which no serial and no record
  // repeats (the one named and those holding the serial), so no report of a batch names a record
  // an earlier one of that batch folded away, and every later report names the record that survived.
  const holders = new Map<string, Set<string>>();
  for (const d of serials.records) for (const k of identityKeysOf(d, d.network)) if (k.kind === 'serial') addTo(holders, k.value, d.id);
  let pending: Array<{ device: number; report: DeviceReport; serial: string }> = [];
  inferred.forEach((reports, device) => {
    const report = reports.find((r) => r.attributes.serialNumber !== undefined);
    if (!report) return;
    const serial = claimants[device]!.claims.find((c) => c.kind === 'serial')?.key.value ?? report.attributes.serialNumber!;
    pending.push({ device, report, serial });
  });
  while (pending.length > 0) {
    const round: typeof pending = [];
    const later: typeof pending = [];
    const usedSerials = new Set<string>();
    const usedRecords = new Set<string>();
    for (const item of pending) {
      const touched = [ids[item.device]!, ...(holders.get(item.serial) ?? [])].map((id) => folds.resolve(id));
      if (usedSerials.has(item.serial) || touched.some((id) => usedRecords.has(id))) {
        later.push(item);
        continue;
      }
      usedSerials.add(item.serial);
      for (const id of touched) usedRecords.add(id);
      round.push(item);
    }
    await apply(round, true);
    for (const item of round) addTo(holders, item.serial, folds.resolve(ids[item.device]!));
    pending = later;
  }
  await apply(inferred.flatMap((reports, device) => reports.filter((r) => r.attributes.serialNumber === undefined).map((report) => ({ device, report }))), true);
  for (let i = 0; i < ids.length; i++) ids[i] = folds.resolve(ids[i]!);

  // Findings, then detections, in the order raise() would take them; raiseMany writes each batch
  // in one transaction (same outcomes and audit entries as one raise() after another). Inputs are
  // made a batch at a time: 10,000 of them with their evidence were 16 MB held through the writes.
  const deviceIdByIp = new Map<string, string>();
  devices.forEach((d, i) => d.ips.forEach((ip) => deviceIdByIp.set(ip, ids[i]!)));
  // An owner may have been folded into another record since it was judged: name the survivor.
  const conflicts = [...aeConflicts, ...serialConflicts].map((c) => withOwnersResolved(c, folds, latest));
  const idOfKey = new Map(devices.map((d, i) => [d.key, ids[i]!]));
  // A file of a followed run: its frames are numbered run-wide, evidence names the frame in the file.
  // A finding may cite a frame of an earlier file (a flow that timed out in this one, flushed with its
  // last frame): that file is not this capture, so the frame is left out of its evidence.
  const segment = report.capture.segment;
  const inCapture = (frame: number): number | undefined => (!segment?.perFile ? frame : frame >= segment.firstFrame ? frame - segment.firstFrame + 1 : undefined);
  function* alertInputs(): Generator<RaiseAlertInput> {
    for (const [i, d] of devices.entries()) {
      const deviceId = ids[i]!;
      for (const f of d.findings) {
        const frames = f.frames.map(inCapture).filter((x): x is number => x !== undefined);
        const evidence: EvidenceItem[] = frames.map((frame) => ({ kind: 'packet', ref: `${report.capture.name}#frame=${frame}`, detail: f.code }));
        const first = frames[0] === undefined ? (f.frames.length > 0 ? 'in an earlier file of the run' : 'at frame ?') : `at frame ${frames[0]}`;
        yield {
          title: `${f.message} (${d.name})`.slice(0, 300),
          description: `${f.message}. Seen ${f.count} time(s) in ${report.capture.name} from ${d.name} (${[...d.ips, ...d.macs].join(', ')}), first ${first}.`,
          severity: f.severity,
          deviceId,
          source: 'netmon',
          category: f.code,
          dedupKey: `netmon:${f.code}:${deviceId}`,
          evidence,
          observedAt,
        };
      }
    }
    for (const det of report.detections ?? []) {
      const { deviceIp, ...input } = detectionToAlertInput(det);
      const deviceId = input.deviceId ?? (deviceIp ? deviceIdByIp.get(deviceIp) : undefined);
      yield { ...input, ...(deviceId ? { deviceId } : {}) };
    }
    for (const c of conflicts) {
      const i = indexOf.get(c.claimant)!;
      const d = devices[i]!;
      yield identityConflictAlert(c, { source: report.capture.name, deviceId: ids[i]!, firstSeen: d.firstSeen, lastSeen: d.lastSeen, deviceIdOf: (key) => idOfKey.get(key) });
    }
  }
  const alerts = { created: 0, folded: 0 };
  const raise = async (batch: RaiseAlertInput[]) => {
    for (const outcome of await deps.alerts.raiseMany(batch, actor)) {
      if (outcome.created) alerts.created++;
      else alerts.folded++;
    }
  };
  let batch: RaiseAlertInput[] = [];
  for (const input of alertInputs()) {
    batch.push(input);
    if (batch.length === batchSize) {
      await raise(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await raise(batch);
  return { report, devices: counts, alerts, deviceIds: Object.fromEntries(devices.map((d, i) => [d.key, ids[i]!])), identityConflicts: conflicts };
}

/** Where records folded into others went (an outcome's mergedFrom), so ids taken earlier still name a device. */
class FoldedIds {
  private readonly into = new Map<string, string>();

  note(outcomes: readonly UpsertOutcome[]): void {
    for (const o of outcomes) for (const gone of o.mergedFrom) this.into.set(gone, o.device.id);
  }

  resolve(id: string): string {
    let at = id;
    // a survivor can be folded in turn (always into an older record, so the chain ends; bounded all the same)
    for (let step = 0; step < this.into.size; step++) {
      const next = this.into.get(at);
      if (next === undefined) break;
      at = next;
    }
    return at;
  }
}

/** The conflicts among the claims of one kind, judged against the inventory devices holding the claimed identifiers (returned too). */
async function judgeClaims(inventory: InventoryService, claimants: readonly Claimant[], kind: ClaimKind): Promise<{ conflicts: IdentityConflict[]; records: Device[] }> {
  const keys = claimedKeys(claimants, kind);
  if (keys.length === 0) return { conflicts: [], records: [] };
  const records = await inventory.findByKeys(keys);
  return { conflicts: findIdentityConflicts(claimants, kind, records), records };
}

/** The conflict with each owner as the record it now is (folded ones named by their survivor, once). */
function withOwnersResolved(c: IdentityConflict, folds: FoldedIds, latest: ReadonlyMap<string, ClaimHolder>): IdentityConflict {
  if (c.owners.every((h) => folds.resolve(h.id) === h.id)) return c;
  const owners = new Map<string, ClaimHolder>();
  for (const h of c.owners) {
    const id = folds.resolve(h.id);
    if (!owners.has(id)) owners.set(id, latest.get(id) ?? { ...h, id });
  }
  return { ...c, owners: [...owners.values()] };
}

/** Every identifying AE title the device had (its only merge keys, without a MAC) was refused. */
function lostMergeKeys(c: Claimant, refused: readonly IdentityClaim[] | undefined): boolean {
  if (!refused || c.macs.length > 0) return false;
  return c.claims.filter((k) => k.kind === 'ae_title').every((k) => refused.includes(k));
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function refusedByDevice(conflicts: readonly IdentityConflict[], indexOf: ReadonlyMap<Claimant, number>): Map<number, IdentityClaim[]> {
  const out = new Map<number, IdentityClaim[]>();
  for (const c of conflicts) {
    const i = indexOf.get(c.claimant)!;
    const list = out.get(i);
    if (list) list.push(c.claim);
    else out.set(i, [c.claim]);
  }
  return out;
}

/**
 * The device an earlier discovery made for each endpoint without a merge key (`hasMergeKey`: an
 * identifying MAC, or an identifying AE title that was not refused; undefined for the others): same
 * address, no identifying MAC of its own (that would be another interface), and the same name, an
 * application identity or the serial it declares in common. Exactly one candidate, or none. One batched address lookup for all of them (a text search each cost a scan per device).
 */
async function findDiscoveredDevices(inventory: InventoryService, devices: readonly DiscoveredDevice[], hasMergeKey: (i: number) => boolean): Promise<Array<string | undefined>> {
  const firstIps = devices.map((d, i) => (hasMergeKey(i) ? undefined : d.ips[0]));
  const wanted = [...new Set(firstIps.filter((ip): ip is string => ip !== undefined))];
  if (wanted.length === 0) return firstIps.map(() => undefined);
  const byIp = new Map<string, Device[]>();
  for (const dev of await inventory.findByIps(wanted)) {
    if (dev.network.macs.some(isIdentifyingMac)) continue;
    for (const ip of new Set(dev.network.ips)) {
      const list = byIp.get(ip);
      if (list) list.push(dev);
      else byIp.set(ip, [dev]);
    }
  }
  const overlap = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
  return devices.map((d, i) => {
    const ip = firstIps[i];
    if (ip === undefined) return undefined;
    const declared = declaredSerial(d);
    const serial = declared && isIdentifyingSerial(serialKey(declared.value)) ? declared : undefined;
    const hits = (byIp.get(ip) ?? []).filter(
      (dev) =>
        dev.name === d.name ||
        overlap(dev.network.aeTitles, d.aeTitles) ||
        overlap(dev.network.hl7Applications, d.hl7Applications) ||
        overlap(dev.network.hostnames, d.hostnames) ||
        // the serial it declares, which folded it into this record last time (an imported name outranks its own)
        (serial !== undefined && dev.serialNumber !== undefined && serialKey(dev.serialNumber) === serialKey(serial.value) && serialScopeCompatible(dev.manufacturer, serial.manufacturer.value)),
    );
    return hits.length === 1 ? hits[0]!.id : undefined;
  });
}
