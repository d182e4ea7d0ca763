/**
 * @module Seeds an inventory with the demo hospital: generated devices applied in batches, one
 * transaction each, through the same InventoryService.applyReports path an import takes.
 * Seeding twice with the same seed and count changes nothing the second time.
 */
import type { Actor } from '../../core/index.js';
import type { DeviceReport, Provenance, UpsertOutcome } from '../model.js';
import { demoDeviceToReport, generateDemoDevices, type DemoOptions } from './generator.js';

export interface DemoSeedTarget {
  applyReports(reports: DeviceReport[], actor: Actor): Promise<UpsertOutcome[]>;
}

export interface DemoSeedOptions extends DemoOptions {
  batchSize?: number;
  /** when the demo data counts as observed (default: now) */
  observedAt?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSeedResult {
  devices: number;
  created: number;
  updated: number;
  unchanged: number;
}

export async function seedDemoHospital(inventory: DemoSeedTarget, options: DemoSeedOptions, actor: Actor): Promise<DemoSeedResult> {
  const provenance: Provenance = {
    source: `demo:seed-${options.seed >>> 0}`,
    kind: 'demo',
    confidence: 1,
    observedAt: options.observedAt ?? new Date().toISOString(),
  };
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const result: DemoSeedResult = { devices: 0, created: 0, updated: 0, unchanged: 0 };
  let batch: DeviceReport[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const outcomes = await inventory.applyReports(batch, actor);
    result.devices += batch.length;
    batch = [];
    for (const o of outcomes) {
      if (o.created) result.created++;
      else if (o.changed.length || o.mergedFrom.length) result.updated++;
      else result.unchanged++;
    }
    options.onProgress?.(result.devices, options.count);
  };
  for (const d of generateDemoDevices(options)) {
    batch.push(demoDeviceToReport(d, provenance));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}
