/**
 * @module Streaming CSV reading: bytes -> strict UTF-8 check -> CsvTokenizer. The header line is
 * first run through the structural guard to detect the delimiter; records then stream chunk by
 * chunk (one chunk's records at a time), so memory stays bounded by the chunk size and the record
 * limit whatever the file size.
 */
import { CsvStructureGuard, type CsvDelimiter } from './csv-guard.js';
import { CsvTokenizer, type CsvRow } from './csv-tokenizer.js';
import { importError } from './errors.js';
import { Utf8StreamValidator } from './utf8.js';

export interface CsvReadOptions {
  file?: string;
  maxColumns: number;
  maxRecordBytes: number;
  delimiter?: CsvDelimiter;
}

export interface CsvRecord {
  /** record number, header = 1 */
  row: number;
  /** line on which the record starts */
  line: number;
  values: string[];
}

export interface CsvReader {
  header: string[];
  delimiter: CsvDelimiter;
  /** the data records one by one */
  records: AsyncGenerator<CsvRecord, void, undefined>;
  /** the same records, a chunk's worth at a time (cheaper for bulk consumers); use one or the other */
  batches: AsyncGenerator<CsvRecord[], void, undefined>;
  /** stops reading (for a caller that gives up before iterating, e.g. on a bad column mapping) */
  close(): Promise<void>;
}

export async function openCsvReader(chunks: AsyncIterable<Buffer>, options: CsvReadOptions): Promise<CsvReader> {
  const utf8 = new Utf8StreamValidator(options.file);
  const guard = new CsvStructureGuard(options);
  const it = chunks[Symbol.asyncIterator]();
  const pending: Buffer[] = [];
  let ended = false;
  try {
    // The guard names the delimiter once it has seen the header line; the tokenizer reads from byte 0.
    while (guard.delimiter === undefined) {
      const next = await it.next();
      if (next.done) {
        utf8.end();
        guard.end();
        ended = true;
        break;
      }
      const body = utf8.push(next.value);
      guard.feed(body);
      pending.push(body);
    }
  } catch (e) {
    await it.return?.();
    throw e;
  }
  const delimiter = guard.delimiter!;
  const tokenizer = new CsvTokenizer({ delimiter, maxColumns: options.maxColumns, maxRecordBytes: options.maxRecordBytes, ...(options.file ? { file: options.file } : {}) });
  const rows: CsvRow[] = [];

  /** Tokenizes until at least one record is ready; an empty result means the input is done. */
  let done = false;
  const fill = async (): Promise<void> => {
    while (rows.length === 0 && !done) {
      const body = pending.shift();
      if (body) {
        tokenizer.push(body, rows);
        continue;
      }
      const next = ended ? { done: true as const, value: undefined } : await it.next();
      if (next.done) {
        utf8.end();
        tokenizer.end(rows);
        done = true;
      } else tokenizer.push(utf8.push(next.value), rows);
    }
  };

  try {
    await fill();
  } catch (e) {
    await it.return?.();
    throw e;
  }
  const first = rows.shift();
  if (!first) throw importError('import.empty_file', 'the CSV file has no header line', { ...(options.file ? { file: options.file } : {}), line: 1, byteOffset: 0 });
  const header = first.values.map((h) => h.trim());

  let row = 1;
  async function* batches(): AsyncGenerator<CsvRecord[], void, undefined> {
    try {
      for (;;) {
        await fill();
        if (rows.length === 0) return;
        const out: CsvRecord[] = new Array<CsvRecord>(rows.length);
        for (let k = 0; k < rows.length; k++) {
          const r = rows[k]!;
          out[k] = { row: ++row, line: r.line, values: r.values };
        }
        rows.length = 0;
        yield out;
      }
    } finally {
      await it.return?.();
    }
  }
  async function* records(): AsyncGenerator<CsvRecord, void, undefined> {
    for await (const batch of batches()) yield* batch;
  }
  const close = async (): Promise<void> => {
    done = true;
    await it.return?.();
  };
  return { header, delimiter, records: records(), batches: batches(), close };
}
