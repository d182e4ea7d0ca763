import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError, systemActor, type DomainError } from '../../../src/core/index.js';
import { generateDemoDevices, writeDemoCsv } from '../../../src/inventory/demo/index.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { allDevices, deviceSnapshot, importStack, openSqliteFile, type ImportStack } from './stack.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-import-int-'));
const actor = systemActor('import-test');
const DEVICES = 3000;
const csv = join(dir, 'hospital.csv');
const opened: DatabaseHandle[] = [];

async function freshStack(name: string): Promise<ImportStack & { handle: DatabaseHandle }> {
  const handle = await openSqliteFile(join(dir, `${name}.db`));
  opened.push(handle);
  return { handle, ...importStack(handle) };
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected the import to fail');
}

/** A stream of `total` bytes made by repeating `unit`, produced lazily; counts what was pulled. */
function lazyStream(prefix: string, unit: string, total: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.from(unit.repeat(Math.ceil(65536 / unit.length)));
  const stream = Readable.from(
    (function* () {
      pulled += prefix.length;
      yield Buffer.from(prefix);
      while (pulled < total) {
        pulled += chunk.length;
        yield chunk;
      }
    })(),
  );
  return { stream, pulled: () => pulled };
}

beforeAll(async () => {
  await writeDemoCsv(csv, { seed: 42, count: DEVICES });
});

afterAll(async () => {
  for (const h of opened) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV import into SQLite', () => {
  let first: ImportStack & { handle: DatabaseHandle };

  beforeAll(async () => {
    first = await freshStack('first');
  });

  it('imports the demo hospital: every row becomes one device', async () => {
    const report = await first.imports.importFile(csv, {}, actor);
    expect(report).toMatchObject({ format: 'csv', preset: 'careguard', rowsRead: DEVICES, imported: DEVICES, created: DEVICES, rejectedCount: 0, batches: 2 });
    const devices = await allDevices(first.inventory);
    expect(devices).toHaveLength(DEVICES);
    const generated = [...generateDemoDevices({ seed: 42, count: DEVICES })].filter((_, i) => i % 600 === 0);
    for (const g of generated) {
      const d = await first.inventory.lookup(g.serialNumber);
      expect(d).toMatchObject({ name: g.name, category: g.category, model: g.model, assetTag: g.assetTag, criticality: g.criticality, unit: g.unit, room: g.room });
      expect(d.network.macs).toEqual(g.network.macs);
      expect(d.provenance.serialNumber).toMatchObject({ source: 'import:hospital.csv', kind: 'import', confidence: 0.9 });
    }
  });

  it('re-importing the same file changes nothing, not even the audit log', async () => {
    const before = await allDevices(first.inventory);
    const auditBefore = (await first.audit.verify()).entries;
    expect(auditBefore).toBeGreaterThan(0);
    const report = await first.imports.importFile(csv, {}, actor);
    expect(report).toMatchObject({ rowsRead: DEVICES, created: 0, updated: 0, unchanged: DEVICES });
    expect(await allDevices(first.inventory)).toEqual(before);
    expect((await first.audit.verify()).entries).toBe(auditBefore);
  });

  it('an import interrupted after some batches and re-run ends exactly like one full import', async () => {
    const half = join(dir, 'half.csv');
    const lines = readFileSync(csv, 'utf8').split('\n');
    writeFileSync(half, lines.slice(0, 1 + DEVICES / 2).join('\n') + '\n');
    const resumed = await freshStack('resumed');
    await resumed.imports.importFile(half, { fileName: 'hospital.csv' }, actor);
    const controller = new AbortController();
    const aborted = failure(
      resumed.imports.importFile(csv, { batchSize: 1000, signal: controller.signal }, actor, (p) => {
        if (p.phase === 'importing' && p.imported >= 2000) controller.abort();
      }),
    );
    expect((await aborted).code).toBe('import.aborted');
    expect((await allDevices(resumed.inventory)).length).toBe(2000);
    const rerun = await resumed.imports.importFile(csv, {}, actor);
    expect(rerun).toMatchObject({ created: DEVICES - 2000, unchanged: 2000 });
    expect(await deviceSnapshot(resumed.inventory)).toEqual(await deviceSnapshot(first.inventory));
  });

  it('rejects rows with bad values with row, column and reason, and stores only the valid rows', async () => {
    const s = await freshStack('mixed');
    const file = join(dir, 'mixed.csv');
    writeFileSync(
      file,
      [
        'Control Number,Device Type,Mfr,Model Number,Serial Number,Risk Level,Equipment Status,Wired MAC,Wireless MAC,Manufacturer EOS',
        'BME-1,Infusion Pump,Becton Dickinson,8015,AL-0001,High,Active,00:0a:5e:00:00:01,,12/31/2026',
        'BME-2,Infusion Pump,Becton Dickinson,8015,AL-0002,Extreme,Active,,,',
        'BME-3,Ventilator,Hamilton,C6,HM-0003,Life Support,Retired,00:0a:5e:00:00:03,00:0a:5e:00:00:04,02/30/2027',
        'BME-4,Coffee Machine,Acme,X,AC-0004,Low,Active,,,',
        'BME-5,Ventilator,Hamilton,C6,HM-0005,Life Support,Active,00:0a:5e:00:00:05,00:0a:5e:00:00:06,',
      ].join('\r\n'),
    );
    const report = await s.imports.importFile(file, {}, actor);
    expect(report).toMatchObject({ preset: 'tms-style', rowsRead: 5, imported: 2, created: 2, rejectedCount: 3 });
    expect(report.rejected.map((r) => [r.row, r.column, r.value])).toEqual([
      [3, 'Risk Level', 'Extreme'],
      [4, 'Manufacturer EOS', '02/30/2027'],
      [5, 'Device Type', 'Coffee Machine'],
    ]);
    const devices = await allDevices(s.inventory);
    expect(devices.map((d) => d.assetTag).sort()).toEqual(['BME-1', 'BME-5']);
    const vent = await s.inventory.lookup('HM-0005');
    expect(vent).toMatchObject({ category: 'ventilator', criticality: 'life-sustaining', status: 'in-service', manufacturer: 'Hamilton' });
    expect(vent.network.macs).toEqual(['00:0a:5e:00:00:05', '00:0a:5e:00:00:06']);
    expect((await s.inventory.lookup('AL-0001')).endOfSupport).toBe('2026-12-31');
  });

  describe('bad input gets a clear error and leaves stored devices untouched', () => {
    let s: ImportStack & { handle: DatabaseHandle };
    let before: string[];

    beforeAll(async () => {
      s = await freshStack('guarded');
      const small = join(dir, 'small.csv');
      await writeDemoCsv(small, { seed: 5, count: 300 });
      await s.imports.importFile(small, {}, actor);
      before = await deviceSnapshot(s.inventory);
      expect(before).toHaveLength(300);
    });

    it('malformed JSON: names line, column, byte offset and record', async () => {
      const records = [...generateDemoDevices({ seed: 6, count: 120 })].map((d) => JSON.stringify({ serial_number: d.serialNumber, name: d.name }));
      const file = join(dir, 'broken.json');
      writeFileSync(file, `{"devices": [\n${records.join(',\n')},\n{"serial_number": "X-1" "name": "n"}\n]}`);
      const e = await failure(s.imports.importFile(file, { batchSize: 50 }, actor));
      expect(e.code).toBe('import.malformed_json');
      expect(e.location).toMatchObject({ file: 'broken.json', line: 122, column: 25, pointer: '/devices/120' });
      expect(e.message).toContain('line 122');
      expect(await deviceSnapshot(s.inventory)).toEqual(before);
    });

    it('invalid UTF-8 in a CSV: names line and byte offset, even after many valid rows', async () => {
      const text = readFileSync(csv);
      const at = text.indexOf('\n', text.length - 500) + 5;
      const bad = Buffer.concat([text.subarray(0, at), Buffer.from([0xc3, 0x28]), text.subarray(at)]);
      const file = join(dir, 'bad-utf8.csv');
      writeFileSync(file, bad);
      const e = await failure(s.imports.importFile(file, { batchSize: 100 }, actor));
      expect(e.code).toBe('import.invalid_utf8');
      expect(e.location).toMatchObject({ file: 'bad-utf8.csv', byteOffset: at, line: DEVICES + 1 });
      expect(await deviceSnapshot(s.inventory)).toEqual(before);
    });

    it('a header of 1,000,000 columns: fails fast, reading a few kilobytes', async () => {
      const { stream, pulled } = lazyStream('serial_number', ',c', 2_000_001);
      const e = await failure(s.imports.importFile(stream, { fileName: 'wide.csv' }, actor));
      expect(e.code).toBe('import.too_many_columns');
      expect(e.location).toMatchObject({ file: 'wide.csv', line: 1 });
      expect(e.message).toContain('1000');
      expect(pulled()).toBeLessThan(256 * 1024);
      expect(await deviceSnapshot(s.inventory)).toEqual(before);
    });

    it('a 100 MB single line: fails fast on line 1 naming the record bound, in bounded memory', async () => {
      const rssBefore = process.memoryUsage.rss();
      const { stream, pulled } = lazyStream('', 'x', 100 * 1024 * 1024);
      const e = await failure(s.imports.importFile(stream, { fileName: 'one-line.csv' }, actor));
      expect(e.code).toBe('import.record_too_large');
      expect(e.location).toMatchObject({ file: 'one-line.csv', line: 1, byteOffset: 1024 * 1024 });
      expect(e.message).toContain('1 MiB');
      expect(pulled()).toBeLessThan(4 * 1024 * 1024);
      expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(64 * 1024 * 1024);
      expect(await deviceSnapshot(s.inventory)).toEqual(before);
    });

    it('a row with an extra field deep in the file: names its line, stores none of the rows before it', async () => {
      const lines = readFileSync(csv, 'utf8').split('\n');
      lines[2500] += ',extra';
      const file = join(dir, 'ragged.csv');
      writeFileSync(file, lines.join('\n'));
      const e = await failure(s.imports.importFile(file, { batchSize: 100 }, actor));
      expect(e.code).toBe('import.csv_field_count');
      expect(e.location?.line).toBe(2501);
      expect(await deviceSnapshot(s.inventory)).toEqual(before);
    });

    it('a semicolon CSV with a byte order mark imports (sanity check that the guard is not just refusing)', async () => {
      const file = join(dir, 'semi.csv');
      writeFileSync(file, '\ufeffserial_number;name;category\r\nSEMI-0001;Semicolon pump;infusion pump\r\n');
      const report = await s.imports.importFile(createReadStream(file), { fileName: 'semi.csv' }, actor);
      expect(report).toMatchObject({ created: 1, rejectedCount: 0 });
      expect((await s.inventory.lookup('SEMI-0001')).category).toBe('infusion-pump');
    });
  });
});
