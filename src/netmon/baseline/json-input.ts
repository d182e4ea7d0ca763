/**
 * @module A small checker for JSON documents people write (policy files) or tools store (baseline
 * snapshots): each accessor validates one value, records a problem with its RFC 6901 JSON pointer
 * instead of throwing, and returns undefined, so one run reports every mistake at once. Unknown keys
 * are problems too (with a "did you mean" hint): a misspelt "cidr" must not silently mean "no CIDRs".
 */
import { DomainError } from '../../core/index.js';

export interface JsonProblem {
  /** RFC 6901 pointer to the offending value ("" is the document) */
  pointer: string;
  message: string;
}

/** Appends one reference token to a pointer, escaping "~" and "/" as RFC 6901 requires. */
export const ptr = (base: string, token: string | number): string => `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export class JsonChecker {
  readonly problems: JsonProblem[] = [];
  /** further problems are counted, not kept: a wrong file of 100 000 lines must not build a huge error */
  dropped = 0;

  constructor(private readonly maxProblems = 100) {}

  fail(pointer: string, message: string): undefined {
    if (this.problems.length < this.maxProblems) this.problems.push({ pointer, message });
    else this.dropped++;
    return undefined;
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** An object whose keys must all be in `known`; unknown keys are reported with the nearest known one. */
  object(v: unknown, pointer: string, known: readonly string[]): Record<string, unknown> | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(pointer, `expected an object, found ${typeName(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const near = known.map((n) => [n, editDistance(k.toLowerCase(), n.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
      const hint = near && near[1] <= Math.max(2, Math.floor(k.length / 3)) ? ` (did you mean "${near[0]}"?)` : ` (known: ${known.join(', ')})`;
      this.fail(ptr(pointer, k), `unknown property "${k}"${hint}`);
    }
    return o;
  }

  array(v: unknown, pointer: string, max: number): unknown[] | undefined {
    if (!Array.isArray(v)) return this.fail(pointer, `expected an array, found ${typeName(v)}`);
    if (v.length > max) return this.fail(pointer, `at most ${max} entries are allowed, found ${v.length}`);
    return v;
  }

  string(v: unknown, pointer: string, opts: { min?: number; max?: number; pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    if (typeof v !== 'string') return this.fail(pointer, `expected a string, found ${typeName(v)}`);
    if (v.length < (opts.min ?? 0)) return this.fail(pointer, opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters`);
    if (opts.max !== undefined && v.length > opts.max) return this.fail(pointer, `must be at most ${opts.max} characters, found ${v.length}`);
    if (opts.pattern && !opts.pattern.test(v)) return this.fail(pointer, `"${v}" ${opts.patternHint ?? `does not match ${String(opts.pattern)}`}`);
    return v;
  }

  number(v: unknown, pointer: string, rule: NumberRule = {}): number | undefined {
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(pointer, `expected a number, found ${typeName(v)}`);
    if (rule.integer && !Number.isInteger(v)) return this.fail(pointer, `expected an integer, found ${v}`);
    if (rule.min !== undefined && v < rule.min) return this.fail(pointer, `must be >= ${rule.min}, found ${v}`);
    if (rule.max !== undefined && v > rule.max) return this.fail(pointer, `must be <= ${rule.max}, found ${v}`);
    return v;
  }

  boolean(v: unknown, pointer: string): boolean | undefined {
    return typeof v === 'boolean' ? v : this.fail(pointer, `expected true or false, found ${typeName(v)}`);
  }

  oneOf<T extends string>(v: unknown, pointer: string, values: readonly T[]): T | undefined {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    return this.fail(pointer, `expected one of ${values.map((x) => `"${x}"`).join(', ')}, found ${typeof v === 'string' ? `"${v}"` : typeName(v)}`);
  }

  /** Throws a DomainError listing every problem (the first one's pointer as its location) when any was found. */
  throwIfProblems(code: string, what: string, file?: string): void {
    if (this.ok) return;
    const first = this.problems[0] as JsonProblem;
    const total = this.problems.length + this.dropped;
    const list = this.problems.slice(0, 20).map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n');
    throw new DomainError(code, `${what}${file ? ` ${file}` : ''} is invalid (${total} problem${total === 1 ? '' : 's'}):\n${list}${total > 20 ? `\n  … and ${total - 20} more` : ''}`, {
      status: 400,
      location: { ...(file ? { file } : {}), pointer: first.pointer },
      details: { problems: this.problems, more: this.dropped },
    });
  }
}

/**
 * Offset of the first syntax error in JSON text (V8 in Node 20 names the offending token but not
 * always its position). A small recursive-descent scan run only after JSON.parse failed; depth is
 * bounded so a deeply nested document cannot overflow the stack.
 */
export function locateJsonError(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const str = () => {
    i++;
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') return void i++;
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
      }
      i++;
    }
    fail();
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail();
    ws();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (ch === '{') {
          ws();
          if (text[i] !== '"') fail();
          str();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) return void i++;
        fail();
      }
    }
    if (ch === '"') return str();
    if (ch === 't') return lit('true');
    if (ch === 'f') return lit('false');
    if (ch === 'n') return lit('null');
    return num();
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : -1;
  } catch (pos) {
    return typeof pos === 'number' ? Math.min(pos, text.length) : 0;
  }
}

/** JSON.parse with a DomainError naming line and column on a syntax error. */
export function parseJsonText(text: string, code: string, what: string, file?: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = locateJsonError(text);
    let location: { file?: string; line?: number; column?: number; byteOffset?: number } = file ? { file } : {};
    if (pos >= 0) {
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      location = { ...location, line, column: pos - before.lastIndexOf('\n'), byteOffset: Buffer.byteLength(before) };
    }
    const where = location.line === undefined ? '' : ` at line ${location.line} column ${location.column}`;
    // V8 quotes short documents whole and counts characters; line and column say it better
    const reason = (msg.split(', "')[0] as string).replace(/ in JSON at position \d+.*$/s, '');
    throw new DomainError(code, `${what}${file ? ` ${file}` : ''} is not valid JSON${where}: ${reason}`, { status: 400, location, cause: e });
  }
}
