/**
 * @module Streaming CSV reading: bytes -> strict UTF-8 check -> structural guard -> csv-parse.
 * The header line is read first to detect the delimiter; records then stream with backpressure,
 * so memory stays bounded by the record limit whatever the file size.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { isDomainError } from '../../core/index.js';
import { CSV_RECORD_DELIMITERS, CsvStructureGuard, type CsvDelimiter } from './csv-guard.js';
import { describeBytes, importError } from './errors.js';
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
  records: AsyncGenerator<CsvRecord, void, undefined>;
}

export async function openCsvReader(chunks: AsyncIterable<Buffer>, options: CsvReadOptions): Promise<CsvReader> {
  const utf8 = new Utf8StreamValidator(options.file);
  const guard = new CsvStructureGuard({ ...options, trackLines: true });
  const it = chunks[Symbol.asyncIterator]();
  const pending: Buffer[] = [];
  let ended = false;
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
  const delimiter = guard.delimiter!;
  async function* feed(): AsyncGenerator<Buffer> {
    try {
      yield* pending;
      pending.length = 0;
      if (ended) return;
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        const body = utf8.push(next.value);
        guard.feed(body);
        yield body;
      }
      utf8.end();
      guard.end();
    } finally {
      await it.return?.();
    }
  }
  const parser = parse({
    bom: true,
    delimiter,
    record_delimiter: CSV_RECORD_DELIMITERS,
    relax_column_count: false,
    skip_empty_lines: true,
    max_record_size: options.maxRecordBytes,
  });
  const done = pipeline(Readable.from(feed()), parser);
  done.catch(() => undefined);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await nextRecord(iterator, options);
  if (!first) throw importError('import.empty_file', 'the CSV file has no header line', { ...(options.file ? { file: options.file } : {}), line: 1, byteOffset: 0 });
  const header = first.map((h) => h.trim());
  async function* records(): AsyncGenerator<CsvRecord, void, undefined> {
    let row = 1;
    try {
      for (;;) {
        const values = await nextRecord(iterator, options);
        if (!values) return;
        row++;
        yield { row, line: guard.takeRecordLine() ?? row, values };
      }
    } finally {
      await iterator.return?.();
      await done.catch(() => undefined);
    }
  }
  return { header, delimiter, records: records() };
}

async function nextRecord<T>(iterator: AsyncIterator<T>, options: CsvReadOptions): Promise<T | undefined> {
  try {
    const r = await iterator.next();
    return r.done ? undefined : r.value;
  } catch (e) {
    throw translateCsvError(e, options);
  }
}

function translateCsvError(e: unknown, options: CsvReadOptions): unknown {
  if (isDomainError(e)) return e;
  if (e instanceof CsvError) {
    const info = e as CsvError & { lines?: number; bytes?: number };
    const location = { ...(options.file ? { file: options.file } : {}), ...(info.lines !== undefined ? { line: info.lines } : {}), ...(info.bytes !== undefined ? { byteOffset: info.bytes } : {}) };
    if (e.code === 'CSV_MAX_RECORD_SIZE') {
      return importError('import.record_too_large', `a record is longer than the record size limit of ${describeBytes(options.maxRecordBytes)}`, location);
    }
    return importError('import.csv_parse', `malformed CSV: ${e.message}`, location, { csvCode: e.code });
  }
  return e;
}
