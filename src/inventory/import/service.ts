/**
 * @module ImportService: imports a CMMS/asset export (CSV, JSON, NDJSON) into the inventory.
 * Two passes: the first checks the whole input's bytes and structure (UTF-8, CSV/JSON syntax and
 * bounds) so a broken file stores nothing; the second maps and validates each row and applies
 * valid rows through InventoryService.applyReports in batches, one transaction per batch. Upserts
 * are idempotent, so re-importing a file changes nothing, and a run killed between batches leaves
 * whole batches behind that a re-run completes. Rows reach the inventory already normalized
 * (normalized.ts), and an import that creates about as many devices as the inventory holds runs
 * as a bulk load (bulk.ts), which storage leaves again however the import ends.
 */
import { basename } from 'node:path';
import type { Actor, Clock } from '../../core/index.js';
import type { AuditRecorder } from '../../audit/model.js';
import type { DeviceReport, Provenance, UpsertOutcome } from '../model.js';
import type { NormalizedReport } from '../report.js';
import { BULK_LOAD_POLICY, shouldBulkLoad, type BulkLoadPolicy } from './bulk.js';
import { defaultCategoryResolver } from './categories.js';
import { describeBytes, importError } from './errors.js';
import { parseMapOption } from './mapping.js';
import { ImportedReportNormalizer } from './normalized.js';
import type { ColumnMapping, ImportFormat, ImportOptions, ImportProgress, ImportReport } from './model.js';
import { IMPORT_PRESETS, presetById, type ImportPreset } from './presets.js';
import type { CategoryResolver } from './row.js';
import { runRowPass } from './rows.js';
import { fileSize, formatFromName, readChunks, sniffFormat, sniffFormatFromBytes, spoolToFile, type ImportInput } from './source.js';
import { structureCheck, type StructureCheck, type StructureLimits } from './structure.js';
import { ImportTally } from './tally.js';

export interface DeviceReportSink {
  applyReports(reports: DeviceReport[], actor: Actor): Promise<UpsertOutcome[]>;
  /** applyReports for reports already normalized (InventoryService has it); used instead when present */
  applyNormalizedReports?(reports: NormalizedReport[], actor: Actor): Promise<UpsertOutcome[]>;
  /** the inventory's size and its bulk-load mode (InventoryService has them); no bulk load without them */
  count?(): Promise<number>;
  beginBulkLoad?(): Promise<void>;
  endBulkLoad?(): Promise<void>;
}

export interface ImportServiceDeps {
  inventory: DeviceReportSink;
  clock: Clock;
  categories?: CategoryResolver;
  audit?: AuditRecorder;
  /** where uploads are spooled (default: the OS temporary directory) */
  tmpDir?: string;
  /** when an import runs as a bulk load (tests lower the thresholds) */
  bulkLoad?: BulkLoadPolicy;
}

export const IMPORT_DEFAULTS = {
  /**
   * Rows per transaction when the caller does not choose: a small first batch, so the first rows
   * are stored (and progress shows) quickly, then larger ones, since every commit rewrites each
   * index page its batch touched (10,000-row batches measured about 17% less CPU than 2,000).
   */
  firstBatchSize: 2000,
  batchSize: 10_000,
  maxBytes: 1024 * 1024 * 1024,
  maxRecordBytes: 1024 * 1024,
  maxColumns: 1000,
  maxDepth: 64,
  maxRejectionsListed: 1000,
} as const;

type Progress = (p: ImportProgress) => void;

interface Validated {
  path: string;
  file: string;
  format: ImportFormat;
  size: number;
  /** data records the first pass counted */
  records: number;
}

export class ImportService {
  private readonly categories: CategoryResolver;
  private readonly bulkLoad: BulkLoadPolicy;

  constructor(private readonly deps: ImportServiceDeps) {
    this.categories = deps.categories ?? defaultCategoryResolver;
    this.bulkLoad = deps.bulkLoad ?? BULK_LOAD_POLICY;
  }

  presets(): readonly ImportPreset[] {
    return IMPORT_PRESETS;
  }

  /**
   * Imports a file (path) or a stream (spooled to a private temporary file while its structure is
   * checked). Throws a DomainError, with nothing stored, when the input is not readable as a whole.
   */
  async importFile(input: ImportInput, options: ImportOptions, actor: Actor, onProgress?: Progress): Promise<ImportReport> {
    const started = performance.now();
    const preset = options.preset ? presetById(options.preset) : undefined;
    if (options.preset && !preset) {
      throw importError('import.unknown_preset', `unknown preset "${options.preset}"; presets are ${IMPORT_PRESETS.map((p) => p.id).join(', ')}`);
    }
    const mapping = typeof options.map === 'string' ? parseMapOption(options.map) : options.map;
    if (typeof input === 'string') {
      const validated = await this.validateFile(input, options, onProgress);
      return this.apply(validated, options, preset, mapping, actor, onProgress, started);
    }
    const file = options.fileName ?? 'upload';
    let format = options.format ?? formatFromName(file);
    let check: StructureCheck | undefined;
    let spooled = 0;
    const spool = await spoolToFile(input, options.maxBytes ?? IMPORT_DEFAULTS.maxBytes, this.deps.tmpDir, (chunk) => {
      format ??= sniffFormatFromBytes(chunk);
      check ??= structureCheck(format, limitsOf(options, file));
      check.feed(chunk);
      spooled += chunk.byteLength;
      onProgress?.({ phase: 'validating', bytesRead: spooled, rowsRead: 0, imported: 0, rejected: 0 });
    });
    try {
      format ??= 'csv';
      const records = (check ?? structureCheck(format, limitsOf(options, file))).end();
      return await this.apply({ path: spool.path, file, format, size: spool.size, records }, options, preset, mapping, actor, onProgress, started);
    } finally {
      await spool.remove();
    }
  }

  private async validateFile(path: string, options: ImportOptions, onProgress: Progress | undefined): Promise<Validated> {
    const file = options.fileName ?? basename(path);
    const size = await fileSize(path).catch((e: NodeJS.ErrnoException) => {
      throw importError('import.unreadable_file', `cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`, { file });
    });
    const maxBytes = options.maxBytes ?? IMPORT_DEFAULTS.maxBytes;
    if (size > maxBytes) throw importError('import.file_too_large', `the file is larger than the limit of ${describeBytes(maxBytes)}`, { file });
    const format = options.format ?? formatFromName(file) ?? (await sniffFormat(path));
    const check = structureCheck(format, limitsOf(options, file));
    let read = 0;
    for await (const chunk of readChunks(path, undefined, options.signal)) {
      check.feed(chunk);
      read += chunk.length;
      onProgress?.({ phase: 'validating', bytesRead: read, totalBytes: size, rowsRead: 0, imported: 0, rejected: 0 });
    }
    const records = check.end();
    return { path, file, format, size, records };
  }

  private async apply(
    v: Validated,
    options: ImportOptions,
    preset: ImportPreset | undefined,
    mapping: ColumnMapping | undefined,
    actor: Actor,
    onProgress: Progress | undefined,
    started: number,
  ): Promise<ImportReport> {
    const dryRun = options.dryRun === true;
    const tally = new ImportTally(v.file, v.format, dryRun, v.size, options.maxRejectionsListed ?? IMPORT_DEFAULTS.maxRejectionsListed, onProgress);
    tally.phase = 'importing';
    const provenance: Provenance = { source: `import:${v.file}`, kind: 'import', confidence: 0.9, observedAt: this.deps.clock.now().toISOString() };
    const chosen = options.batchSize === undefined ? undefined : Math.max(1, Math.floor(options.batchSize));
    let batchSize = chosen ?? IMPORT_DEFAULTS.firstBatchSize;
    let batch: DeviceReport[] = [];
    // One batch may be in flight while the next is parsed (PostgreSQL round trips overlap parsing);
    // batches still apply strictly one after another, in file order.
    let inFlight: Promise<void> | undefined;
    let failure: { error: unknown } | undefined;
    const sink = this.deps.inventory;
    const normalizer = sink.applyNormalizedReports ? new ImportedReportNormalizer() : undefined;
    const send = async (reports: DeviceReport[]): Promise<UpsertOutcome[]> => {
      if (!normalizer || !sink.applyNormalizedReports) return sink.applyReports(reports, actor);
      // Inside the promise, so a report that fails normalization fails its batch as applyReports would.
      const normalized = new Array<NormalizedReport>(reports.length);
      for (let i = 0; i < reports.length; i++) normalized[i] = normalizer.normalize(reports[i]!, i);
      return sink.applyNormalizedReports(normalized, actor);
    };
    // decided once the first batch is stored (see bulk.ts); `on` from asking storage for bulk-load mode
    const bulk = { decided: dryRun || !sink.count || !sink.beginBulkLoad || !sink.endBulkLoad, on: false };
    const decideBulkLoad = async () => {
      const facts = { records: v.records, applied: tally.imported, created: tally.report.created };
      // The count query only when the rows could qualify at all.
      const wanted = shouldBulkLoad({ ...facts, devices: 0 }, this.bulkLoad) && shouldBulkLoad({ ...facts, devices: await sink.count!() }, this.bulkLoad);
      bulk.decided = true;
      bulk.on = wanted;
      if (wanted) await sink.beginBulkLoad!();
    };
    const settle = async () => {
      if (inFlight) await inFlight;
      inFlight = undefined;
      if (failure) throw failure.error;
      if (options.signal?.aborted) {
        throw importError('import.aborted', `the import was cancelled after ${tally.report.batches} batches (${tally.imported} rows stored; re-run to complete it)`);
      }
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const reports = batch;
      batch = [];
      batchSize = chosen ?? IMPORT_DEFAULTS.batchSize;
      await settle();
      if (!bulk.decided && tally.report.batches > 0) await decideBulkLoad();
      if (dryRun) tally.applied(reports.length, undefined);
      else {
        inFlight = send(reports).then(
          (outcomes) => tally.applied(reports.length, outcomes),
          (error: unknown) => {
            failure = { error };
          },
        );
      }
    };
    let failed = true;
    try {
      await runRowPass(
        readChunks(v.path, (n) => tally.read(n), options.signal),
        { format: v.format, limits: limitsOf(options, v.file), preset, mapping, categories: this.categories, provenance },
        {
          planned: (p, plan) => tally.describePlan(p, plan),
          rowRead: () => tally.rowsRead++,
          reject: (r) => tally.reject(r),
          accept: (report) => {
            batch.push(report);
            return batch.length >= batchSize ? flush() : undefined;
          },
        },
      );
      await flush();
      await settle();
      failed = false;
    } finally {
      // never return (or fail) while a batch is still being written
      if (inFlight) await inFlight;
      // Leave bulk-load mode whatever happened. When the import failed too, its error is the one
      // thrown: indexes this could not rebuild are rebuilt at the next start (ensureSearchIndexes).
      if (bulk.on) {
        const ended = sink.endBulkLoad!();
        if (failed) await ended.catch(() => undefined);
        else await ended;
      }
    }
    tally.phase = 'done';
    tally.emit(true);
    const report = tally.finish(performance.now() - started);
    // An import that changed nothing leaves no trace: re-importing a file changes nothing at all.
    if (!dryRun && this.deps.audit && report.created + report.updated > 0) {
      const { file, format, rowsRead, created, updated, unchanged, rejectedCount } = report;
      await this.deps.audit.record({ actor, action: 'import.run', targetType: 'import', targetId: file, after: { format, preset: report.preset, rowsRead, created, updated, unchanged, rejected: rejectedCount } });
    }
    return report;
  }
}

function limitsOf(options: ImportOptions, file: string): StructureLimits {
  return {
    file,
    maxColumns: options.maxColumns ?? IMPORT_DEFAULTS.maxColumns,
    maxRecordBytes: options.maxRecordBytes ?? IMPORT_DEFAULTS.maxRecordBytes,
    maxDepth: options.maxDepth ?? IMPORT_DEFAULTS.maxDepth,
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  };
}
