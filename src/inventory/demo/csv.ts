/**
 * @module Writes demo devices as CSV in the generic CareGuard import layout (the `careguard`
 * preset), streaming with backpressure, so fixtures of any size cost constant memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { GENERIC_COLUMNS } from '../import/index.js';
import { generateDemoDevices, type DemoDevice, type DemoOptions } from './generator.js';

/** RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The generic-layout cells of a device, in GENERIC_COLUMNS order. */
export function demoDeviceCells(d: DemoDevice): string[] {
  const n = d.network;
  const byColumn: Record<string, string | undefined> = {
    name: d.name,
    category: d.category,
    manufacturer: d.manufacturer,
    model: d.model,
    serial_number: d.serialNumber,
    asset_tag: d.assetTag,
    firmware_version: d.firmwareVersion,
    software_version: d.softwareVersion,
    operating_system: d.operatingSystem,
    criticality: d.criticality,
    phi_handling: d.phiHandling,
    owner: d.owner,
    status: d.status,
    end_of_support: d.endOfSupport,
    site: d.site,
    building: d.building,
    floor: d.floor,
    unit: d.unit,
    room: d.room,
    mac_addresses: n.macs.join('|'),
    ip_addresses: n.ips.join('|'),
    hostnames: n.hostnames.join('|'),
    ae_titles: n.aeTitles.join('|'),
    hl7_applications: n.hl7Applications.join('|'),
  };
  return GENERIC_COLUMNS.map((c) => byColumn[c] ?? '');
}

export function demoCsvHeader(): string {
  return GENERIC_COLUMNS.join(',') + '\n';
}

export function demoCsvRow(d: DemoDevice): string {
  return demoDeviceCells(d).map(csvField).join(',') + '\n';
}

/** Writes `count` devices of `seed` to `path`; resolves with the number of bytes written. */
export async function writeDemoCsv(path: string, options: DemoOptions): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  try {
    await write(demoCsvHeader());
    let buf = '';
    let rows = 0;
    for (const d of generateDemoDevices(options)) {
      buf += demoCsvRow(d);
      if (++rows % 500 === 0) {
        await write(buf);
        buf = '';
      }
    }
    if (buf) await write(buf);
    out.end();
    await once(out, 'finish');
    return bytes;
  } catch (e) {
    out.destroy();
    throw e;
  }
}
