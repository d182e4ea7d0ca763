/**
 * @module `ingestCapture`: analyse a capture, then write what it found: discovered devices into the
 * inventory (identity merge by MAC / AE title; a device with neither is matched to the device an
 * earlier discovery made from the same address and application identity, so re-ingesting a capture
 * creates nothing new) and one alert per (wire finding code, device), folded by its dedup key.
 */
import type { AlertService, EvidenceItem, RaiseAlertInput } from '../alerts/index.js';
import type { Actor } from '../core/index.js';
import { isIdentifyingMac, type Device, type DeviceReport, type InventoryService } from '../inventory/index.js';
import { toDeviceReportGroup, type DiscoveredDevice } from './discovery/index.js';
import { detectionToAlertInput } from './detect/index.js';
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
  const known = await findDiscoveredDevices(deps.inventory, devices);
  const groups = devices.map((d, i) => {
    const reports = toDeviceReportGroup(d, { source: report.capture.name, observedAt });
    const id = known[i];
    return id ? reports.map((r) => ({ ...r, deviceId: id })) : reports;
  });
  const counts = { reported: devices.length, created: 0, updated: 0, unchanged: 0 };
  const ids: string[] = [];
  // Identifiers first: a new device gets its id, which the inferred-attribute reports then name.
  for (let i = 0; i < groups.length; i += batchSize) {
    const outcomes = await deps.inventory.applyReports(groups.slice(i, i + batchSize).map((g) => g[0]!), actor);
    for (const o of outcomes) {
      ids.push(o.device.id);
      if (o.created) counts.created++;
      else if (o.written) counts.updated++;
      else counts.unchanged++;
    }
  }
  const rest: DeviceReport[] = groups.flatMap((g, i) => g.slice(1).map((r) => ({ ...r, deviceId: ids[i]! })));
  for (let i = 0; i < rest.length; i += batchSize) await deps.inventory.applyReports(rest.slice(i, i + batchSize), actor);

  // Findings, then detections, in the order raise() would take them; raiseMany writes each batch
  // in one transaction (same outcomes and audit entries as one raise() after another).
  const inputs: RaiseAlertInput[] = [];
  for (const [i, d] of devices.entries()) {
    const deviceId = ids[i]!;
    for (const f of d.findings) {
      const evidence: EvidenceItem[] = f.frames.map((frame) => ({ kind: 'packet', ref: `${report.capture.name}#frame=${frame}`, detail: f.code }));
      inputs.push({
        title: `${f.message} (${d.name})`.slice(0, 300),
        description: `${f.message}. Seen ${f.count} time(s) in ${report.capture.name} from ${d.name} (${[...d.ips, ...d.macs].join(', ')}), first at frame ${f.frames[0] ?? '?'}.`,
        severity: f.severity,
        deviceId,
        source: 'netmon',
        category: f.code,
        dedupKey: `netmon:${f.code}:${deviceId}`,
        evidence,
        observedAt,
      });
    }
  }
  const deviceIdByIp = new Map<string, string>();
  devices.forEach((d, i) => d.ips.forEach((ip) => deviceIdByIp.set(ip, ids[i]!)));
  for (const det of report.detections ?? []) {
    const { deviceIp, ...input } = detectionToAlertInput(det);
    const deviceId = input.deviceId ?? (deviceIp ? deviceIdByIp.get(deviceIp) : undefined);
    inputs.push({ ...input, ...(deviceId ? { deviceId } : {}) });
  }
  const alerts = { created: 0, folded: 0 };
  for (let i = 0; i < inputs.length; i += batchSize) {
    for (const outcome of await deps.alerts.raiseMany(inputs.slice(i, i + batchSize), actor)) {
      if (outcome.created) alerts.created++;
      else alerts.folded++;
    }
  }
  return { report, devices: counts, alerts, deviceIds: Object.fromEntries(devices.map((d, i) => [d.key, ids[i]!])) };
}

/**
 * The device an earlier discovery made for each endpoint without a MAC or identifying AE title
 * (undefined for the others): same address, no identifying MAC of its own (that would be another
 * interface), and the same name or an application identity in common. Exactly one candidate, or
 * none. One batched address lookup for all of them (a text search each cost a scan per device).
 */
async function findDiscoveredDevices(inventory: InventoryService, devices: readonly DiscoveredDevice[]): Promise<Array<string | undefined>> {
  const firstIps = devices.map((d) => (d.hasMergeKey ? undefined : d.ips[0]));
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
    const hits = (byIp.get(ip) ?? []).filter(
      (dev) => dev.name === d.name || overlap(dev.network.aeTitles, d.aeTitles) || overlap(dev.network.hl7Applications, d.hl7Applications) || overlap(dev.network.hostnames, d.hostnames),
    );
    return hits.length === 1 ? hits[0]!.id : undefined;
  });
}
