/**
 * @module Bounded JSON reading for advisory parsers: size-limited parsing with the byte offset of
 * syntax errors, RFC 6901 JSON pointers, and typed accessors that throw AdvisoryParseError naming
 * the pointer of a missing or mistyped field.
 */
import { AdvisoryParseError } from './errors.js';

export type JsonObject = Record<string, unknown>;

export const MAX_JSON_DOCUMENT_BYTES = 32 * 1024 * 1024;

/** Append a reference token to a JSON pointer, escaping '~' and '/'. */
export function ptr(base: string, token: string | number): string {
  return `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Parse untrusted JSON text, bounded in size; syntax errors name the character offset. */
export function parseJsonDocument(text: string, file: string, maxBytes = MAX_JSON_DOCUMENT_BYTES): unknown {
  if (typeof text !== 'string') throw new AdvisoryParseError('input is not text', { file });
  if (text.length > maxBytes) throw new AdvisoryParseError(`document larger than ${maxBytes} bytes`, { file, byteOffset: maxBytes });
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    throw new AdvisoryParseError(`invalid JSON: ${message}`, at ? { file, byteOffset: Number(at[1]) } : { file }, 'advisory.invalid_json');
  }
}

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field accessors bound to one file, so every error names file and pointer. */
export class JsonReader {
  constructor(readonly file: string) {}

  fail(reason: string, pointer: string): never {
    throw new AdvisoryParseError(reason, { file: this.file, pointer });
  }

  object(v: unknown, pointer: string): JsonObject {
    if (!isObject(v)) this.fail(`expected an object`, pointer);
    return v;
  }

  array(v: unknown, pointer: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`expected an array`, pointer);
    return v;
  }

  optArray(v: unknown, pointer: string): unknown[] {
    return v === undefined || v === null ? [] : this.array(v, pointer);
  }

  string(v: unknown, pointer: string): string {
    if (typeof v !== 'string') this.fail(v === undefined ? 'required field is missing' : 'expected a string', pointer);
    return v;
  }

  optString(v: unknown, pointer: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail('expected a string', pointer);
    return v;
  }

  optNumber(v: unknown, pointer: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail('expected a number', pointer);
    return v;
  }

  /** A required RFC 3339 timestamp, returned normalized to ISO-8601 UTC. */
  timestamp(v: unknown, pointer: string): string {
    const s = this.string(v, pointer);
    const t = Date.parse(s);
    if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t)) this.fail(`"${s}" is not an RFC 3339 timestamp`, pointer);
    return new Date(t).toISOString();
  }

  optTimestamp(v: unknown, pointer: string): string | undefined {
    return v === undefined || v === null ? undefined : this.timestamp(v, pointer);
  }
}

/** Strings from an array of possibly-non-strings, ignoring the rest. */
export const stringsOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
