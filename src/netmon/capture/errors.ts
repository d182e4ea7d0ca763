/**
 * @module The one error capture readers throw: a DomainError whose code names what is wrong with the
 * capture bytes and whose byteOffset says where in the stream (file) it was found.
 */
import { DomainError } from '../../core/index.js';

export type CaptureErrorCode =
  | 'capture.empty'
  | 'capture.unknown-format'
  | 'capture.unsupported-version'
  | 'capture.truncated'
  | 'capture.record-too-large'
  | 'capture.bad-block-length'
  | 'capture.bad-block'
  | 'capture.unknown-interface'
  | 'capture.too-many-interfaces'
  // a file of a sequence that could not be opened or read (gone, no permission)
  | 'capture.unreadable';

export class CaptureError extends DomainError {
  readonly byteOffset: number;
  override readonly code: CaptureErrorCode;

  constructor(code: CaptureErrorCode, message: string, byteOffset: number, file?: string) {
    super(code, file === undefined ? message : `${file}: ${message}`, {
      status: 400,
      location: file === undefined ? { byteOffset } : { file, byteOffset },
    });
    this.name = 'CaptureError';
    this.code = code;
    this.byteOffset = byteOffset;
  }
}

export const isCaptureError = (e: unknown): e is CaptureError => e instanceof CaptureError;
