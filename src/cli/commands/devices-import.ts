/**
 * @module `careguard devices import <file>`: imports a CMMS/asset export (CSV, JSON, NDJSON; `-`
 * reads stdin) through ImportService, with a progress bar on stderr. Prints the import report
 * (or `--json` for machines). Exit 0 when every row was imported, 1 when some rows were rejected,
 * 2 when the file could not be imported at all (nothing was stored). The importer is loaded when
 * the command runs (devices-import-run.ts).
 */
import type { Command } from 'commander';
import type { ImportService } from '../../inventory/import/index.js';
import type { CliContext } from '../context.js';
import type { ImportFlags } from './devices-import-run.js';

export function registerDevicesImportCommand(devices: Command, ctx: CliContext<{ imports: ImportService }>): void {
  devices
    .command('import <file>')
    .description('import devices from a CMMS/asset export (CSV, JSON array or {"devices": [...]}, NDJSON); "-" reads stdin')
    .option('--format <format>', 'csv, json or ndjson (default: from the file extension, else detected)')
    .option('--preset <id>', 'column preset: careguard, servicenow-style, tms-style, eq2-phoenix-style (default: detected from the header)')
    .option('--map <mapping>', 'column mapping over the preset: field=Column[,field=Column...] ("|" joins columns, empty unmaps)')
    .option('--map-file <path>', 'JSON mapping file: {"columns": {...}, "values": {...}, "dateOrder": "mdy"|"dmy"}')
    .option('--batch-size <n>', 'rows per transaction (default: 2000 for the first batch, then 10000)')
    .option('--delimiter <char>', 'CSV delimiter: "," ";" or "tab" (default: detected from the header line)')
    .option('--dry-run', 'validate and report without storing anything')
    .option('--json', 'print the import report as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: ImportFlags) => (await import('./devices-import-run.js')).importDevices(ctx, file, flags));
}
