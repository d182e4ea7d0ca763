/**
 * @module The one error VEX import throws: a DomainError with a stable `vex.*` code, the file and
 * the JSON pointer (or byte offset, for JSON syntax errors) of the problem, and the reason.
 */
import { DomainError, describeLocation, type ErrorLocation } from '../../core/index.js';

export type VexErrorCode =
  | 'vex.invalid'
  | 'vex.invalid_json'
  | 'vex.too_large'
  | 'vex.too_deep'
  | 'vex.unknown_format'
  | 'vex.unsupported_version'
  | 'vex.unresolved_ref';

export class VexParseError extends DomainError {
  declare readonly code: VexErrorCode;
  readonly reason: string;

  constructor(code: VexErrorCode, reason: string, location: ErrorLocation) {
    super(code, `${reason} (${describeLocation(location)})`, { status: code === 'vex.too_large' ? 413 : 422, location, details: { reason } });
    this.name = 'VexParseError';
    this.reason = reason;
  }

  /** JSON pointer of the problem ('' = the whole document), when the document parsed as JSON */
  get pointer(): string | undefined {
    return this.location?.pointer;
  }
}

export const isVexParseError = (e: unknown): e is VexParseError => e instanceof VexParseError;
