import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevicesListCommand } from '../../../src/cli/commands/devices-list.js';
import { registerDevicesShowCommand } from '../../../src/cli/commands/devices-show.js';
import type { CliContext } from '../../../src/cli/context.js';
import { DomainError, fixedClock } from '../../../src/core/index.js';
import { InventoryService, type Device } from '../../../src/inventory/index.js';
import { MemoryAuditRecorder, provenance, report, testActor } from '../../../src/inventory/testing.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { openTestDatabase } from '../../../src/storage/testing/engines.js';

describe('devices list and show commands', () => {
  let h: DatabaseHandle;
  let inventory: InventoryService;
  let devices: Device[];

  beforeAll(async () => {
    h = await openTestDatabase('sqlite');
    inventory = new InventoryService({ repo: new KyselyDeviceRepository(h), audit: new MemoryAuditRecorder(), clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
    const p = provenance('import:cmms.csv', '2024-04-01T00:00:00Z');
    devices = (
      await inventory.applyReports(
        [
          report({ name: 'Pump A', category: 'infusion pump', manufacturer: 'Baxter', serialNumber: 'PA-1', unit: 'ICU', site: 'North' }, p, { macs: ['00:11:22:33:44:01'] }),
          report({ name: 'Pump B', category: 'infusion pump', manufacturer: 'BD', serialNumber: 'PB-1', unit: 'ER', site: 'North' }, p),
          report({ name: 'Vent C', category: 'ventilator', manufacturer: 'Dräger', serialNumber: 'VC-1', unit: 'ICU', site: 'South' }, p, { aeTitles: ['VENT_C'] }),
        ],
        testActor,
      )
    ).map((o) => o.device);
    await inventory.applyReports([report({ firmwareVersion: '2.1' }, provenance('discovery:dhcp', '2024-05-01T00:00:00Z', { kind: 'discovery', confidence: 0.6 }), { macs: ['00:11:22:33:44:01'] })], testActor);
  });
  afterAll(async () => h?.close());

  async function run(...args: string[]): Promise<{ out: string; error?: unknown }> {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const ctx: CliContext<{ inventory: InventoryService }> = {
      io: { stdout, stderr: new PassThrough(), isTTY: false },
      open: async () => ({ inventory, close: async () => undefined }),
    };
    const program = new Command('careguard').exitOverride();
    const devicesCmd = program.command('devices').exitOverride();
    registerDevicesListCommand(devicesCmd, ctx);
    registerDevicesShowCommand(devicesCmd, ctx);
    let error: unknown;
    try {
      await program.parseAsync(['node', 'careguard', 'devices', ...args]);
    } catch (e) {
      error = e;
    }
    return { out: Buffer.concat(chunks).toString('utf8'), ...(error ? { error } : {}) };
  }

  it('lists devices matching the filters as a table with the total', async () => {
    const { out, error } = await run('list', '--category', 'infusion-pump', '--site', 'North');
    expect(error).toBeUndefined();
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+CATEGORY\s+MANUFACTURER/);
    expect(lines.slice(2, 4).map((l) => l.split(/\s{2,}/)[1])).toEqual(['Pump A', 'Pump B']);
    expect(lines.at(-1)).toBe('2 of 2 devices');
  });

  it('pages with --limit and --cursor and prints JSON with --json', async () => {
    const first = JSON.parse((await run('list', '--limit', '2', '--json')).out) as { items: Device[]; nextCursor: string; total: number };
    expect(first.total).toBe(3);
    expect(first.items.map((d) => d.name)).toEqual(['Pump A', 'Pump B']);
    const second = JSON.parse((await run('list', '--limit', '2', '--json', '--cursor', first.nextCursor)).out) as { items: Device[]; nextCursor?: string };
    expect(second.items.map((d) => d.name)).toEqual(['Vent C']);
    expect(second.nextCursor).toBeUndefined();
    expect((await run('list', '--limit', '2')).out).toContain(`next page: --cursor ${first.nextCursor}`);
  });

  it.each([
    ['a limit of 0', ['list', '--limit', '0'], 'cli.invalid_option'],
    ['an unknown sort', ['list', '--sort', 'colour'], 'cli.invalid_option'],
    ['an unknown criticality', ['list', '--criticality', 'urgent'], 'device.invalid_query'],
    ['an unknown device', ['show', 'no-such-device'], 'device.not_found'],
  ])('fails with a DomainError for %s', async (_what, args, code) => {
    const { error } = await run(...args);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
  });

  it('shows a device found by serial, MAC or AE title with the provenance of each value', async () => {
    for (const ref of ['PA-1', '00-11-22-33-44-01', devices[0]!.id]) {
      const { out } = await run('show', ref);
      expect(out).toContain(devices[0]!.id);
      expect(out).toMatch(/manufacturer\s+Baxter\s+import:cmms\.csv\s+import\s+0\.80\s+2024-04-01 00:00:00/);
      expect(out).toMatch(/firmwareVersion\s+2\.1\s+discovery:dhcp\s+discovery\s+0\.60/);
      expect(out).toMatch(/criticality\s+life-supporting\s+taxonomy:infusion-pump\s+inferred/);
      expect(out).toContain('sources: import:cmms.csv, discovery:dhcp');
    }
    const json = JSON.parse((await run('show', 'VENT_C', '--json')).out) as Device;
    expect(json).toMatchObject({ id: devices[2]!.id, name: 'Vent C', manufacturer: 'Drägerwerk' });
  });
});
