/**
 * @module CycloneDX JSON schema validation with the schema files bundled in
 * @cyclonedx/cyclonedx-library (strict variants for 1.2/1.3, as its JsonStrictValidator uses).
 * The library's own validator needs the optional ajv-formats-draft2019 package, which is not
 * installed, and is async; so the same schemas are compiled here with ajv + ajv-formats, with
 * `idn-email` checked by a small pattern and `iri-reference` accepted as the library does.
 * Compiled validators are cached per spec version (compiling 1.6 takes seconds).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const CYCLONEDX_SPEC_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6'] as const;
export type CycloneDxSpecVersion = (typeof CYCLONEDX_SPEC_VERSIONS)[number];

const SCHEMA_FILE: Record<CycloneDxSpecVersion, string> = {
  '1.2': 'bom-1.2-strict.SNAPSHOT.schema.json',
  '1.3': 'bom-1.3-strict.SNAPSHOT.schema.json',
  '1.4': 'bom-1.4.SNAPSHOT.schema.json',
  '1.5': 'bom-1.5.SNAPSHOT.schema.json',
  '1.6': 'bom-1.6.SNAPSHOT.schema.json',
};

/** Schemas the BOM schemas reference by these ids. */
const REFERENCED: Record<string, string> = {
  'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': 'spdx.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': 'jsf-0.82.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': 'cryptography-defs.SNAPSHOT.schema.json',
};

const IDN_EMAIL = /^[^\s@]+@[^\s@]+$/u;

let schemaDir: string | undefined;
const compiled = new Map<CycloneDxSpecVersion, ValidateFunction>();

function readSchema(file: string): Record<string, unknown> {
  if (schemaDir === undefined) {
    const require = createRequire(import.meta.url);
    schemaDir = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  }
  return JSON.parse(readFileSync(path.join(schemaDir, file), 'utf8')) as Record<string, unknown>;
}

function validatorFor(version: CycloneDxSpecVersion): ValidateFunction {
  const cached = compiled.get(version);
  if (cached) return cached;
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [id, file] of Object.entries(REFERENCED)) schemas[id] = readSchema(file);
  const ajv = new Ajv({ strict: false, allErrors: false, useDefaults: false, addUsedSchema: false, schemas });
  addFormats.default(ajv);
  ajv.addFormat('idn-email', IDN_EMAIL);
  ajv.addFormat('iri-reference', true);
  const fn = ajv.compile(readSchema(SCHEMA_FILE[version]));
  compiled.set(version, fn);
  return fn;
}

export interface SchemaViolation {
  pointer: string;
  message: string;
}

function describe(e: ErrorObject): SchemaViolation {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    const prop = params.additionalProperty.replace(/~/g, '~0').replace(/\//g, '~1');
    return { pointer: `${e.instancePath}/${prop}`, message: `property "${params.additionalProperty}" is not allowed` };
  }
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    return { pointer: e.instancePath, message: `required property "${params.missingProperty}" is missing` };
  }
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    const allowed = params.allowedValues.slice(0, 12).map((v) => JSON.stringify(v));
    const more = params.allowedValues.length > 12 ? ', ...' : '';
    return { pointer: e.instancePath, message: `must be one of ${allowed.join(', ')}${more}` };
  }
  return { pointer: e.instancePath, message: e.message ?? e.keyword };
}

/** The most specific schema violation (deepest pointer), or undefined when the document is valid. */
export function validateCycloneDx(version: CycloneDxSpecVersion, doc: unknown): SchemaViolation | undefined {
  const fn = validatorFor(version);
  if (fn(doc)) return undefined;
  const errors = fn.errors ?? [];
  let best: ErrorObject | undefined;
  for (const e of errors) if (best === undefined || e.instancePath.length > best.instancePath.length) best = e;
  return best ? describe(best) : { pointer: '', message: 'does not match the CycloneDX schema' };
}
