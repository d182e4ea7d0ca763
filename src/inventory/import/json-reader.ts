/**
 * @module Streaming JSON/NDJSON reading: bytes -> strict UTF-8 check -> JsonStructureScanner,
 * which marks where each record's bytes start and end; only those bytes are kept and handed to
 * JSON.parse, one record at a time.
 */
import { importError } from './errors.js';
import { JsonStructureScanner, type JsonMode, type JsonRecordSink } from './json-scanner.js';
import { Utf8StreamValidator } from './utf8.js';

export const RECORD_KEYS = ['devices', 'assets', 'items'] as const;

export interface JsonReadOptions {
  mode: JsonMode;
  file?: string;
  maxDepth: number;
  maxRecordBytes: number;
}

export interface JsonRecord {
  /** 1-based record index (JSON) or line number (NDJSON) */
  row: number;
  line: number;
  /** JSON pointer of the record (JSON only) */
  pointer?: string;
  value: unknown;
}

const EMPTY = Buffer.alloc(0);

class RecordCollector implements JsonRecordSink {
  chunk: Buffer = EMPTY;
  chunkStart = 0;
  private start = -1;
  private index = 0;
  private line = 0;
  private parts: Buffer[] = [];
  readonly done: { bytes: Buffer; index: number; line: number }[] = [];

  recordStart(offset: number, index: number, line: number): void {
    this.start = offset;
    this.index = index;
    this.line = line;
    this.parts = [];
  }

  recordEnd(offset: number): void {
    const from = Math.max(this.start, this.chunkStart) - this.chunkStart;
    const piece = this.chunk.subarray(from, Math.max(from, offset - this.chunkStart));
    const bytes = this.parts.length ? Buffer.concat([...this.parts, piece]) : piece;
    this.done.push({ bytes, index: this.index, line: this.line });
    this.start = -1;
    this.parts = [];
  }

  /** Keeps the unfinished record's bytes from the chunk that is about to be released. */
  chunkDone(): void {
    if (this.start >= 0) {
      const from = Math.max(this.start, this.chunkStart) - this.chunkStart;
      if (from < this.chunk.length) this.parts.push(Buffer.from(this.chunk.subarray(from)));
    }
    this.chunkStart += this.chunk.length;
    this.chunk = EMPTY;
  }
}

export async function* readJsonRecords(chunks: AsyncIterable<Buffer>, options: JsonReadOptions): AsyncGenerator<JsonRecord, void, undefined> {
  const utf8 = new Utf8StreamValidator(options.file);
  const collector = new RecordCollector();
  const scanner = new JsonStructureScanner({ ...options, recordKeys: RECORD_KEYS }, collector);
  const emit = function* (): Generator<JsonRecord> {
    for (const r of collector.done) {
      let value: unknown;
      try {
        value = JSON.parse(r.bytes.toString('utf8'));
      } catch (e) {
        // The scanner accepted these bytes, so this is a scanner/JSON.parse disagreement: still typed.
        throw importError('import.malformed_json', `malformed JSON in record ${r.index}: ${(e as Error).message}`, { ...(options.file ? { file: options.file } : {}), line: r.line });
      }
      if (options.mode === 'ndjson') yield { row: r.line, line: r.line, value };
      else yield { row: r.index, line: r.line, pointer: `${scanner.recordsPointer}/${r.index - 1}`, value };
    }
    collector.done.length = 0;
  };
  for await (const raw of chunks) {
    const body = utf8.push(raw);
    collector.chunk = body;
    scanner.feed(body);
    collector.chunkDone();
    yield* emit();
  }
  utf8.end();
  scanner.end();
  yield* emit();
}
