/**
 * @module The one error advisory parsers throw: a DomainError with code 'advisory.invalid' (or a
 * more specific code), the file and JSON pointer / line of the problem, and the reason.
 */
import { DomainError, describeLocation, type ErrorLocation } from '../../../core/index.js';

export class AdvisoryParseError extends DomainError {
  readonly reason: string;

  constructor(reason: string, location: ErrorLocation, code = 'advisory.invalid') {
    super(code, `${reason} (${describeLocation(location)})`, { status: 422, location, details: { reason } });
    this.name = 'AdvisoryParseError';
    this.reason = reason;
  }
}

export const isAdvisoryParseError = (e: unknown): e is AdvisoryParseError => e instanceof AdvisoryParseError;
