/**
 * @module What `careguard devices import` does when it runs (devices-import.ts registers it): reads
 * the flags into ImportOptions, imports through ImportService with a progress bar on stderr and
 * prints the report. Exit 0 when every row was imported, 1 when some rows were rejected, 2 when
 * the file could not be imported at all.
 */
import { readFile, stat } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { invalidInput } from '../../core/index.js';
import { isImportFormat, parseMapOption, parseMappingJson, type ColumnMapping, type ImportOptions, type ImportProgress, type ImportReport, type ImportService } from '../../inventory/import/index.js';
import { EXIT, failWithDomainError, type CliContext, type CliIO } from '../context.js';
import { renderTable, writeJson } from '../render.js';
import { cliActor } from './users.js';

export interface ImportFlags {
  format?: string;
  preset?: string;
  map?: string;
  mapFile?: string;
  batchSize?: string;
  delimiter?: string;
  json?: boolean;
  dryRun?: boolean;
  progress?: boolean;
}

const MAX_MAPPING_FILE = 1024 * 1024;
const REJECTIONS_SHOWN = 50;

export async function importDevices(ctx: CliContext<{ imports: ImportService }>, file: string, flags: ImportFlags): Promise<void> {
  const io = ctx.io;
  let report: ImportReport;
  try {
    const options = await importOptions(file, flags);
    const services = await ctx.open();
    const bar = flags.progress === false ? undefined : progressBar(io, options.totalBytes);
    try {
      const input = file === '-' ? process.stdin : file;
      report = await services.imports.importFile(input, options, cliActor(), bar?.update);
    } finally {
      bar?.stop();
      await services.close();
    }
  } catch (e) {
    return failWithDomainError(io, e);
  }
  if (flags.json) writeJson(io, report);
  else printReport(io, report);
  process.exitCode = report.rejectedCount > 0 ? EXIT.findings : EXIT.ok;
}

async function importOptions(file: string, flags: ImportFlags): Promise<ImportOptions> {
  const options: ImportOptions = {};
  if (flags.format !== undefined) {
    if (!isImportFormat(flags.format)) throw invalidInput('cli.invalid_option', `--format must be csv, json or ndjson, not "${flags.format}"`);
    options.format = flags.format;
  }
  if (flags.preset) options.preset = flags.preset;
  if (flags.batchSize !== undefined) {
    const n = Number(flags.batchSize);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw invalidInput('cli.invalid_option', '--batch-size must be an integer from 1 to 100000');
    options.batchSize = n;
  }
  if (flags.delimiter !== undefined) {
    const d = flags.delimiter === 'tab' || flags.delimiter === '\\t' ? '\t' : flags.delimiter;
    if (d !== ',' && d !== ';' && d !== '\t') throw invalidInput('cli.invalid_option', '--delimiter must be ",", ";" or "tab"');
    options.delimiter = d;
  }
  if (flags.dryRun) options.dryRun = true;
  const mapping = await mappingOf(flags);
  if (mapping) options.map = mapping;
  if (file === '-') options.fileName = 'stdin';
  else options.totalBytes = (await stat(file).catch(() => undefined))?.size ?? 0;
  return options;
}

async function mappingOf(flags: ImportFlags): Promise<ColumnMapping | undefined> {
  let mapping: ColumnMapping | undefined;
  if (flags.mapFile) {
    const size = (await stat(flags.mapFile)).size;
    if (size > MAX_MAPPING_FILE) throw invalidInput('import.invalid_mapping', `mapping file ${flags.mapFile} is larger than 1 MiB`);
    const text = await readFile(flags.mapFile, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw invalidInput('import.invalid_mapping', `mapping file ${flags.mapFile} is not valid JSON: ${(e as Error).message}`, { location: { file: flags.mapFile } });
    }
    mapping = parseMappingJson(value, flags.mapFile);
  }
  if (flags.map) {
    const extra = parseMapOption(flags.map);
    mapping = { ...mapping, columns: { ...mapping?.columns, ...extra.columns } };
  }
  return mapping;
}

function progressBar(io: CliIO, totalBytes: number | undefined): { update: (p: ImportProgress) => void; stop: () => void } {
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      noTTYOutput: !tty,
      notTTYSchedule: 5000,
      hideCursor: tty,
      format: '{phase} [{bar}] {percentage}% | {done}/{size} MB | {rows} rows | {rate} rows/s | {rejected} rejected',
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const total = Math.max(1, totalBytes ?? 0);
  let started = false;
  let importStart: number | undefined;
  return {
    update: (p) => {
      if (p.phase === 'importing') importStart ??= performance.now();
      const size = p.totalBytes ?? totalBytes ?? p.bytesRead;
      const seconds = importStart === undefined ? 0 : (performance.now() - importStart) / 1000;
      const payload = { phase: p.phase.padEnd(10), done: mb(p.bytesRead), size: mb(size), rows: p.rowsRead, rate: seconds > 0.05 ? Math.round(p.rowsRead / seconds) : 0, rejected: p.rejected };
      const value = Math.min(p.bytesRead, Math.max(1, size));
      if (!started) {
        bar.start(Math.max(1, size || total), value, payload);
        started = true;
      } else {
        bar.setTotal(Math.max(1, size));
        bar.update(value, payload);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function printReport(io: CliIO, r: ImportReport): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const verb = r.dryRun ? 'checked (dry run, nothing stored)' : 'imported';
  io.stdout.write(`${verb} ${r.file} (${r.format}, preset ${r.preset}): ${n(r.imported)} of ${n(r.rowsRead)} rows\n`);
  if (!r.dryRun) {
    io.stdout.write(`  created ${n(r.created)}, updated ${n(r.updated)}, unchanged ${n(r.unchanged)}, rejected ${n(r.rejectedCount)} (${n(r.batches)} batches, ${(r.durationMs / 1000).toFixed(1)} s)\n`);
  } else {
    io.stdout.write(`  valid ${n(r.imported)}, rejected ${n(r.rejectedCount)} (${(r.durationMs / 1000).toFixed(1)} s)\n`);
  }
  if (r.ignoredColumns.length) io.stdout.write(`  ignored columns: ${r.ignoredColumns.join(', ')}\n`);
  if (r.rejected.length === 0) return;
  io.stdout.write(`\nrejected rows${r.rejected.length > REJECTIONS_SHOWN ? ` (first ${REJECTIONS_SHOWN}; --json lists ${n(r.rejected.length)})` : ''}:\n`);
  io.stdout.write(
    renderTable(r.rejected.slice(0, REJECTIONS_SHOWN), [
      { header: 'ROW', value: (x) => x.row },
      { header: 'LINE', value: (x) => x.line },
      { header: 'COLUMN', value: (x) => x.column ?? x.pointer ?? '' },
      { header: 'REASON', value: (x) => x.reason, maxWidth: 70 },
      { header: 'VALUE', value: (x) => x.value, maxWidth: 30 },
    ]),
  );
}
