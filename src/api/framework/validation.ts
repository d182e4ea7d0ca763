/**
 * @module Request validation. Bodies are checked strictly: no type coercion (a string is not a
 * number), unknown fields rejected (schemas use additionalProperties:false and nothing is
 * silently removed). Query strings, path parameters and headers arrive as text, so those are
 * coerced to the declared types. Every failure is reported per field with its JSON pointer.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

function makeAjv(coerce: boolean): Ajv {
  const options: Options = {
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    // route modules may carry OpenAPI annotations (examples, x-*) that are not validation keywords
    strict: false,
  };
  const ajv = new Ajv(options);
  addFormats.default(ajv);
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strictAjv = makeAjv(false);
  const coercingAjv = makeAjv(true);
  return ({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object);
}

export interface FieldError {
  /** which part of the request: body, querystring, params, headers */
  in: string;
  /** RFC 6901 pointer into that part */
  pointer: string;
  detail: string;
}

const MAX_FIELD_ERRORS = 25;

/** Turns Ajv errors into one entry per offending field, most specific first. */
export function toFieldErrors(errors: readonly FastifySchemaValidationError[], part: string): FieldError[] {
  // TypeBox unions of literals fail once per branch; report them as one "must be one of" instead
  const allowedByPath = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword === 'const' && e.schemaPath.includes('/anyOf/')) {
      const list = allowedByPath.get(e.instancePath) ?? [];
      list.push(e.params.allowedValue);
      allowedByPath.set(e.instancePath, list);
    }
  }
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.schemaPath.includes('/anyOf/') && allowedByPath.has(e.instancePath)) continue;
    const entry = describe(e, part, allowedByPath.get(e.instancePath));
    const key = `${entry.pointer}\0${entry.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
    if (out.length >= MAX_FIELD_ERRORS) break;
  }
  return out;
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function describe(e: FastifySchemaValidationError, part: string, allowed: unknown[] | undefined): FieldError {
  const p = e.params;
  if (e.keyword === 'required' && typeof p.missingProperty === 'string') {
    return { in: part, pointer: `${e.instancePath}/${escapePointer(p.missingProperty)}`, detail: 'is required' };
  }
  if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    return { in: part, pointer: `${e.instancePath}/${escapePointer(p.additionalProperty)}`, detail: 'is not an allowed field' };
  }
  if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) {
    return { in: part, pointer: e.instancePath, detail: `must be one of: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (e.keyword === 'anyOf' && allowed) {
    return { in: part, pointer: e.instancePath, detail: `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { in: part, pointer: e.instancePath, detail: e.message ?? `fails ${e.keyword}` };
}
