/**
 * @module The one error SBOM parsing throws: a DomainError with a stable `sbom.*` code and the
 * place in the document (file plus JSON pointer, or file plus line) so a user can fix it.
 */
import { DomainError, describeLocation, type ErrorLocation } from '../core/index.js';

export type SbomErrorCode =
  | 'sbom.too_large'
  | 'sbom.too_deep'
  | 'sbom.too_many_components'
  | 'sbom.unknown_format'
  | 'sbom.unsupported_version'
  | 'sbom.invalid_json'
  | 'sbom.schema_violation'
  | 'sbom.invalid_document'
  | 'sbom.duplicate_ref'
  | 'sbom.dangling_ref'
  | 'sbom.invalid_tag_value';

export class SbomError extends DomainError {
  declare readonly code: SbomErrorCode;

  constructor(code: SbomErrorCode, message: string, location: ErrorLocation = {}, details?: Record<string, unknown>) {
    const where = describeLocation(location);
    super(code, where ? `${message} (${where})` : message, { status: code === 'sbom.too_large' ? 413 : 400, location, details });
    this.name = 'SbomError';
  }
}

export const isSbomError = (e: unknown): e is SbomError => e instanceof SbomError;
