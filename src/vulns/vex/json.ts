/**
 * @module Bounded JSON reading for VEX importers: size-limited parsing that names the byte offset
 * of syntax errors, RFC 6901 pointers, and typed accessors that throw VexParseError naming the
 * file and pointer of a missing or mistyped field.
 */
import { VexParseError, type VexErrorCode } from './errors.js';

export type JsonObject = Record<string, unknown>;

export const VEX_LIMITS = {
  /** characters of JSON text */
  maxBytes: 32 * 1024 * 1024,
  /** statements (CycloneDX vulnerabilities x affects, CSAF product statuses, OpenVEX statements) */
  maxStatements: 200_000,
  /** CycloneDX components and services, CSAF products */
  maxProducts: 100_000,
  /** CycloneDX component nesting, OpenVEX subcomponent nesting */
  maxDepth: 32,
  /** any single array the importers walk */
  maxArray: 100_000,
} as const;

/** Append a reference token to a JSON pointer, escaping '~' and '/'. */
export function ptr(base: string, token: string | number): string {
  return `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse untrusted JSON text, bounded in size; syntax errors name the character offset. */
export function parseVexJson(text: string, file: string, maxBytes: number = VEX_LIMITS.maxBytes): unknown {
  if (typeof text !== 'string') throw new VexParseError('vex.invalid', 'input is not text', { file });
  if (text.length > maxBytes) throw new VexParseError('vex.too_large', `document larger than ${maxBytes} bytes`, { file, byteOffset: maxBytes });
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    throw new VexParseError('vex.invalid_json', `invalid JSON: ${message}`, at ? { file, byteOffset: Number(at[1]) } : { file });
  }
}

/** Field accessors bound to one file, so every error names file and pointer. */
export class VexReader {
  constructor(readonly file: string) {}

  fail(reason: string, pointer: string, code: VexErrorCode = 'vex.invalid'): never {
    throw new VexParseError(code, reason, { file: this.file, pointer });
  }

  object(v: unknown, pointer: string): JsonObject {
    if (!isObject(v)) this.fail(v === undefined ? 'required object is missing' : 'expected an object', pointer);
    return v;
  }

  optObject(v: unknown, pointer: string): JsonObject | undefined {
    return v === undefined || v === null ? undefined : this.object(v, pointer);
  }

  array(v: unknown, pointer: string): unknown[] {
    if (!Array.isArray(v)) this.fail(v === undefined ? 'required array is missing' : 'expected an array', pointer);
    if (v.length > VEX_LIMITS.maxArray) this.fail(`more than ${VEX_LIMITS.maxArray} entries`, pointer, 'vex.too_large');
    return v;
  }

  optArray(v: unknown, pointer: string): unknown[] {
    return v === undefined || v === null ? [] : this.array(v, pointer);
  }

  string(v: unknown, pointer: string): string {
    if (typeof v !== 'string') this.fail(v === undefined ? 'required field is missing' : 'expected a string', pointer);
    return v;
  }

  /** A required string that is not blank. */
  text(v: unknown, pointer: string): string {
    const s = this.string(v, pointer);
    if (s.trim() === '') this.fail('must not be empty', pointer);
    return s;
  }

  optString(v: unknown, pointer: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail('expected a string', pointer);
    return v;
  }

  /** Strings of an optional array; each entry must be a string. */
  strings(v: unknown, pointer: string): string[] {
    return this.optArray(v, pointer).map((x, i) => this.string(x, ptr(pointer, i)));
  }

  /** One of the allowed values. */
  oneOf<T extends string>(v: unknown, allowed: readonly T[], pointer: string): T {
    const s = this.string(v, pointer);
    if (!(allowed as readonly string[]).includes(s)) {
      const shown = allowed.slice(0, 14).map((a) => `"${a}"`).join(', ');
      this.fail(`"${s.slice(0, 80)}" is not one of ${shown}${allowed.length > 14 ? ', ...' : ''}`, pointer);
    }
    return s as T;
  }

  /** An RFC 3339 timestamp, returned normalized to ISO-8601 UTC. */
  timestamp(v: unknown, pointer: string): string {
    const s = this.string(v, pointer);
    const t = Date.parse(s);
    if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t)) this.fail(`"${s.slice(0, 80)}" is not an RFC 3339 timestamp`, pointer);
    return new Date(t).toISOString();
  }

  optTimestamp(v: unknown, pointer: string): string | undefined {
    return v === undefined || v === null ? undefined : this.timestamp(v, pointer);
  }
}

export const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
