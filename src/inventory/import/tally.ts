/**
 * @module The running counts of one import and the report they become: rows read, outcomes of
 * each applied batch, rejections (all counted, the first N listed), and throttled progress.
 */
import type { UpsertOutcome } from '../model.js';
import type { ImportPlan } from './mapping.js';
import type { ImportFormat, ImportPhase, ImportProgress, ImportReport, RowRejection } from './model.js';
import type { ImportPreset } from './presets.js';

export class ImportTally {
  readonly report: ImportReport;
  phase: ImportPhase = 'validating';
  bytesRead = 0;
  rowsRead = 0;
  imported = 0;
  private lastEmit = 0;
  private lastRejectedRow = -1;

  constructor(
    file: string,
    format: ImportFormat,
    dryRun: boolean,
    private readonly totalBytes: number,
    private readonly maxListed: number,
    private readonly onProgress?: (p: ImportProgress) => void,
  ) {
    this.report = {
      file,
      format,
      preset: 'careguard',
      dryRun,
      mapping: [],
      ignoredColumns: [],
      rowsRead: 0,
      imported: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejectedCount: 0,
      rejected: [],
      bytesRead: 0,
      batches: 0,
      durationMs: 0,
    };
  }

  describePlan(preset: ImportPreset, plan: ImportPlan): void {
    this.report.preset = preset.id;
    this.report.mapping = plan.fields.flatMap((f) => f.columns.map((column) => ({ column, field: f.spec.key })));
    this.report.ignoredColumns = plan.ignoredColumns;
  }

  read(n: number): void {
    this.bytesRead += n;
    this.emit(false);
  }

  /** Every rejection of a row is listed; the row counts once. */
  reject(r: RowRejection): void {
    if (r.row !== this.lastRejectedRow) this.report.rejectedCount++;
    this.lastRejectedRow = r.row;
    if (this.report.rejected.length < this.maxListed) this.report.rejected.push(r);
  }

  applied(count: number, outcomes: readonly UpsertOutcome[] | undefined): void {
    this.imported += count;
    this.report.batches++;
    for (const o of outcomes ?? []) {
      if (o.created) this.report.created++;
      else if (o.written) this.report.updated++;
      else this.report.unchanged++;
    }
    this.emit(true);
  }

  emit(force: boolean): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastEmit < 100) return;
    this.lastEmit = now;
    this.onProgress({ phase: this.phase, bytesRead: this.bytesRead, totalBytes: this.totalBytes, rowsRead: this.rowsRead, imported: this.imported, rejected: this.report.rejectedCount });
  }

  finish(durationMs: number): ImportReport {
    return { ...this.report, rowsRead: this.rowsRead, imported: this.imported, bytesRead: this.totalBytes, durationMs: Math.round(durationMs) };
  }
}
