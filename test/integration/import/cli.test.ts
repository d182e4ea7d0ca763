import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerDemoSeedCommand } from '../../../src/cli/commands/demo-seed.js';
import { registerDevicesImportCommand } from '../../../src/cli/commands/devices-import.js';
import type { CliContext } from '../../../src/cli/context.js';
import { writeDemoCsv } from '../../../src/inventory/demo/index.js';
import type { ImportReport } from '../../../src/inventory/import/index.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { allDevices, importStack, openSqliteFile, type ImportStack } from './stack.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-import-cli-'));
let handle: DatabaseHandle;
let stack: ImportStack;
const opened: DatabaseHandle[] = [];

beforeAll(async () => {
  handle = await openSqliteFile(join(dir, 'cli.db'));
  stack = importStack(handle);
});
afterAll(async () => {
  await handle.close();
  for (const h of opened) await h.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

/** Runs `careguard <args>` with the import and demo commands over the test database. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const ctx: CliContext<ImportStack> = { io: { stdout, stderr, isTTY: false }, open: async () => ({ ...stack, close: async () => undefined }) };
  const program = new Command('careguard').exitOverride();
  registerDevicesImportCommand(program.command('devices'), ctx);
  registerDemoSeedCommand(program, ctx);
  process.exitCode = undefined;
  await program.parseAsync(['node', 'careguard', ...args]);
  await new Promise((r) => setImmediate(r));
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, out, err };
}

const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe('careguard devices import', () => {
  it('exits 0 and prints the report when every row imports, with progress on stderr', async () => {
    const csv = join(dir, 'demo.csv');
    await writeDemoCsv(csv, { seed: 21, count: 400 });
    const r = await run('devices', 'import', csv, '--batch-size', '150');
    expect(r.code).toBe(0);
    expect(r.out).toContain('imported demo.csv (csv, preset careguard): 400 of 400 rows');
    expect(r.out).toContain('created 400, updated 0, unchanged 0, rejected 0 (3 batches');
    expect(r.err).toMatch(/done .*\| 400 rows \|/);
  });

  it('exits 1 when rows were rejected, listing row, column and reason; --json prints the report', async () => {
    const p = file('tms.csv', 'Control Number,Device Type,Serial Number,Risk Level\nC-1,Infusion Pump,TMS-0001,High\nC-2,Infusion Pump,TMS-0002,Extreme\n');
    const human = await run('devices', 'import', p, '--no-progress');
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/ROW\s+LINE\s+COLUMN\s+REASON/);
    expect(human.out).toMatch(/3\s+3\s+Risk Level\s+unknown value/);
    const machine = await run('devices', 'import', p, '--json', '--no-progress');
    expect(machine.code).toBe(1);
    const report = JSON.parse(machine.out) as ImportReport;
    expect(report).toMatchObject({ preset: 'tms-style', unchanged: 1, rejectedCount: 1, rejected: [{ row: 3, column: 'Risk Level', value: 'Extreme' }] });
  });

  it('exits 2 with the place of the problem when the file cannot be imported, storing nothing', async () => {
    const before = (await allDevices(stack.inventory)).length;
    const p = file('bad.json', '[{"serial_number": "CLI-1"},\n {"serial_number": "CLI-2",}]');
    const r = await run('devices', 'import', p, '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: malformed JSON');
    expect(r.err).toContain('bad.json line 2 column 28 byte 56');
    expect(r.err).toContain('[import.malformed_json]');
    expect((await allDevices(stack.inventory)).length).toBe(before);
  });

  it('applies --map over --map-file, and --dry-run stores nothing', async () => {
    const p = file('custom.csv', 'SerialNo;Kind;Crit\nMAP-0001;Ventilator;Top\n');
    const mapFile = file('map.json', JSON.stringify({ columns: { serial: 'SerialNo', category: 'Nope' }, values: { criticality: { Top: 'life-sustaining' } } }));
    const dry = await run('devices', 'import', p, '--map-file', mapFile, '--map', 'category=Kind,criticality=Crit', '--dry-run', '--json', '--no-progress');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, imported: 1, mapping: [{ column: 'SerialNo', field: 'serial' }, { column: 'Kind', field: 'category' }, { column: 'Crit', field: 'criticality' }] });
    await expect(stack.inventory.lookup('MAP-0001')).rejects.toMatchObject({ code: 'device.not_found' });
    const real = await run('devices', 'import', p, '--map-file', mapFile, '--map', 'category=Kind,criticality=Crit', '--no-progress');
    expect(real.code).toBe(0);
    expect(await stack.inventory.lookup('MAP-0001')).toMatchObject({ category: 'ventilator', criticality: 'life-sustaining' });
  });

  it('exits 2 on a bad option value', async () => {
    const p = file('x.csv', 'serial_number\nOPT-0001\n');
    expect((await run('devices', 'import', p, '--format', 'xml')).code).toBe(2);
    expect((await run('devices', 'import', p, '--batch-size', '0')).code).toBe(2);
  });
});

describe('careguard demo seed', () => {
  it('seeds the demo hospital, and seeding again changes nothing', async () => {
    const demoDb = await openSqliteFile(join(dir, 'demo.db'));
    opened.push(demoDb);
    stack = importStack(demoDb);
    const first = await run('demo', 'seed', '--devices', '300', '--seed', '5', '--json');
    expect(JSON.parse(first.out)).toMatchObject({ seed: 5, devices: 300, created: 300 });
    const again = await run('demo', 'seed', '--devices', '300', '--seed', '5', '--json');
    expect(JSON.parse(again.out)).toMatchObject({ devices: 300, created: 0, unchanged: 300 });
  });
});
