/**
 * @module `ZeekConnLogParser`: Zeek conn.log in its ASCII (TSV) form, header blocks and all
 * (#separator, #set_separator, #empty_field, #unset_field, #path, #open, #fields, #types, #close,
 * several blocks per file as after a rotation or `cat`), and in its JSON-lines form, line by line.
 * Push bytes, receive records; a bad line is reported with its file and line and skipped, never
 * thrown, and memory stays bounded by the longest allowed line.
 */
import { FlowLogError, type FlowLogErrorCode } from '../errors.js';
import type { FlowLogRecord } from '../model.js';
import { connRecord, ZeekFieldError, type ZeekAccessor, type ZeekValue } from './conn.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './lines.js';

export interface ZeekParserOptions {
  /** file name for locations ("stdin" for standard input) */
  name: string;
  onRecord: (r: FlowLogRecord) => void;
  onError?: (e: FlowLogError) => void;
  /** longest accepted line in bytes (default 64 KiB) */
  maxLineBytes?: number;
  /** errors passed to onError; later ones are only counted (default 1000) */
  maxErrors?: number;
}

export interface ZeekParserStats {
  lines: number;
  records: number;
  headerLines: number;
  blankLines: number;
  /** header blocks seen (each #separator or #fields line after data starts one) */
  blocks: number;
  /** lines reported as errors and skipped */
  badLines: number;
  /** data lines skipped because their block is not a conn.log */
  skippedLines: number;
  errorsSuppressed: number;
}

interface Block {
  sep: string;
  setSep: string;
  empty: string;
  unset: string;
  path: string | undefined;
  fields: string[] | undefined;
  index: Map<string, number>;
  /** the block is not a conn.log (wrong #path or missing fields): its data lines are skipped */
  skip: boolean;
  fieldsLine: number;
}

const REQUIRED = ['ts', 'id.orig_h', 'id.resp_h'];
const newBlock = (sep = '\t'): Block => ({ sep, setSep: ',', empty: '(empty)', unset: '-', path: undefined, fields: undefined, index: new Map(), skip: false, fieldsLine: 0 });

const utf8 = new TextDecoder('utf-8', { fatal: false });
/** Zeek escapes the separator and non-printable bytes as \xHH; runs of them are UTF-8 bytes. */
export function unescapeZeek(s: string): string {
  if (!s.includes('\\x')) return s;
  return s.replace(/(?:\\x[0-9a-fA-F]{2})+/g, (run) => utf8.decode(Uint8Array.from(run.slice(2).split('\\x'), (h) => parseInt(h, 16))));
}

export class ZeekConnLogParser {
  private readonly lines: LineSplitter;
  private block = newBlock();
  private dataSinceHeader = false;
  private readonly counts: ZeekParserStats = { lines: 0, records: 0, headerLines: 0, blankLines: 0, blocks: 0, badLines: 0, skippedLines: 0, errorsSuppressed: 0 };
  private reported = 0;

  constructor(private readonly opts: ZeekParserOptions) {
    this.lines = new LineSplitter(
      {
        line: (text, n) => this.line(text, n),
        overlong: (n, seen) => this.fail('zeek.line-too-long', `line of ${seen}+ bytes exceeds the ${opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}-byte limit; skipped`, n),
      },
      opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    );
  }

  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
  }

  end(): ZeekParserStats {
    this.lines.end();
    return this.stats();
  }

  stats(): ZeekParserStats {
    return { ...this.counts, lines: this.lines.lines };
  }

  private fail(code: FlowLogErrorCode, message: string, line: number): void {
    this.counts.badLines++;
    if (this.reported >= (this.opts.maxErrors ?? 1000)) {
      this.counts.errorsSuppressed++;
      return;
    }
    this.reported++;
    this.opts.onError?.(new FlowLogError(code, message, { file: this.opts.name, line }));
  }

  private line(text: string, n: number): void {
    if (text.trim() === '') {
      this.counts.blankLines++;
      return;
    }
    if (text.startsWith('#')) return this.header(text, n);
    if (text.startsWith('{') || text.startsWith('[')) return this.json(text, n);
    this.dataSinceHeader = true;
    const b = this.block;
    if (b.skip) {
      this.counts.skippedLines++;
      return;
    }
    if (!b.fields) return this.fail('zeek.no-header', 'data line before any #fields header (not a Zeek TSV log?); skipped', n);
    const cols = text.split(b.sep);
    if (cols.length !== b.fields.length) {
      return this.fail('zeek.bad-line', `has ${cols.length} fields, the #fields header on line ${b.fieldsLine} declares ${b.fields.length}; skipped`, n);
    }
    this.emit((name) => {
      const i = b.index.get(name);
      const v = i === undefined ? undefined : cols[i];
      if (v === undefined || v === b.unset) return undefined;
      return v === b.empty ? '' : unescapeZeek(v);
    }, n);
  }

  private header(text: string, n: number): void {
    this.counts.headerLines++;
    if (text.startsWith('#separator')) {
      // "#separator \x09": the one header whose value follows a space, since the separator is not yet known
      const sep = unescapeZeek(text.slice('#separator'.length).trim());
      if (sep === '') return this.fail('zeek.bad-header', '#separator has no value; header ignored', n);
      this.startBlock(sep);
      return;
    }
    const b = this.block;
    const at = text.indexOf(b.sep);
    const key = at < 0 ? text : text.slice(0, at);
    const value = at < 0 ? '' : text.slice(at + b.sep.length);
    switch (key) {
      case '#set_separator':
        b.setSep = unescapeZeek(value);
        return;
      case '#empty_field':
        b.empty = unescapeZeek(value);
        return;
      case '#unset_field':
        b.unset = unescapeZeek(value);
        return;
      case '#path':
        b.path = value;
        if (value !== 'conn') {
          b.skip = true;
          this.fail('zeek.not-conn-log', `#path is "${value.slice(0, 40)}", not conn; its lines are skipped`, n);
        }
        return;
      case '#fields': {
        if ((this.dataSinceHeader && b.fields) || this.counts.blocks === 0) this.startBlock(b.sep, b);
        const nb = this.block;
        nb.fields = value.split(nb.sep);
        nb.fieldsLine = n;
        nb.index = new Map(nb.fields.map((f, i) => [f, i]));
        const missing = REQUIRED.filter((f) => !nb.index.has(f));
        if (missing.length > 0 && !nb.skip) {
          nb.skip = true;
          this.fail('zeek.not-conn-log', `#fields lacks ${missing.join(', ')}; not a conn.log block, its lines are skipped`, n);
        }
        return;
      }
      default:
        // #types, #open, #close and comments carry nothing a record needs
        return;
    }
  }

  /** A new header block; a #fields line after data keeps the previous block's separators. */
  private startBlock(sep: string, from?: Block): void {
    this.block = newBlock(sep);
    if (from) Object.assign(this.block, { setSep: from.setSep, empty: from.empty, unset: from.unset, path: from.path, skip: from.path !== undefined && from.path !== 'conn' });
    this.dataSinceHeader = false;
    this.counts.blocks++;
  }

  private json(text: string, n: number): void {
    this.dataSinceHeader = true;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      return this.fail('zeek.bad-json', `not valid JSON (${(e as Error).message.slice(0, 80)}); skipped`, n);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return this.fail('zeek.bad-json', 'JSON line is not an object; skipped', n);
    const rec = obj as Record<string, unknown>;
    if (typeof rec._path === 'string' && rec._path !== 'conn') return this.fail('zeek.not-conn-log', `_path is "${rec._path.slice(0, 40)}", not conn; skipped`, n);
    const get: ZeekAccessor = (name) => {
      if (Object.hasOwn(rec, name)) return rec[name] as ZeekValue;
      // nested form {"id": {"orig_h": ...}} as some shippers re-encode Zeek's flat keys
      const dot = name.indexOf('.');
      const outer = dot < 0 ? undefined : rec[name.slice(0, dot)];
      return typeof outer === 'object' && outer !== null ? ((outer as Record<string, unknown>)[name.slice(dot + 1)] as ZeekValue) : undefined;
    };
    if (get('ts') === undefined || get('id.orig_h') === undefined) return this.fail('zeek.not-conn-log', 'JSON object has no ts / id.orig_h: not a conn.log record; skipped', n);
    this.emit(get, n);
  }

  private emit(get: ZeekAccessor, n: number): void {
    let r: FlowLogRecord;
    try {
      r = connRecord(get, this.opts.name, n);
    } catch (e) {
      if (e instanceof ZeekFieldError) return this.fail('zeek.bad-line', `field ${e.field} ${e.reason}; skipped`, n);
      throw e;
    }
    this.counts.records++;
    this.opts.onRecord(r);
  }
}
