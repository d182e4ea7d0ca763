/**
 * @module CSV import of N demo devices (default 100,000) into a fresh SQLite database through the
 * real ImportService and InventoryService. References measured in the same run on the same file:
 * reading its bytes from disk, csv-parse alone, the import's own tokenizer alone, and two storage
 * floors: the rows the import stored (device rows, documents, identifiers) inserted again into a
 * fresh database of the same schema with raw better-sqlite3 prepared statements, 10,000 per
 * transaction (what any import into this schema must at least pay), once with the search indexes
 * maintained row by row and once with them created after the last insert (what a bulk-load
 * import, which drops and recreates them, must at least pay). Reports rows/s (target >= 50,000)
 * and CPU seconds, the ratios to those references, a second (idempotent) import of the same
 * file, and peak RSS sampled every 20 ms.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import { systemActor } from '../src/core/index.js';
import { CsvTokenizer, type CsvRow } from '../src/inventory/import/csv-tokenizer.js';
import { Utf8StreamValidator } from '../src/inventory/import/utf8.js';
import { migrateToLatest, openDatabase } from '../src/storage/index.js';
import { DEVICE_INDEXES, deviceIndexColumns } from '../src/storage/migrations/0001-inventory.js';
import { writeDemoCsv } from '../src/inventory/demo/index.js';
import { loadConfig } from '../src/main/config.js';
import { createContainer } from '../src/main/container.js';

const MB = 1024 * 1024;

/** Peak resident set size between start() and stop(). */
function rssSampler() {
  let peak = 0;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  return {
    start() {
      peak = 0;
      sample();
      timer = setInterval(sample, 20);
    },
    stop(): number {
      if (timer) clearInterval(timer);
      sample();
      return peak;
    },
  };
}

async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/**
 * The storage floor: every row the import stored, inserted again into a fresh database of the
 * same schema with raw prepared statements (one row per statement, 10,000 devices per
 * transaction), timed from the first insert to the last commit. With `deferIndexes` the search
 * indexes are dropped first and created (same definitions) after the last commit, inside the
 * timed span; `indexMs` is that creation alone.
 */
async function storageFloor(source: string, target: string, deferIndexes = false): Promise<{ ms: number; cpuMs: number; indexMs: number; devices: number }> {
  const handle = await openDatabase(target);
  await migrateToLatest(handle);
  await handle.close();
  const from = new Database(source, { readonly: true });
  const to = new Database(target);
  to.pragma('journal_mode = WAL');
  to.pragma('synchronous = NORMAL');
  to.pragma('cache_size = -65536');
  try {
    const devices = from.prepare('select d.*, c.doc from devices d join device_docs c on c.seq = d.seq order by d.seq').raw(true).all() as unknown[][];
    const byDevice = (rows: unknown[][], idAt: number) => {
      const out = new Map<unknown, unknown[][]>();
      for (const r of rows) {
        const list = out.get(r[idAt]);
        if (list) list.push(r);
        else out.set(r[idAt], [r]);
      }
      return out;
    };
    const keysOf = byDevice(from.prepare('select kind, value, device_id from device_identifiers').raw(true).all() as unknown[][], 2);
    // the address index (migration 0009) is part of what an import stores
    const ipsOf = byDevice(from.prepare('select ip, device_id from device_ips').raw(true).all() as unknown[][], 1);
    const insertDevice = to.prepare('insert into devices (id, name, category, manufacturer, model, criticality_rank, status, site, building, unit, first_seen, last_seen, search_text) values (?,?,?,?,?,?,?,?,?,?,?,?,?)');
    const insertDoc = to.prepare('insert into device_docs (seq, doc) values (?, ?)');
    const insertKey = to.prepare('insert into device_identifiers (kind, value, device_id) values (?, ?, ?)');
    const insertIp = to.prepare('insert into device_ips (ip, device_id) values (?, ?)');
    if (deferIndexes) for (const [name] of DEVICE_INDEXES) to.exec(`drop index "${name}"`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < devices.length; i += 10_000) {
      to.transaction(() => {
        for (const row of devices.slice(i, i + 10_000)) {
          // row: seq, id, name, ..., search_text, doc
          const seq = insertDevice.run(row.slice(1, 14)).lastInsertRowid;
          insertDoc.run(seq, row[14]);
          for (const k of keysOf.get(row[1]) ?? []) insertKey.run(k);
          for (const a of ipsOf.get(row[1]) ?? []) insertIp.run(a);
        }
      })();
    }
    const i0 = performance.now();
    if (deferIndexes) {
      for (const [name, cols] of DEVICE_INDEXES) to.exec(`create index "${name}" on devices (${deviceIndexColumns('sqlite', cols).map((c) => `"${c}"`).join(', ')})`);
    }
    const cpu = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, indexMs: performance.now() - i0, devices: devices.length };
  } finally {
    from.close();
    to.close();
  }
}

export async function benchImport(opts: { devices: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-import-'));
  const csv = join(dir, 'devices.csv');
  const rss = rssSampler();
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  try {
    const gen = await timeIt(() => writeDemoCsv(csv, { seed: 42, count: opts.devices }));
    const bytes = statSync(csv).size;

    const read = await timeIt(async () => {
      let n = 0;
      for await (const chunk of createReadStream(csv, { highWaterMark: 256 * 1024 })) n += (chunk as Buffer).length;
      return n;
    });

    const csvOnly = await timeIt(async () => {
      let records = 0;
      const parser = createReadStream(csv, { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true, delimiter: ',', record_delimiter: ['\r\n', '\n', '\r'] }));
      for await (const _record of parser) records++;
      return records - 1;
    });

    const tokenizerOnly = await timeIt(async () => {
      const tokenizer = new CsvTokenizer({ delimiter: ',', maxColumns: 1000, maxRecordBytes: 1 << 20 });
      const utf8 = new Utf8StreamValidator();
      const rows: CsvRow[] = [];
      let records = 0;
      for await (const chunk of createReadStream(csv, { highWaterMark: 256 * 1024 })) {
        tokenizer.push(utf8.push(chunk as Buffer), rows);
        records += rows.length;
        rows.length = 0;
      }
      tokenizer.end(rows);
      return records + rows.length - 1;
    });

    const config = loadConfig({}, { dataDir: join(dir, 'data'), logLevel: 'warn' });
    const c = await createContainer(config);
    try {
      const actor = systemActor('bench');
      rss.start();
      const first = await timeIt(() => c.imports.importFile(csv, {}, actor));
      const peakRss = rss.stop();
      const second = await timeIt(() => c.imports.importFile(csv, {}, actor));
      const total = (await c.inventory.search({ limit: 1 })).total;
      const floor = await storageFloor(config.dbUrl, join(dir, 'floor.db'));
      const deferred = await storageFloor(config.dbUrl, join(dir, 'floor-deferred.db'), true);
      const rowsPerSec = first.value.rowsRead / (first.ms / 1000);
      const csvParseRowsPerSec = csvOnly.value / (csvOnly.ms / 1000);
      return {
        devices: opts.devices,
        'load average at start': loadAtStart,
        'csv size (MB)': bytes / MB,
        'generate csv (s)': gen.ms / 1000,
        'read file MB/s (reference)': bytes / MB / (read.ms / 1000),
        'csv-parse only rows/s (reference)': csvParseRowsPerSec,
        'tokenizer only rows/s (reference)': tokenizerOnly.value / (tokenizerOnly.ms / 1000),
        'storage floor rows/s (reference: raw inserts of the stored rows)': floor.devices / (floor.ms / 1000),
        'storage floor CPU (s)': floor.cpuMs / 1000,
        'storage floor with deferred search indexes rows/s (reference)': deferred.devices / (deferred.ms / 1000),
        'storage floor with deferred search indexes CPU (s)': deferred.cpuMs / 1000,
        '  of which creating the search indexes (s)': deferred.indexMs / 1000,
        'import rows/s (target >= 50,000)': rowsPerSec,
        'import time (s)': first.ms / 1000,
        'import CPU (s)': first.cpuMs / 1000,
        'import / csv-parse time ratio': first.ms / csvOnly.ms,
        'import / storage floor time ratio': first.ms / floor.ms,
        'import / deferred-index storage floor time ratio': first.ms / deferred.ms,
        'import / deferred-index storage floor CPU ratio': first.cpuMs / deferred.cpuMs,
        'import peak RSS (MB)': peakRss / MB,
        'created / rejected': `${first.value.created} / ${first.value.rejectedCount}`,
        'devices stored': total,
        're-import rows/s (nothing changes)': second.value.rowsRead / (second.ms / 1000),
        're-import CPU (s)': second.cpuMs / 1000,
        're-import unchanged': second.value.unchanged,
      };
    } finally {
      await c.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: `tsx bench/import.bench.ts [devices]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchImport({ devices: Number(process.argv[2] ?? 100_000) });
  for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(40)} ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v}`);
}
