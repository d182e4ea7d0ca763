/**
 * @module CSV import of N demo devices (default 100,000) into a fresh SQLite database through the
 * real ImportService and InventoryService. References measured in the same run on the same file:
 * reading its bytes from disk, and csv-parse alone (what any CSV import must at least pay).
 * Reports rows/s (target >= 50,000), the ratio to csv-parse alone, a second (idempotent) import
 * of the same file, and peak RSS sampled every 20 ms.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { systemActor } from '../src/core/index.js';
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

async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function benchImport(opts: { devices: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-import-'));
  const csv = join(dir, 'devices.csv');
  const rss = rssSampler();
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

    const config = loadConfig({}, { dataDir: join(dir, 'data'), logLevel: 'warn' });
    const c = await createContainer(config);
    try {
      const actor = systemActor('bench');
      rss.start();
      const first = await timeIt(() => c.imports.importFile(csv, {}, actor));
      const peakRss = rss.stop();
      const second = await timeIt(() => c.imports.importFile(csv, {}, actor));
      const total = (await c.inventory.search({ limit: 1 })).total;
      const rowsPerSec = first.value.rowsRead / (first.ms / 1000);
      const csvParseRowsPerSec = csvOnly.value / (csvOnly.ms / 1000);
      return {
        devices: opts.devices,
        'csv size (MB)': bytes / MB,
        'generate csv (s)': gen.ms / 1000,
        'read file MB/s (reference)': bytes / MB / (read.ms / 1000),
        'csv-parse only rows/s (reference)': csvParseRowsPerSec,
        'import rows/s (target >= 50,000)': rowsPerSec,
        'import time (s)': first.ms / 1000,
        'import / csv-parse time ratio': first.ms / csvOnly.ms,
        'import peak RSS (MB)': peakRss / MB,
        'created / rejected': `${first.value.created} / ${first.value.rejectedCount}`,
        'devices stored': total,
        're-import rows/s (nothing changes)': second.value.rowsRead / (second.ms / 1000),
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
