import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock, systemActor } from '../../core/index.js';
import { ImportService } from '../import/index.js';
import { canonicalManufacturer } from '../normalize.js';
import { normalizeReport } from '../report.js';
import { isCategoryId } from '../taxonomy.js';
import { DEMO_MODELS, demoDeviceToReport, generateDemoDevices, MAX_DEMO_DEVICES, writeDemoCsv, type DemoDevice } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const take = (seed: number, count: number): DemoDevice[] => [...generateDemoDevices({ seed, count })];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('demo hospital generator', () => {
  it('writes byte-identical CSV for the same seed and count', async () => {
    await writeDemoCsv(join(dir, 'a.csv'), { seed: 7, count: 3000 });
    await writeDemoCsv(join(dir, 'b.csv'), { seed: 7, count: 3000 });
    await writeDemoCsv(join(dir, 'c.csv'), { seed: 8, count: 3000 });
    expect(sha256(join(dir, 'a.csv'))).toBe(sha256(join(dir, 'b.csv')));
    expect(sha256(join(dir, 'a.csv'))).not.toBe(sha256(join(dir, 'c.csv')));
  });

  it('builds a realistic hospital: many categories and manufacturers, the major clinical units, a lifecycle mix', () => {
    const devices = take(1, 3000);
    expect(devices).toHaveLength(3000);
    const count = (f: (d: DemoDevice) => string | undefined) => new Set(devices.map(f).filter(Boolean)).size;
    expect(count((d) => d.manufacturer)).toBeGreaterThanOrEqual(25);
    expect(count((d) => d.category)).toBeGreaterThanOrEqual(40);
    const units = new Set(devices.map((d) => d.unit));
    for (const u of ['Medical ICU', 'Emergency Department', 'Main OR', 'NICU', 'Radiology', 'Core Laboratory', 'Oncology', 'Med-Surg 4 West']) expect(units).toContain(u);
    const statuses = new Set(devices.map((d) => d.status));
    for (const s of ['in-service', 'spare', 'maintenance', 'retired']) expect(statuses).toContain(s);
    const os = devices.map((d) => d.operatingSystem ?? '').join('\n');
    for (const o of ['Windows 7', 'Windows 10', 'Embedded Linux', 'VxWorks', 'QNX']) expect(os).toContain(o);
    expect(devices.some((d) => d.endOfSupport !== undefined && d.endOfSupport < '2024-01-01')).toBe(true);
    expect(devices.some((d) => d.network.aeTitles.length > 0)).toBe(true);
    expect(devices.some((d) => d.network.hl7Applications.length > 0)).toBe(true);
    expect(devices.filter((d) => d.category === 'infusion-pump').length).toBeGreaterThan(devices.filter((d) => d.category === 'mri-scanner').length);
  });

  it('gives every device unique identifiers, so N generated devices stay N inventory records', () => {
    const devices = take(3, 20_000);
    for (const list of [
      devices.map((d) => d.serialNumber),
      devices.map((d) => d.assetTag),
      devices.flatMap((d) => d.network.macs),
      devices.flatMap((d) => d.network.aeTitles),
      devices.flatMap((d) => d.network.ips),
      devices.flatMap((d) => d.network.hostnames),
    ]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('places networked devices in their unit VLAN address block', () => {
    for (const d of take(5, 2000)) {
      for (const ip of d.network.ips) expect(ip).toMatch(/^10\.(2\d|[3-7]\d|8[0-3])\.\d{1,3}\.\d{1,3}$/);
    }
  });

  it('uses catalog categories from the taxonomy and canonical manufacturer names', () => {
    for (const m of DEMO_MODELS) {
      expect(isCategoryId(m.category), m.category).toBe(true);
      expect(canonicalManufacturer(m.manufacturer)).toBe(m.manufacturer);
      expect(m.firmware.length, m.model).toBeGreaterThan(0);
    }
  });

  it('produces reports the inventory accepts as they are', () => {
    const provenance = { source: 'demo:seed-9', kind: 'demo' as const, confidence: 1, observedAt: '2025-01-01T00:00:00.000Z' };
    take(9, 2000).forEach((d, i) => {
      const n = normalizeReport(demoDeviceToReport(d, provenance), i);
      expect(n.keys.length).toBeGreaterThan(0);
      expect(n.attributes.category).toBe(d.category);
    });
  });

  it('exports CSV that the import reads back without a single rejection', async () => {
    const path = join(dir, 'roundtrip.csv');
    await writeDemoCsv(path, { seed: 11, count: 2500 });
    const sink = { applyReports: async () => [] };
    const report = await new ImportService({ inventory: sink, clock: fixedClock('2025-01-01T00:00:00Z') }).importFile(path, { dryRun: true }, systemActor('test'));
    expect(report.rejected).toEqual([]);
    expect(report).toMatchObject({ preset: 'careguard', rowsRead: 2500, imported: 2500, ignoredColumns: [] });
  });

  it('streams: the first devices of a huge hospital arrive without generating the rest', () => {
    const started = performance.now();
    const it = generateDemoDevices({ seed: 1, count: MAX_DEMO_DEVICES });
    for (let i = 0; i < 5; i++) expect(it.next().done).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(() => [...generateDemoDevices({ seed: 1, count: MAX_DEMO_DEVICES + 1 })]).toThrow(RangeError);
  });
});
