/**
 * @module A streaming RFC 4180 tokenizer for the import's second pass: whole-character UTF-8
 * chunks in (Utf8StreamValidator output), records of field strings out, each with the line it
 * starts on. It reads what csv-parse reads with the options the import used (one delimiter,
 * CRLF/LF/CR record ends, empty lines skipped, every record as wide as the first, quotes only
 * around a whole field) and is checked against csv-parse by a property test; it exists because
 * csv-parse alone ran slower (about 43,000 rows/s here) than the whole import has to.
 *
 * Each chunk is decoded to one string and scanned with charCodeAt; fields are slices of it. An
 * unfinished record is carried into the next chunk, bounded by the record limit, so a 100 MB line
 * fails once the limit is passed rather than being buffered. Errors are typed import errors
 * naming the line and the byte offset (computed only when failing).
 */
import type { CsvDelimiter } from './csv-guard.js';
import { describeBytes, importError, type ImportErrorCode } from './errors.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

export interface CsvTokenizerOptions {
  delimiter: CsvDelimiter;
  maxColumns: number;
  /** records longer than this many characters (at most as many bytes) fail */
  maxRecordBytes: number;
  file?: string;
}

export interface CsvRow {
  values: string[];
  /** line on which the record starts (1-based; CRLF, LF and CR each end a line) */
  line: number;
}

/** Why a scan stopped before the end of the text. */
const NEED_MORE = -1;

export class CsvTokenizer {
  private readonly delim: number;
  /** text of the record not finished by the previous chunk */
  private carry = '';
  /** absolute byte offset of carry[0] */
  private carryByte = 0;
  /** line on which carry[0] lies */
  private carryLine = 1;
  /** bytes of input consumed so far (up to the end of the last chunk) */
  private bytes = 0;
  /** the previous chunk ended with CR: an LF starting this one completes that line ending */
  private afterCr = false;
  private started = false;
  /** fields per record, from the first record (the header); 0 until then */
  columns = 0;

  // scan state for one text, kept on the instance so the hot loop needs no closures
  private text = '';
  private textByte = 0;
  /** the text starts right after a CR (so a leading LF ends no new line) */
  private textAfterCr = false;
  private line = 1;
  /** line on which the record being scanned starts */
  private recordLine = 1;

  constructor(private readonly options: CsvTokenizerOptions) {
    this.delim = options.delimiter.charCodeAt(0);
  }

  /** Tokenizes the next chunk, appending the records it completes to `out`. */
  push(chunk: Buffer, out: CsvRow[]): void {
    if (chunk.length === 0) return;
    let s = chunk.toString('utf8');
    this.bytes += chunk.length;
    if (!this.started) {
      this.started = true;
      if (s.charCodeAt(0) === BOM) {
        s = s.slice(1);
        this.carryByte = 3;
      }
    }
    this.scan(this.carry === '' ? s : this.carry + s, false, out);
  }

  /** Ends the input: a record without a final line break still counts; an open quote fails. */
  end(out: CsvRow[]): void {
    const rest = this.carry;
    this.carry = '';
    if (rest !== '') this.scan(rest, true, out);
  }

  private scan(s: string, final: boolean, out: CsvRow[]): void {
    this.text = s;
    this.textByte = this.carryByte;
    this.line = this.carryLine;
    this.textAfterCr = this.afterCr;
    const n = s.length;
    const delim = this.delim;
    let i = 0;
    let afterCr = this.afterCr;
    while (i < n) {
      const c = s.charCodeAt(i);
      // Empty lines are skipped; CRLF is one line ending, also when split across chunks.
      if (c === LF) {
        if (!afterCr) this.line++;
        afterCr = false;
        i++;
        continue;
      }
      if (c === CR) {
        this.line++;
        afterCr = true;
        i++;
        continue;
      }
      afterCr = false;
      const start = i;
      const startLine = this.line;
      this.recordLine = startLine;
      const values: string[] = this.columns > 0 ? new Array<string>(this.columns) : [];
      let fields = 0;
      let end = NEED_MORE;
      for (;;) {
        let value: string;
        if (i < n && s.charCodeAt(i) === QUOTE) {
          const q = this.quoted(i, final);
          if (q === NEED_MORE) break;
          value = this.quotedValue;
          i = q;
        } else {
          let j = i;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (d === delim || d === LF || d === CR) break;
            if (d === QUOTE) this.fail('import.csv_invalid_quote', 'a quote inside an unquoted field (quote the whole field and double inner quotes)', j);
            j++;
          }
          if (j === n && !final) break;
          value = s.slice(i, j);
          i = j;
        }
        values[fields++] = value;
        if (i === n) {
          if (!final) break;
          end = i;
          break;
        }
        const d = s.charCodeAt(i);
        if (d === delim) {
          // Bounds are checked at the delimiter that would open one field too many (as the guard does).
          if (this.columns === 0 && fields >= this.options.maxColumns) {
            this.fail('import.too_many_columns', `the header line has more than ${this.options.maxColumns} columns (the column limit)`, i, startLine);
          }
          if (this.columns > 0 && fields >= this.columns) this.fail('import.csv_field_count', `line ${startLine} has more fields than the header's ${this.columns}`, i, startLine);
          i++;
          // a delimiter at the very end of the input still opens one last (empty) field
          if (i === n && final) {
            values[fields++] = '';
            end = i;
            break;
          }
          continue;
        }
        if (d !== CR && d !== LF) this.fail('import.csv_invalid_quote', 'a closing quote must be followed by a delimiter or the end of the line', i);
        // CR or LF ends the record; the loop above consumes it as a line ending
        end = i;
        break;
      }
      if (end === NEED_MORE) {
        this.keep(start, startLine, afterCr);
        return;
      }
      if (end - start > this.options.maxRecordBytes) this.tooLarge(start, startLine);
      if (this.columns === 0) this.columns = fields;
      else if (fields !== this.columns) this.fail('import.csv_field_count', `line ${startLine} has ${fields} fields but the header has ${this.columns}`, end, startLine);
      if (values.length !== fields) values.length = fields;
      out.push({ values, line: startLine });
    }
    this.afterCr = afterCr;
    this.carry = '';
    this.carryByte = this.bytes;
    this.carryLine = this.line;
  }

  /** The value of the quoted field just scanned by quoted(). */
  private quotedValue = '';

  /**
   * Scans the quoted field opening at `at`; returns the index after its closing quote (leaving
   * the value in quotedValue), or NEED_MORE when the text ends first and more may follow.
   */
  private quoted(at: number, final: boolean): number {
    const s = this.text;
    const n = s.length;
    let from = at + 1;
    let value = '';
    let lines = 0;
    let afterCr = false;
    for (;;) {
      const q = s.indexOf('"', from);
      const stop = q < 0 ? n : q;
      // line breaks inside quotes are content, but still count as lines for later locations
      for (let k = from; k < stop; k++) {
        const c = s.charCodeAt(k);
        if (c === CR) {
          lines++;
          afterCr = true;
        } else {
          if (c === LF && !afterCr) lines++;
          afterCr = false;
        }
      }
      if (q < 0) {
        if (final) this.fail('import.csv_unclosed_quote', `a quoted field in the record starting on line ${this.recordLine} is never closed`, at, this.recordLine);
        return NEED_MORE;
      }
      if (q + 1 === n && !final) return NEED_MORE;
      afterCr = false;
      if (s.charCodeAt(q + 1) === QUOTE) {
        value += s.slice(from, q + 1);
        from = q + 2;
        continue;
      }
      this.quotedValue = value === '' ? s.slice(from, q) : value + s.slice(from, q);
      this.line += lines;
      return q + 1;
    }
  }

  /** Carries the unfinished record starting at `start` into the next chunk. */
  private keep(start: number, startLine: number, afterCr: boolean): void {
    const s = this.text;
    if (s.length - start > this.options.maxRecordBytes) this.tooLarge(start, startLine);
    this.carry = s.slice(start);
    this.carryByte = this.bytes - Buffer.byteLength(this.carry);
    this.carryLine = startLine;
    this.afterCr = afterCr;
  }

  private tooLarge(start: number, startLine: number): never {
    const max = this.options.maxRecordBytes;
    const at = this.textByte + Buffer.byteLength(this.text.slice(0, start)) + max;
    throw this.error('import.record_too_large', `the record starting on line ${startLine} is longer than the record size limit of ${describeBytes(max)}`, startLine, at);
  }

  /** Fails at index `at` of the current text, on `line` (default: the line `at` lies on). */
  private fail(code: ImportErrorCode, message: string, at: number, line = this.lineAt(at)): never {
    throw this.error(code, message, line, this.textByte + Buffer.byteLength(this.text.slice(0, at)));
  }

  /** Line of index `at` of the current text (only computed for errors). */
  private lineAt(at: number): number {
    const s = this.text;
    let line = this.carryLine;
    let afterCr = this.textAfterCr;
    for (let k = 0; k < at && k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c === CR) {
        line++;
        afterCr = true;
      } else {
        if (c === LF && !afterCr) line++;
        afterCr = false;
      }
    }
    return line;
  }

  private error(code: ImportErrorCode, message: string, line: number, byteOffset: number) {
    return importError(code, message, { ...(this.options.file ? { file: this.options.file } : {}), line, byteOffset });
  }
}
