/**
 * @module Test support: the two conformance checks the exports must pass. CycloneDX 1.6 uses
 * the JSON schema bundled in @cyclonedx/cyclonedx-library, compiled with ajv exactly as the SBOM
 * parser does; CSAF 2.0 runs @secvisogram/csaf-validator-lib's strict schema test and every
 * mandatory test (6.1.x) and returns the failures with their instance paths.
 */
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import validate from '@secvisogram/csaf-validator-lib/validate.js';
import { validateCycloneDx, type SchemaViolation } from '../../../sbom/parsers/cyclonedx-schema.js';

export function cycloneDx16Violation(doc: unknown): SchemaViolation | undefined {
  return validateCycloneDx('1.6', doc);
}

export interface CsafFailure {
  test: string;
  instancePath: string;
  message: string;
}

export async function csafFailures(doc: unknown): Promise<CsafFailure[]> {
  const result = await validate([csaf_2_0_strict, ...Object.values(mandatory)], doc);
  return result.tests.filter((t) => !t.isValid).flatMap((t) => (t.errors.length > 0 ? t.errors : [{ instancePath: '', message: 'failed' }]).map((e) => ({ test: t.name, instancePath: e.instancePath, message: e.message })));
}
