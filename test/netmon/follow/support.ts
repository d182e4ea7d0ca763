/**
 * @module Test support for rotating capture directories: synthetic traffic (capture/testing) split
 * into rotated pcap files, the zone policy that makes it raise detections, and a NetmonService over
 * a real test database (SQLite or PostgreSQL).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, loadOrCreateSigningKey } from '../../../src/audit/index.js';
import { systemClock } from '../../../src/core/index.js';
import { InventoryService } from '../../../src/inventory/index.js';
import { PcapWriter, concatBytes } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { syntheticPackets } from '../../../src/netmon/capture/testing/synthetic-capture.js';
import { parsePolicy, type NetmonPolicy } from '../../../src/netmon/detect/index.js';
import { NetmonService } from '../../../src/netmon/service.js';
import type { DatabaseHandle } from '../../../src/storage/database.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { createNetmonRepository } from '../../../src/storage/repositories/netmon.js';

const writer = new PcapWriter();

/** `count` pcap records of synthetic medical traffic (DICOM, HL7, MQTT, TLS, DNS, DHCP). */
export function syntheticRecords(count: number, seed = 3, startUs?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of syntheticPackets({ seed, concurrency: 16, ...(startUs === undefined ? {} : { startUs }) })) {
    if (out.length >= count) break;
    out.push(writer.record(p));
  }
  return out;
}

/** A whole pcap file of these records. */
export const pcapBytes = (records: readonly Uint8Array[]): Uint8Array => concatBytes([writer.header(), ...records]);

export function writeCapture(file: string, records: readonly Uint8Array[]): string {
  writeFileSync(file, pcapBytes(records));
  return file;
}

export const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));

/** Clients (10/8) and servers (172.16/12) in two zones with only DICOM allowed between them: HL7 and the rest raise detections. */
export const ZONES: NetmonPolicy = parsePolicy({
  zones: [
    { name: 'clinical', cidrs: ['10.0.0.0/8'] },
    { name: 'servers', cidrs: ['172.16.0.0/12'] },
  ],
  conduits: [{ name: 'imaging', from: 'clinical', to: 'servers', services: [{ protocol: 'dicom' }] }],
});

export interface NetmonStack {
  netmon: NetmonService;
  inventory: InventoryService;
  alerts: AlertService;
}

export function netmonStack(handle: DatabaseHandle, policy: NetmonPolicy = ZONES): NetmonStack {
  const audit = new AuditService({ repo: createAuditRepository(handle.db, handle.dialect), signingKey: loadOrCreateSigningKey({ dataDir: tempDir('netmon-follow-key-') }), clock: systemClock });
  const inventory = new InventoryService({ repo: new KyselyDeviceRepository(handle), audit, clock: systemClock });
  const alerts = new AlertService({ repo: createAlertRepository(handle.db, handle.dialect), audit, clock: systemClock });
  const netmon = new NetmonService({ store: createNetmonRepository(handle.db, handle.dialect), inventory, alerts, clock: systemClock, policy });
  return { netmon, inventory, alerts };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
