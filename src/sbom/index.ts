/**
 * @module Public surface of SBOM parsing: `parseSbom` detects the format and returns the one
 * internal model, or throws SbomError naming where the document is wrong.
 */
import type { Sbom } from './model.js';
import { detectSbomParser } from './registry.js';

export type { Component, ComponentFlag, ComponentHash, ComponentProperty, ComponentType, Dependency, Sbom, SbomFormat } from './model.js';
export { SbomError, isSbomError, type SbomErrorCode } from './errors.js';
export { validateCycloneDx, CYCLONEDX_SPEC_VERSIONS, type CycloneDxSpecVersion, type SchemaViolation } from './parsers/cyclonedx-schema.js';
export { SBOM_LIMITS, type ParseOptions, type SbomParser } from './parsers/contract.js';
export { SBOM_PARSERS, detectSbomParser } from './registry.js';

export function parseSbom(text: string, options: { file?: string } = {}): Sbom {
  return detectSbomParser(text, options.file).parse(text, options);
}
