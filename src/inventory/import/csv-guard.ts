/**
 * @module A bounded structural check of RFC 4180 CSV, run over the raw (already UTF-8 checked)
 * bytes before csv-parse sees them. It detects the delimiter from the header line, and fails fast,
 * naming line and byte offset, on what would otherwise make a parser buffer without limit: a
 * header or row with too many columns (a 1,000,000-column line of empty fields costs csv-parse a
 * 1,000,000-entry array before it can complain) and a record larger than the record bound (a
 * 100 MB line). It also rejects quote misuse and rows whose field count differs from the header,
 * so the whole file can be checked in one cheap pass before anything is stored.
 */
import { describeBytes, importError } from './errors.js';

const QUOTE = 0x22;
/** a delimiter as an error message names it */
const shown = (d: string): string => (d === '\t' ? 'a tab' : `"${d}"`);
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const TAB = 0x09;

export const CSV_DELIMITERS = [',', ';', '\t'] as const;
/**
 * Any of CRLF, LF or CR ends a record. csv-parse must be given the same list: left to itself it
 * adopts the first line ending it meets and would read a later lone CR as field content.
 */
export const CSV_RECORD_DELIMITERS = ['\r\n', '\n', '\r'];
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/** Bytes scanned between record-size checks, so one huge chunk still fails within this distance. */
const WINDOW = 64 * 1024;

export interface CsvGuardOptions {
  maxColumns: number;
  maxRecordBytes: number;
  /** forces the delimiter instead of detecting it from the header line */
  delimiter?: CsvDelimiter;
  file?: string;
  /** remember each data record's start line for takeRecordLine() */
  trackLines?: boolean;
}

export class CsvStructureGuard {
  /** set once the header line has been read */
  delimiter: CsvDelimiter | undefined;
  /** number of header fields, 0 until the header has been read */
  columns = 0;
  /** non-empty data records seen */
  records = 0;
  /** start lines of data records not yet claimed by the parser (see takeRecordLine) */
  private lines: number[] = [];
  private linesHead = 0;

  private offset = 0;
  private state = FIELD_START;
  private line = 1;
  private lastCr = -2;
  private delimiterByte = -1;
  private fields = 0;
  private hasContent = false;
  private recordStart = 0;
  private recordLine = 1;
  private quoteStart = 0;
  private readonly counts = [0, 0, 0];
  /**
   * Header with the delimiter still to be chosen: per candidate, where it first stood right before an
   * opening quote or right after a closing one (-1: never). Quoting is only valid around the chosen
   * delimiter: `c1;"x",c2` splits on ',' into a field `c1;"x"` with a quote inside it.
   */
  private readonly quoteNeighbour = [-1, -1, -1];
  private quoteNeighbourLine = [0, 0, 0];
  /** the candidate delimiter the previous header byte was, -1 for anything else */
  private lastCandidate = -1;

  constructor(private readonly options: CsvGuardOptions) {
    if (options.delimiter) this.delimiterByte = options.delimiter.charCodeAt(0);
  }

  feed(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    if (this.offset === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      i = 3;
      this.recordStart = 3;
    }
    while (i < n) {
      const end = Math.min(n, i + WINDOW);
      i = this.delimiter === undefined ? this.scanHeader(chunk, i, end) : this.scanBody(chunk, i, end);
      this.checkRecordSize(this.offset + i);
    }
    this.offset += n;
  }

  end(): void {
    if (this.state === QUOTED) {
      throw this.error('import.csv_unclosed_quote', `a quoted field in the record starting on line ${this.recordLine} is never closed`, this.recordLine, this.quoteStart);
    }
    if (this.fields > 0 || this.hasContent) this.endRecord(this.offset);
    if (this.delimiter === undefined) {
      throw importError('import.empty_file', 'the CSV file has no header line', { ...this.fileLoc(), line: 1, byteOffset: this.offset });
    }
  }

  private scanHeader(buf: Buffer, start: number, end: number): number {
    const forced = this.delimiterByte;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      const state = this.state;
      if (state === QUOTED) {
        if (b === QUOTE) this.state = QUOTE_SEEN;
        else if (b === LF || b === CR) this.newline(b, i);
        continue;
      }
      if (state === QUOTE_SEEN && b === QUOTE) {
        this.state = QUOTED;
        continue;
      }
      const d = forced >= 0 ? (b === forced ? 0 : -1) : b === COMMA ? 0 : b === SEMICOLON ? 1 : b === TAB ? 2 : -1;
      const before = this.lastCandidate;
      this.lastCandidate = d;
      if (d >= 0) {
        if (state === QUOTE_SEEN) this.noteQuoteNeighbour(d, i);
        const c = ++this.counts[d]!;
        this.hasContent = true;
        this.state = FIELD_START;
        if (c + 1 > this.options.maxColumns) {
          throw this.error('import.too_many_columns', `the header line has more than ${this.options.maxColumns} columns (the column limit)`, this.recordLine, this.offset + i);
        }
      } else if (b === LF || b === CR) {
        this.newline(b, i);
        if (this.hasContent) {
          this.finishHeader(forced);
          this.startRecord(this.offset + i + 1);
          return i + 1;
        }
        this.startRecord(this.offset + i + 1);
      } else if (state === QUOTE_SEEN) {
        throw this.error('import.csv_invalid_quote', 'a closing quote must be followed by a delimiter or the end of the line', this.line, this.offset + i);
      } else if (b === QUOTE) {
        if (state !== FIELD_START) {
          throw this.error('import.csv_invalid_quote', 'a quote inside an unquoted field (quote the whole field and double inner quotes)', this.line, this.offset + i);
        }
        if (before >= 0) this.noteQuoteNeighbour(before, i);
        this.state = QUOTED;
        this.quoteStart = this.offset + i;
        this.hasContent = true;
      } else {
        this.state = UNQUOTED;
        this.hasContent = true;
      }
    }
    return end;
  }

  private noteQuoteNeighbour(d: number, i: number): void {
    if (this.quoteNeighbour[d]! >= 0) return;
    this.quoteNeighbour[d] = this.offset + i;
    this.quoteNeighbourLine[d] = this.line;
  }

  private finishHeader(forced: number): void {
    if (forced >= 0) {
      this.delimiter = String.fromCharCode(forced) as CsvDelimiter;
      this.columns = this.counts[0]! + 1;
    } else {
      let best = 0;
      for (let d = 1; d < 3; d++) if (this.counts[d]! > this.counts[best]!) best = d;
      // a quote that opened or closed beside another candidate is inside a field of the chosen delimiter
      for (let d = 0; d < 3; d++) {
        const at = this.quoteNeighbour[d]!;
        if (d !== best && at >= 0) {
          throw this.error('import.csv_invalid_quote', `a quote next to ${shown(CSV_DELIMITERS[d]!)} inside a field of the header, whose delimiter is ${shown(CSV_DELIMITERS[best]!)} (quote the whole field and double inner quotes)`, this.quoteNeighbourLine[d]!, at);
        }
      }
      this.delimiter = CSV_DELIMITERS[best]!;
      this.delimiterByte = this.delimiter.charCodeAt(0);
      this.columns = this.counts[best]! + 1;
    }
  }

  private scanBody(buf: Buffer, start: number, end: number): number {
    const delim = this.delimiterByte;
    let state = this.state;
    let hasContent = this.hasContent;
    try {
      for (let i = start; i < end; i++) {
        const b = buf[i]!;
        if (state === QUOTED) {
          if (b === QUOTE) state = QUOTE_SEEN;
          else if (b === LF || b === CR) this.newline(b, i);
          continue;
        }
        if (b === delim) {
          state = FIELD_START;
          hasContent = true;
          if (++this.fields >= this.columns) {
            throw this.error('import.csv_field_count', `line ${this.recordLine} has more fields than the header's ${this.columns}`, this.recordLine, this.offset + i);
          }
        } else if (b === LF || b === CR) {
          this.newline(b, i);
          this.hasContent = hasContent;
          this.endRecord(this.offset + i);
          this.startRecord(this.offset + i + 1);
          hasContent = false;
          state = FIELD_START;
        } else if (state === QUOTE_SEEN) {
          if (b !== QUOTE) {
            throw this.error('import.csv_invalid_quote', 'a closing quote must be followed by a delimiter or the end of the line', this.line, this.offset + i);
          }
          state = QUOTED;
        } else if (b === QUOTE) {
          if (state !== FIELD_START) {
            throw this.error('import.csv_invalid_quote', 'a quote inside an unquoted field (quote the whole field and double inner quotes)', this.line, this.offset + i);
          }
          state = QUOTED;
          this.quoteStart = this.offset + i;
          hasContent = true;
        } else {
          state = UNQUOTED;
          hasContent = true;
          // Most bytes are field content: skip the rest of the run without touching any state.
          let j = i + 1;
          while (j < end) {
            const c = buf[j]!;
            if (c === delim || c === LF || c === CR || c === QUOTE) break;
            j++;
          }
          i = j - 1;
        }
      }
    } finally {
      this.state = state;
      this.hasContent = hasContent;
    }
    return end;
  }

  private newline(b: number, i: number): void {
    const abs = this.offset + i;
    if (b === CR) {
      this.line++;
      this.lastCr = abs;
    } else if (this.lastCr !== abs - 1) {
      this.line++;
    }
  }

  private endRecord(at: number): void {
    if (!this.hasContent && this.fields === 0) return;
    if (this.delimiter === undefined) {
      this.finishHeader(this.delimiterByte);
      return;
    }
    const got = this.fields + 1;
    if (got !== this.columns) {
      throw this.error('import.csv_field_count', `line ${this.recordLine} has ${got} fields but the header has ${this.columns}`, this.recordLine, at);
    }
    this.records++;
    if (this.options.trackLines) this.lines.push(this.recordLine);
  }

  /**
   * The start line of the oldest data record not yet claimed: csv-parse emits the same records in
   * the same order (the guard follows its record rules), so the reader pairs them one by one.
   */
  takeRecordLine(): number | undefined {
    const line = this.lines[this.linesHead];
    if (line === undefined) return undefined;
    if (++this.linesHead >= 4096) {
      this.lines = this.lines.slice(this.linesHead);
      this.linesHead = 0;
    }
    return line;
  }

  private startRecord(at: number): void {
    this.fields = 0;
    this.hasContent = false;
    this.state = FIELD_START;
    this.recordStart = at;
    this.recordLine = this.line;
  }

  private checkRecordSize(abs: number): void {
    if (abs - this.recordStart > this.options.maxRecordBytes) {
      throw this.error(
        'import.record_too_large',
        `the record starting on line ${this.recordLine} is longer than the record size limit of ${describeBytes(this.options.maxRecordBytes)}`,
        this.recordLine,
        this.recordStart + this.options.maxRecordBytes,
      );
    }
  }

  private fileLoc(): { file?: string } {
    return this.options.file ? { file: this.options.file } : {};
  }

  private error(code: Parameters<typeof importError>[0], message: string, line: number, byteOffset: number) {
    return importError(code, message, { ...this.fileLoc(), line, byteOffset });
  }
}
