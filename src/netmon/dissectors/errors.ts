/**
 * @module The one error dissectors throw: a DomainError whose code names the protocol and what is wrong,
 * and whose byteOffset is the position in that direction's byte stream (TCP) or datagram (UDP).
 */
import { DomainError } from '../../core/index.js';

export class DissectorError extends DomainError {
  readonly byteOffset: number;
  readonly protocol: string;

  /** `reason` is a short kebab-case word such as "truncated", "bad-length", "too-large" */
  constructor(protocol: string, reason: string, message: string, byteOffset: number) {
    super(`netmon.${protocol}.${reason}`, `${protocol}: ${message} at byte ${byteOffset}`, {
      status: 400,
      location: { byteOffset },
      details: { protocol, reason },
    });
    this.name = 'DissectorError';
    this.byteOffset = byteOffset;
    this.protocol = protocol;
  }
}

export const isDissectorError = (e: unknown): e is DissectorError => e instanceof DissectorError;
