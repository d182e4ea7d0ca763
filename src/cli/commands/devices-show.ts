/**
 * @module `careguard devices show <ref>`: one device by id, serial number, asset tag, MAC address
 * or DICOM AE title, with the source, kind, confidence and time behind every attribute.
 */
import type { Command } from 'commander';
import type { InventoryService } from '../../inventory/index.js';
// the model file, not inventory/index.js: registering the command loads no inventory code
import { DEVICE_ATTRIBUTE_NAMES, type Device, type Provenance } from '../../inventory/model.js';
import type { CliContext } from '../context.js';
import { renderTable, writeJson } from '../render.js';

interface Row {
  field: string;
  value: string;
  provenance?: Provenance;
}

const NETWORK_LABELS = { macs: 'MAC', ips: 'IP', hostnames: 'hostname', aeTitles: 'AE title', hl7Applications: 'HL7 application' } as const;

export function deviceDetailRows(d: Device): Row[] {
  const rows: Row[] = [{ field: 'id', value: d.id }];
  for (const name of DEVICE_ATTRIBUTE_NAMES) {
    const value = d[name];
    const p = d.provenance[name];
    if (value !== undefined) rows.push({ field: name, value, ...(p ? { provenance: p } : {}) });
    else if (p?.kind === 'manual') rows.push({ field: name, value: '(cleared)', provenance: p });
  }
  for (const [kind, label] of Object.entries(NETWORK_LABELS) as Array<[keyof typeof NETWORK_LABELS, string]>) {
    for (const v of d.network[kind]) rows.push({ field: label, value: v, ...(d.provenance.network ? { provenance: d.provenance.network } : {}) });
  }
  rows.push({ field: 'first seen', value: d.firstSeen }, { field: 'last seen', value: d.lastSeen }, { field: 'created', value: d.createdAt }, { field: 'updated', value: d.updatedAt });
  return rows;
}

export function registerDevicesShowCommand(devices: Command, ctx: CliContext<{ inventory: InventoryService }>): void {
  devices
    .command('show <ref>')
    .description('show one device (by id, serial number, asset tag, MAC address or AE title) with the provenance of each value')
    .option('--json', 'print the device as JSON')
    .action(async (ref: string, flags: { json?: boolean }) => {
      const services = await ctx.open();
      try {
        const device = await services.inventory.lookup(ref);
        if (flags.json) {
          writeJson(ctx.io, device);
          return;
        }
        ctx.io.stdout.write(
          renderTable(deviceDetailRows(device), [
            { header: 'FIELD', value: (r) => r.field },
            { header: 'VALUE', value: (r) => r.value, maxWidth: 48 },
            { header: 'SOURCE', value: (r) => r.provenance?.source, maxWidth: 36 },
            { header: 'KIND', value: (r) => r.provenance?.kind },
            { header: 'CONFIDENCE', value: (r) => (r.provenance ? r.provenance.confidence.toFixed(2) : '') },
            { header: 'OBSERVED', value: (r) => r.provenance?.observedAt.slice(0, 19).replace('T', ' ') },
          ]),
        );
        if (device.sources?.length) ctx.io.stdout.write(`sources: ${device.sources.join(', ')}\n`);
      } finally {
        await services.close();
      }
    });
}
