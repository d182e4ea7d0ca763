import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock, isDomainError, systemActor, type DomainError } from '../../core/index.js';
import type { DeviceReport, UpsertOutcome } from '../model.js';
import type { ImportOptions, ImportProgress } from './model.js';
import { ImportService } from './service.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-import-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const actor = systemActor('test');

/** Stands in for InventoryService at the port: records each batch it is given. */
class RecordingSink {
  batches: DeviceReport[][] = [];
  async applyReports(reports: DeviceReport[]): Promise<UpsertOutcome[]> {
    this.batches.push(reports);
    return reports.map(() => ({ device: {} as UpsertOutcome['device'], created: true, changed: [], mergedFrom: [], networkChanged: false, written: true }));
  }
  get reports(): DeviceReport[] {
    return this.batches.flat();
  }
}

function setup() {
  const sink = new RecordingSink();
  const service = new ImportService({ inventory: sink, clock: fixedClock('2025-03-01T08:00:00Z') });
  return { sink, service };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
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

const HEADER = 'name;category;manufacturer;serial_number;criticality;status;mac_addresses;ip_addresses;end_of_support';

describe('ImportService', () => {
  it('imports a semicolon CSV with a byte order mark, normalizing every value', async () => {
    const { sink, service } = setup();
    const p = file('bom-semicolon.csv', '\ufeff' + HEADER + '\r\nPump 7;IV Pump;GE Medical Systems;SN-0007;Life Sustaining;In Use;00-09-FB-12-34-56 | 00:09:fb:12:34:57;10.1.2.3;2027-03-31\r\n');
    const report = await service.importFile(p, {}, actor);
    expect(report).toMatchObject({ file: 'bom-semicolon.csv', format: 'csv', preset: 'careguard', rowsRead: 1, imported: 1, created: 1, rejectedCount: 0, batches: 1 });
    expect(sink.reports).toEqual([
      {
        attributes: { name: 'Pump 7', category: 'infusion-pump', manufacturer: 'GE Medical Systems', serialNumber: 'SN-0007', criticality: 'life-sustaining', status: 'in-service', endOfSupport: '2027-03-31' },
        network: { macs: ['00:09:fb:12:34:56', '00:09:fb:12:34:57'], ips: ['10.1.2.3'] },
        provenance: { source: 'import:bom-semicolon.csv', kind: 'import', confidence: 0.9, observedAt: '2025-03-01T08:00:00.000Z' },
      },
    ]);
  });

  it('rejects rows with bad values, naming row, column and reason, and imports the valid rows', async () => {
    const { sink, service } = setup();
    const p = file(
      'mixed.csv',
      [
        HEADER.replaceAll(';', ','),
        'Pump 1,infusion-pump,BD,SN-0001,life-supporting,in-service,,,',
        'Pump 2,infusion-pump,BD,SN-0002,super-critical,in-service,zz:zz,10.0.0.300,2027-02-30',
        'Pump 3,toaster,BD,SN-0003,,,,,',
        'Pump 4,infusion-pump,BD,N/A,,,,,',
        '"Pump 5, spare",infusion-pump,BD,SN-0005,,spare,,,',
      ].join('\n'),
    );
    const report = await service.importFile(p, {}, actor);
    expect(report).toMatchObject({ rowsRead: 5, imported: 2, rejectedCount: 3 });
    expect(report.rejected.map(({ row, line, column, reason, value }) => ({ row, line, column, reason: reason.split(/[;(]/)[0]!.trim(), value }))).toEqual([
      { row: 3, line: 3, column: 'criticality', reason: 'unknown value', value: 'super-critical' },
      { row: 3, line: 3, column: 'mac_addresses', reason: 'not a MAC address', value: 'zz:zz' },
      { row: 3, line: 3, column: 'ip_addresses', reason: 'not an IPv4 or IPv6 address', value: '10.0.0.300' },
      { row: 3, line: 3, column: 'end_of_support', reason: 'not a valid calendar date', value: '2027-02-30' },
      { row: 4, line: 4, column: 'category', reason: 'unknown category', value: 'toaster' },
      { row: 5, line: 5, column: undefined, reason: 'the row has no identifier: give a serial number, asset tag, MAC address or AE title', value: undefined },
    ]);
    expect(sink.reports.map((r) => r.attributes.name)).toEqual(['Pump 1', 'Pump 5, spare']);
  });

  it('applies valid rows in batches of the requested size, in file order', async () => {
    const { sink, service } = setup();
    const rows = Array.from({ length: 7 }, (_, i) => `Dev ${i},SN-${1000 + i}`);
    const report = await service.importFile(file('seven.csv', ['name,serial_number', ...rows].join('\n')), { batchSize: 3 }, actor);
    expect(sink.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(report.batches).toBe(3);
    expect(sink.reports.map((r) => r.attributes.serialNumber)).toEqual(rows.map((r) => r.split(',')[1]));
  });

  it('stores nothing in a dry run but still reports every rejection', async () => {
    const { sink, service } = setup();
    const report = await service.importFile(file('dry.csv', 'serial_number,status\nSN-1,in-service\nSN-2,lost\n'), { dryRun: true }, actor);
    expect(sink.batches).toEqual([]);
    expect(report).toMatchObject({ dryRun: true, rowsRead: 2, imported: 1, rejectedCount: 1 });
  });

  it('maps columns with --map and a preset, using the preset value vocabulary and date order', async () => {
    const { sink, service } = setup();
    const csv = 'Equipment ID;Kind;Serial No;Risk Category;Equipment Status;End of Support Date;Ward\nEQ-1;Ventilator;VX-1;Life Support;Awaiting Repair;03/04/2027;ICU\n';
    const report = await service.importFile(file('eq2.csv', csv), { preset: 'eq2-phoenix-style', map: 'category=Kind' }, actor);
    expect(report.rejected).toEqual([]);
    expect(report.mapping).toContainEqual({ column: 'Kind', field: 'category' });
    expect(sink.reports[0]!.attributes).toEqual({ assetTag: 'EQ-1', category: 'ventilator', serialNumber: 'VX-1', criticality: 'life-sustaining', status: 'maintenance', endOfSupport: '2027-04-03', unit: 'ICU' });
  });

  it('refuses an unknown preset, a missing file and a file without any identifier column', async () => {
    const { service } = setup();
    expect((await failure(service.importFile(join(dir, 'missing.csv'), {}, actor))).code).toBe('import.unreadable_file');
    expect((await failure(service.importFile(file('p.csv', 'serial_number\nSN-1\n'), { preset: 'nope' }, actor))).code).toBe('import.unknown_preset');
    expect((await failure(service.importFile(file('noid.csv', 'name,model\nA,B\n'), {}, actor))).code).toBe('import.no_identifier_column');
  });

  it.each([
    ['array', 'arr.json', '[{"serialNumber": "SN-10", "network": {"macs": ["00:09:fb:00:00:01"]}}, 5]', { rowsRead: 2, imported: 1 }, '/1'],
    ['wrapper', 'wrap.json', '{"exportedAt": "x", "devices": [{"serial_number": "SN-11"}, "junk"]}', { rowsRead: 2, imported: 1 }, '/devices/1'],
    ['NDJSON', 'lines.ndjson', '{"serial_number": "SN-12"}\n\n[]\n', { rowsRead: 2, imported: 1 }, undefined],
  ])('imports JSON given as an %s, rejecting records that are not objects', async (_kind, name, text, counts, pointer) => {
    const { service } = setup();
    const report = await service.importFile(file(name, text), {}, actor);
    expect(report).toMatchObject(counts);
    expect(report.rejected[0]).toMatchObject({ reason: 'expected a JSON object describing one device', ...(pointer ? { pointer } : {}) });
  });

  it('fails on malformed JSON with its position before storing anything', async () => {
    const { sink, service } = setup();
    const records = Array.from({ length: 50 }, (_, i) => `{"serial_number": "SN-${i}"}`).join(',\n');
    const e = await failure(service.importFile(file('broken.json', `[${records},\n{"serial_number": "SN-50",]`), { batchSize: 10 }, actor));
    expect(e.code).toBe('import.malformed_json');
    expect(e.location).toMatchObject({ file: 'broken.json', line: 51, column: 27, pointer: '/50' });
    expect(sink.batches).toEqual([]);
  });

  it('fails on invalid UTF-8 at the end of a CSV before storing any earlier row', async () => {
    const { sink, service } = setup();
    const rows = Array.from({ length: 100 }, (_, i) => `SN-${i},Device ${i}`).join('\n');
    const p = file('latin1.csv', Buffer.concat([Buffer.from(`serial_number,name\n${rows}\nSN-X,Caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    const e = await failure(service.importFile(p, { batchSize: 10 }, actor));
    expect(e.code).toBe('import.invalid_utf8');
    expect(e.location).toMatchObject({ file: 'latin1.csv', line: 102 });
    expect(sink.batches).toEqual([]);
  });

  it('imports a stream under its given name, detecting the format from its first bytes', async () => {
    const { sink, service } = setup();
    const stream = Readable.from([Buffer.from('[{"serial_number": "SN-'), Buffer.from('77"}]')]);
    const report = await service.importFile(stream, { fileName: 'upload-7' }, actor);
    expect(report).toMatchObject({ file: 'upload-7', format: 'json', imported: 1 });
    expect(sink.reports[0]!.provenance.source).toBe('import:upload-7');
  });

  it('stops reading a stream that breaks a bound, without waiting for the rest', async () => {
    const { service } = setup();
    let produced = 0;
    const endless = Readable.from(
      (function* () {
        yield Buffer.from('serial_number,name\nSN-1,');
        for (;;) {
          produced += 65536;
          yield Buffer.alloc(65536, 0x61);
        }
      })(),
    );
    const e = await failure(service.importFile(endless, { fileName: 'long.csv', maxRecordBytes: 1 << 20 }, actor));
    expect(e.code).toBe('import.record_too_large');
    expect(e.location).toMatchObject({ line: 2 });
    expect(produced).toBeLessThan(4 << 20);
  });

  it('refuses a stream larger than maxBytes', async () => {
    const { service } = setup();
    const big = Readable.from([Buffer.from('serial_number\n'), Buffer.alloc(5000, 0x41)]);
    const e = await failure(service.importFile(big, { fileName: 'big.csv', maxBytes: 1024, maxRecordBytes: 100_000 }, actor));
    expect(e.code).toBe('import.file_too_large');
    expect(e.status).toBe(413);
  });

  it('stops between batches when cancelled, keeping the batches already applied', async () => {
    const { sink, service } = setup();
    const controller = new AbortController();
    const rows = Array.from({ length: 10 }, (_, i) => `SN-${100 + i}`).join('\n');
    const options: ImportOptions = { batchSize: 4, signal: controller.signal };
    const progress: ImportProgress[] = [];
    const run = service.importFile(file('cancel.csv', `serial_number\n${rows}\n`), options, actor, (p) => {
      progress.push(p);
      if (p.phase === 'importing' && p.imported >= 4) controller.abort();
    });
    const e = await failure(run);
    expect(e.code).toBe('import.aborted');
    expect(sink.batches.map((b) => b.length)).toEqual([4]);
    expect(progress[0]!.phase).toBe('validating');
  });

  it('never fails with anything but a DomainError, on random and mutated CSV and JSON bytes', async () => {
    const { service } = setup();
    const valid = ['serial_number,name,mac_addresses,criticality', 'SN-1,"Pump, 1",00:09:fb:00:00:01,diagnostic', 'SN-2,Mon,,life-sustaining'].join('\n');
    const validJson = JSON.stringify({ devices: [{ serialNumber: 'SN-1', network: { macs: ['00:09:fb:00:00:01'] } }, { serial_number: 'SN-2', status: 'active' }] });
    const mutate = (base: string) =>
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ',', ';', '\n', '\r', '{', ']', '\u00ff', '\\', 'x'), fc.boolean()), { maxLength: 4 }).map((muts) => {
        let b = Buffer.from(base);
        for (const [pos, ins, remove] of muts) {
          const at = pos % (b.length + 1);
          b = Buffer.concat([b.subarray(0, at), remove ? Buffer.alloc(0) : Buffer.from(ins), b.subarray(remove ? at + 1 : at)]);
        }
        return b;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutate(valid), mutate(validJson), fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a))), fc.constantFrom<ImportOptions['format']>('csv', 'json', 'ndjson', undefined), async (bytes, format) => {
        try {
          const report = await service.importFile(Readable.from([bytes]), { fileName: 'fuzz', ...(format ? { format } : {}) }, actor);
          expect(report.rowsRead).toBeGreaterThanOrEqual(report.imported);
        } catch (e) {
          expect(isDomainError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
