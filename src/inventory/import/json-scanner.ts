/**
 * @module A streaming, bounded JSON syntax checker (RFC 8259) that also finds the byte range of
 * every device record: the elements of a top-level array, of the `devices` array of a top-level
 * object, or each line of NDJSON. It holds no values (only the state of the current token and a
 * stack of at most `maxDepth` containers), so a file of any size is checked in constant memory;
 * the reader parses each record's bytes with JSON.parse once they are known to be well-formed.
 * Errors name line, column, byte offset and the JSON pointer of the record they occur in.
 */
import { describeBytes, importError, type ImportErrorCode } from './errors.js';

export type JsonMode = 'json' | 'ndjson';

export interface JsonScanOptions {
  mode: JsonMode;
  maxDepth: number;
  maxRecordBytes: number;
  /** keys of a top-level object whose array value holds the records */
  recordKeys: readonly string[];
  file?: string;
}

/** Told where each record's bytes start and end (absolute offsets, end exclusive). */
export interface JsonRecordSink {
  recordStart(offset: number, index: number, line: number): void;
  recordEnd(offset: number): void;
}

const enum S {
  Value,
  ArrayFirst,
  After,
  KeyOrEnd,
  Key,
  Colon,
  Str,
  Esc,
  Hex,
  NumMinus,
  NumZero,
  NumInt,
  NumDot,
  NumFrac,
  NumE,
  NumESign,
  NumExp,
  Literal,
  Done,
}

const ARRAY = 1;
const OBJECT = 2;
const LITERALS = ['true', 'false', 'null'];
const WINDOW = 64 * 1024;

export class JsonStructureScanner {
  /** records found so far */
  records = 0;
  /** JSON pointer of the records array: '' for a top-level array, '/devices' for a wrapper object */
  recordsPointer = '';
  private offset = 0;
  private state: S = S.Value;
  private readonly stack: Uint8Array;
  private depth = 0;
  private stringIsKey = false;
  private hexLeft = 0;
  private literal = '';
  private literalPos = 0;
  private line = 1;
  private lineStart = 0;
  private charsBeforeChunk = 0;
  private chunkStart = 0;
  private key: number[] | undefined;
  private pendingRecordKey = false;
  private topSeen = false;
  private topIsObject = false;
  private recordsDepth = -1;
  private recordsSeen = false;
  private inRecord = false;
  private recordStartOffset = 0;
  private currentChunk: Buffer = Buffer.alloc(0);

  constructor(
    private readonly options: JsonScanOptions,
    private readonly sink?: JsonRecordSink,
  ) {
    this.stack = new Uint8Array(options.maxDepth + 1);
    if (options.mode === 'ndjson') this.recordsDepth = 0;
  }

  feed(chunk: Buffer): void {
    this.currentChunk = chunk;
    this.chunkStart = this.offset;
    const n = chunk.length;
    let i = 0;
    if (this.offset === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      i = 3;
      this.lineStart = 3;
    }
    while (i < n) {
      const end = Math.min(n, i + WINDOW);
      for (; i < end; i++) this.step(chunk[i]!, i);
      if (this.inRecord && this.offset + i - this.recordStartOffset > this.options.maxRecordBytes) {
        throw this.error(
          'import.record_too_large',
          `record ${this.records} is longer than the record size limit of ${describeBytes(this.options.maxRecordBytes)}`,
          this.recordStartOffset + this.options.maxRecordBytes,
        );
      }
    }
    this.charsBeforeChunk = this.lineStart > this.chunkStart ? countChars(chunk, this.lineStart - this.chunkStart, n) : this.charsBeforeChunk + countChars(chunk, 0, n);
    this.offset += n;
  }

  end(): void {
    const at = this.offset;
    this.chunkStart = at;
    this.currentChunk = Buffer.alloc(0);
    if (this.isNumberEnd()) this.valueDone(at);
    else if (this.state >= S.NumMinus && this.state <= S.NumExp) throw this.error('import.malformed_json', 'the input ends inside a number', at);
    if (this.options.mode === 'ndjson') {
      if (this.depth > 0 || (this.state !== S.Value && this.state !== S.Done)) throw this.error('import.malformed_json', 'the input ends inside a JSON value', at);
      return;
    }
    if (!this.topSeen) throw this.error('import.malformed_json', 'the input is empty: expected a JSON array or object', at);
    if (this.state !== S.Done) throw this.error('import.malformed_json', 'the input ends before the JSON document is complete', at);
    if (this.topIsObject && !this.recordsSeen) {
      throw this.error('import.json_shape', `the top-level object has no ${this.options.recordKeys.map((k) => `"${k}"`).join(' or ')} array of devices`, at);
    }
  }

  private isNumberEnd(): boolean {
    const s = this.state;
    return s === S.NumZero || s === S.NumInt || s === S.NumFrac || s === S.NumExp;
  }

  private step(b: number, i: number): void {
    switch (this.state) {
      case S.Str:
        if (b === 0x22) this.endString(i);
        else if (b === 0x5c) this.state = S.Esc;
        else if (b < 0x20) throw this.unexpected(b, i, 'a control character must be escaped inside a string');
        else if (this.key && this.key.length < 256) this.key.push(b);
        return;
      case S.Esc:
        if (b === 0x75) {
          this.state = S.Hex;
          this.hexLeft = 4;
        } else if (b === 0x22 || b === 0x5c || b === 0x2f || b === 0x62 || b === 0x66 || b === 0x6e || b === 0x72 || b === 0x74) this.state = S.Str;
        else throw this.unexpected(b, i, 'invalid escape sequence in a string');
        return;
      case S.Hex:
        if (!isHex(b)) throw this.unexpected(b, i, 'a \\u escape needs four hexadecimal digits');
        if (--this.hexLeft === 0) this.state = S.Str;
        return;
      case S.Literal:
        if (b !== this.literal.charCodeAt(this.literalPos)) throw this.unexpected(b, i, `expected "${this.literal}"`);
        if (++this.literalPos === this.literal.length) this.valueDone(this.chunkStart + i + 1);
        return;
      default:
        break;
    }
    if (this.state >= S.NumMinus && this.state <= S.NumExp) {
      if (this.number(b, i)) return;
      this.valueDone(this.chunkStart + i);
    }
    if (b === 0x20 || b === 0x09 || b === 0x0d) return;
    if (b === 0x0a) {
      this.newline(i);
      return;
    }
    this.structural(b, i);
  }

  private newline(i: number): void {
    if (this.options.mode === 'ndjson') {
      if (this.depth > 0 || (this.state !== S.Value && this.state !== S.Done)) throw this.error('import.malformed_json', 'an NDJSON record must be on one line', this.chunkStart + i);
      this.state = S.Value;
    }
    this.line++;
    this.lineStart = this.chunkStart + i + 1;
  }

  private structural(b: number, i: number): void {
    const abs = this.chunkStart + i;
    switch (this.state) {
      case S.ArrayFirst:
        if (b === 0x5d) return this.close(ARRAY, abs);
        return this.value(b, i);
      case S.Value:
        return this.value(b, i);
      case S.After: {
        const top = this.stack[this.depth];
        if (b === 0x2c) this.state = top === ARRAY ? S.Value : S.Key;
        else if (b === 0x5d && top === ARRAY) this.close(ARRAY, abs);
        else if (b === 0x7d && top === OBJECT) this.close(OBJECT, abs);
        else throw this.unexpected(b, i, top === ARRAY ? 'expected "," or "]"' : 'expected "," or "}"');
        return;
      }
      case S.KeyOrEnd:
        if (b === 0x7d) return this.close(OBJECT, abs);
        if (b !== 0x22) throw this.unexpected(b, i, 'expected a property name in double quotes or "}"');
        return this.startString(true);
      case S.Key:
        if (b !== 0x22) throw this.unexpected(b, i, 'expected a property name in double quotes');
        return this.startString(true);
      case S.Colon:
        if (b !== 0x3a) throw this.unexpected(b, i, 'expected ":" after a property name');
        this.state = S.Value;
        return;
      case S.Done:
        throw this.unexpected(b, i, this.options.mode === 'ndjson' ? 'expected a line break after the record' : 'unexpected data after the end of the JSON document');
      default:
        throw this.unexpected(b, i, 'unexpected character');
    }
  }

  private value(b: number, i: number): void {
    const abs = this.chunkStart + i;
    const recordKey = this.pendingRecordKey;
    this.pendingRecordKey = false;
    if (this.depth === 0 && this.options.mode === 'json') {
      this.topSeen = true;
      if (b === 0x5b) this.recordsDepth = 1;
      else if (b === 0x7b) this.topIsObject = true;
      else throw this.error('import.json_shape', `expected an array of devices or an object with a ${this.options.recordKeys.map((k) => `"${k}"`).join(' or ')} array`, abs);
    }
    if (recordKey) {
      if (b !== 0x5b) throw this.error('import.json_shape', 'the devices property must be an array', abs);
      this.recordsDepth = 2;
    }
    if (this.depth === this.recordsDepth) {
      this.inRecord = true;
      this.recordStartOffset = abs;
      this.records++;
      this.sink?.recordStart(abs, this.records, this.line);
    }
    if (b === 0x7b) this.open(OBJECT, abs);
    else if (b === 0x5b) this.open(ARRAY, abs);
    else if (b === 0x22) this.startString(false);
    else if (b === 0x2d) this.state = S.NumMinus;
    else if (b === 0x30) this.state = S.NumZero;
    else if (b >= 0x31 && b <= 0x39) this.state = S.NumInt;
    else if (b === 0x74 || b === 0x66 || b === 0x6e) {
      this.literal = b === 0x74 ? LITERALS[0]! : b === 0x66 ? LITERALS[1]! : LITERALS[2]!;
      this.literalPos = 1;
      this.state = S.Literal;
    } else throw this.unexpected(b, i, 'expected a JSON value');
  }

  private open(kind: number, abs: number): void {
    if (this.depth >= this.options.maxDepth) throw this.error('import.json_too_deep', `the JSON nesting is deeper than the limit of ${this.options.maxDepth}`, abs);
    this.stack[++this.depth] = kind;
    this.state = kind === ARRAY ? S.ArrayFirst : S.KeyOrEnd;
  }

  private close(kind: number, abs: number): void {
    if (kind === ARRAY && this.depth === this.recordsDepth) {
      this.recordsSeen = true;
      if (this.options.mode === 'json' && this.depth === 2) this.recordsDepth = -1;
    }
    this.depth--;
    this.valueDone(abs + 1);
  }

  private startString(isKey: boolean): void {
    this.state = S.Str;
    this.stringIsKey = isKey;
    this.key = isKey && this.depth === 1 && this.topIsObject ? [] : undefined;
  }

  private endString(i: number): void {
    if (this.stringIsKey) {
      this.state = S.Colon;
      if (this.key) {
        const name = Buffer.from(this.key).toString('utf8');
        this.pendingRecordKey = this.options.recordKeys.includes(name);
        if (this.pendingRecordKey) this.recordsPointer = `/${name}`;
        this.key = undefined;
      }
      return;
    }
    this.valueDone(this.chunkStart + i + 1);
  }

  private number(b: number, i: number): boolean {
    const digit = b >= 0x30 && b <= 0x39;
    switch (this.state) {
      case S.NumMinus:
        if (b === 0x30) this.state = S.NumZero;
        else if (digit) this.state = S.NumInt;
        else throw this.unexpected(b, i, 'expected a digit after "-"');
        return true;
      case S.NumZero:
      case S.NumInt:
        if (digit && this.state === S.NumInt) return true;
        if (digit) throw this.unexpected(b, i, 'a number must not have leading zeros');
        if (b === 0x2e) this.state = S.NumDot;
        else if (b === 0x65 || b === 0x45) this.state = S.NumE;
        else return false;
        return true;
      case S.NumDot:
        if (!digit) throw this.unexpected(b, i, 'expected a digit after the decimal point');
        this.state = S.NumFrac;
        return true;
      case S.NumFrac:
        if (digit) return true;
        if (b === 0x65 || b === 0x45) this.state = S.NumE;
        else return false;
        return true;
      case S.NumE:
        if (b === 0x2b || b === 0x2d) this.state = S.NumESign;
        else if (digit) this.state = S.NumExp;
        else throw this.unexpected(b, i, 'expected a digit in the exponent');
        return true;
      case S.NumESign:
        if (!digit) throw this.unexpected(b, i, 'expected a digit in the exponent');
        this.state = S.NumExp;
        return true;
      default:
        return digit;
    }
  }

  private valueDone(absEnd: number): void {
    if (this.inRecord && this.depth === this.recordsDepth) {
      this.inRecord = false;
      this.sink?.recordEnd(absEnd);
    }
    this.state = this.depth === 0 ? S.Done : S.After;
  }

  private pointer(): string | undefined {
    if (!this.inRecord || this.options.mode === 'ndjson') return undefined;
    return `${this.recordsPointer}/${this.records - 1}`;
  }

  private unexpected(b: number, i: number, expectation: string) {
    const shown = b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
    return this.error('import.malformed_json', `malformed JSON: unexpected ${shown}; ${expectation}`, this.chunkStart + i);
  }

  private error(code: ImportErrorCode, message: string, abs: number) {
    const column = this.columnAt(abs);
    const pointer = this.pointer();
    return importError(code, message, {
      ...(this.options.file ? { file: this.options.file } : {}),
      line: this.line,
      column,
      byteOffset: abs,
      ...(pointer !== undefined ? { pointer } : {}),
    });
  }

  /** 1-based column in characters (code points) of the byte at `abs` on the current line. */
  private columnAt(abs: number): number {
    const rel = abs - this.chunkStart;
    const chunk = this.currentChunk;
    if (this.lineStart >= this.chunkStart) return countChars(chunk, this.lineStart - this.chunkStart, Math.min(rel, chunk.length)) + 1;
    return this.charsBeforeChunk + countChars(chunk, 0, Math.min(rel, chunk.length)) + 1;
  }
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function countChars(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = Math.max(0, from); i < to; i++) if ((buf[i]! & 0xc0) !== 0x80) n++;
  return n;
}
