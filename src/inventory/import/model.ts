/**
 * @module Types of a CMMS/asset import: the options a caller chooses, the progress it is told
 * about, and the report it gets back (what was created, updated, left unchanged, and every
 * rejected row with its row number, column and reason).
 */
import type { Criticality, LifecycleStatus, PhiHandling } from '../model.js';

export const IMPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const isImportFormat = (s: string): s is ImportFormat => (IMPORT_FORMATS as readonly string[]).includes(s);

/** How day and month are ordered in slash or dot dates such as 03/04/2025. */
export type DateOrder = 'mdy' | 'dmy';

/** Value synonyms a preset or mapping adds for the enumerated fields (keys are compared case-insensitively). */
export interface ValueMaps {
  criticality?: Record<string, Criticality>;
  status?: Record<string, LifecycleStatus>;
  phi?: Record<string, PhiHandling>;
}

/** A user mapping: field -> source column ('' or null leaves the field unmapped). */
export interface ColumnMapping {
  columns: Record<string, string | null>;
  values?: ValueMaps;
  dateOrder?: DateOrder;
}

export interface ImportOptions {
  /** detected from the file extension (or content) when absent */
  format?: ImportFormat;
  /** preset id; detected from the header names when absent */
  preset?: string;
  /** `field=Column,field=Column` or a parsed mapping; applied over the preset */
  map?: string | ColumnMapping;
  /** rows per transaction (default: 2,000 for the first, then 10,000) */
  batchSize?: number;
  /** validate and count without storing anything */
  dryRun?: boolean;
  /** name used in the report and in provenance when the input is a stream */
  fileName?: string;
  /** size of the input, when known, for progress */
  totalBytes?: number;
  /** refuse inputs larger than this (default 1 GiB) */
  maxBytes?: number;
  /** largest single CSV record or JSON record (default 1 MiB) */
  maxRecordBytes?: number;
  /** most CSV columns (default 1,000) */
  maxColumns?: number;
  /** deepest JSON nesting (default 64) */
  maxDepth?: number;
  /** rejections listed in the report; the count is always exact (default 1,000) */
  maxRejectionsListed?: number;
  /** CSV delimiter; detected from the header line when absent */
  delimiter?: ',' | ';' | '\t';
  /** stops between batches; batches already stored stay stored */
  signal?: AbortSignal;
}

export interface RowRejection {
  /** CSV: record number with the header as row 1 (as a spreadsheet numbers rows); JSON: 1-based record index; NDJSON: line */
  row: number;
  /** CSV: the file line on which the record ends */
  line?: number;
  /** the source column (CSV header or JSON property) the problem is in; absent for whole-row problems */
  column?: string;
  /** the import field the column maps to */
  field?: string;
  reason: string;
  /** the offending value, truncated to 200 characters */
  value?: string;
  /** JSON pointer of the value for JSON input */
  pointer?: string;
}

export interface ImportReport {
  file: string;
  format: ImportFormat;
  preset: string;
  dryRun: boolean;
  /** CSV header -> field, and source columns no field uses */
  mapping: { column: string; field: string }[];
  ignoredColumns: string[];
  rowsRead: number;
  /** rows that passed validation and were applied (or would be, in a dry run) */
  imported: number;
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
  /** the first `maxRejectionsListed` rejections, in file order */
  rejected: RowRejection[];
  bytesRead: number;
  batches: number;
  durationMs: number;
}

export type ImportPhase = 'spooling' | 'validating' | 'importing' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  bytesRead: number;
  totalBytes?: number;
  rowsRead: number;
  imported: number;
  rejected: number;
}
