/**
 * @module The typed errors of an import. A file-level problem (bytes that are not UTF-8, a
 * broken CSV or JSON structure, a bound exceeded) stops the import before anything is stored and
 * names where it is: line, column, byte offset, JSON pointer. Row-level problems are not errors:
 * they become rejections in the import report.
 */
import { DomainError, describeLocation, type ErrorLocation } from '../../core/index.js';

export const IMPORT_ERROR_CODES = [
  'import.unreadable_file',
  'import.invalid_utf8',
  'import.empty_file',
  'import.too_many_columns',
  'import.record_too_large',
  'import.file_too_large',
  'import.csv_invalid_quote',
  'import.csv_unclosed_quote',
  'import.csv_field_count',
  'import.csv_parse',
  'import.malformed_json',
  'import.json_too_deep',
  'import.json_shape',
  'import.unknown_format',
  'import.unknown_preset',
  'import.invalid_mapping',
  'import.no_identifier_column',
  'import.aborted',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** An input error with its location appended to the message ("... (line 3 byte 120)"). */
export function importError(code: ImportErrorCode, message: string, location?: ErrorLocation, details?: Record<string, unknown>): DomainError {
  const where = describeLocation(location);
  const status = code === 'import.file_too_large' ? 413 : 400;
  return new DomainError(code, where ? `${message} (${where})` : message, {
    status,
    ...(location ? { location } : {}),
    ...(details ? { details } : {}),
  });
}

/** Formats a byte count for messages: 1048576 -> "1 MiB (1048576 bytes)". */
export function describeBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB (${n} bytes)`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB (${n} bytes)`;
  return `${n} bytes`;
}
