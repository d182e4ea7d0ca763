/**
 * @module The first import pass: the whole input's bytes and structure (strict UTF-8, then the
 * CSV guard or the JSON scanner) checked chunk by chunk in constant memory, before any row is
 * stored. Fed from the file for a path, or from the upload while it is being spooled, so a broken
 * stream fails as soon as its first bad byte arrives.
 */
import { CsvStructureGuard, type CsvDelimiter } from './csv-guard.js';
import { RECORD_KEYS } from './json-reader.js';
import { JsonStructureScanner } from './json-scanner.js';
import type { ImportFormat } from './model.js';
import { Utf8StreamValidator } from './utf8.js';

export interface StructureLimits {
  file?: string;
  maxColumns: number;
  maxRecordBytes: number;
  maxDepth: number;
  delimiter?: CsvDelimiter;
}

export interface StructureCheck {
  feed(chunk: Uint8Array): void;
  /** throws when the input ended in the middle of something; returns the number of records */
  end(): number;
}

export function structureCheck(format: ImportFormat, limits: StructureLimits): StructureCheck {
  const utf8 = new Utf8StreamValidator(limits.file);
  if (format === 'csv') {
    const guard = new CsvStructureGuard(limits);
    return {
      feed: (chunk) => guard.feed(utf8.push(chunk)),
      end: () => {
        utf8.end();
        guard.end();
        return guard.records;
      },
    };
  }
  const scanner = new JsonStructureScanner({ ...limits, mode: format, recordKeys: RECORD_KEYS });
  return {
    feed: (chunk) => scanner.feed(utf8.push(chunk)),
    end: () => {
      utf8.end();
      scanner.end();
      return scanner.records;
    },
  };
}
