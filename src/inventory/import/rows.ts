/**
 * @module The second import pass: read records (CSV or JSON), map and check each row, and hand
 * valid rows to a batch sink in file order. File-level problems found here (which the first pass
 * has already excluded) still surface as typed errors; row-level problems become rejections.
 */
import type { DeviceReport, Provenance } from '../model.js';
import { openCsvReader } from './csv-reader.js';
import { flattenJsonRecord } from './json-record.js';
import { readJsonRecords } from './json-reader.js';
import { assertHasIdentifier, resolvePlan, type ImportPlan } from './mapping.js';
import type { ColumnMapping, ImportFormat, RowRejection } from './model.js';
import { detectPreset, type ImportPreset } from './presets.js';
import { createRowConverter, type CategoryResolver, type RowConverter } from './row.js';
import type { StructureLimits } from './structure.js';

export interface RowPassOptions {
  format: ImportFormat;
  limits: StructureLimits;
  preset: ImportPreset | undefined;
  mapping: ColumnMapping | undefined;
  categories: CategoryResolver;
  provenance: Provenance;
}

export interface RowPassSink {
  planned(preset: ImportPreset, plan: ImportPlan): void;
  rowRead(): void;
  reject(r: RowRejection): void;
  /** a valid row; returns a promise while the batch it completed is being stored */
  accept(report: DeviceReport): Promise<void> | void;
}

/** JSON records may differ in their keys; each distinct key list gets its plan, up to this many cached. */
const MAX_SHAPES = 256;

export async function runRowPass(chunks: AsyncIterable<Buffer>, options: RowPassOptions, sink: RowPassSink): Promise<void> {
  if (options.format === 'csv') {
    const reader = await openCsvReader(chunks, options.limits);
    let plan: ImportPlan;
    let preset: ImportPreset;
    try {
      preset = options.preset ?? detectPreset(reader.header);
      plan = resolvePlan(reader.header, preset, options.mapping, true);
      assertHasIdentifier(plan, reader.header);
    } catch (e) {
      await reader.close();
      throw e;
    }
    sink.planned(preset, plan);
    const converter = createRowConverter(plan, options.categories, options.provenance);
    const reject = (r: RowRejection) => sink.reject(r);
    for await (const batch of reader.batches) {
      for (const rec of batch) {
        sink.rowRead();
        const report = converter.convert(rec.values, plan, rec.row, reject, { line: rec.line });
        if (report) {
          const pending = sink.accept(report);
          if (pending) await pending;
        }
      }
    }
    return;
  }
  const shapes = new Map<string, { plan: ImportPlan; converter: RowConverter }>();
  let preset = options.preset;
  let described = false;
  const reject = (r: RowRejection) => sink.reject(r);
  for await (const rec of readJsonRecords(chunks, { ...options.limits, mode: options.format })) {
    sink.rowRead();
    const where: Partial<RowRejection> = { line: rec.line, ...(rec.pointer !== undefined ? { pointer: rec.pointer } : {}) };
    const flat = flattenJsonRecord(rec.value);
    if (!flat) {
      sink.reject({ row: rec.row, ...where, reason: 'expected a JSON object describing one device' });
      continue;
    }
    const shapeKey = flat.keys.join('\u0000');
    let shape = shapes.get(shapeKey);
    if (!shape) {
      preset ??= detectPreset(flat.matchNames);
      const plan = resolvePlan(flat.matchNames, preset, options.mapping, false);
      plan.fields = plan.fields.map((f) => ({ ...f, columns: f.indexes.map((i) => flat.keys[i]!), pointers: f.indexes.map((i) => flat.pointers[i]!) }));
      shape = { plan, converter: createRowConverter(plan, options.categories, options.provenance) };
      if (shapes.size < MAX_SHAPES) shapes.set(shapeKey, shape);
      if (!described) {
        sink.planned(preset, plan);
        described = true;
      }
    }
    const report = shape.converter.convert(flat.values, shape.plan, rec.row, reject, where);
    if (report) {
      const pending = sink.accept(report);
      if (pending) await pending;
    }
  }
}
