/** @module Public surface of CMMS/asset import: the service, its options/report types and presets. */
export { ImportService, IMPORT_DEFAULTS, type ImportServiceDeps, type DeviceReportSink } from './service.js';
export type { ImportOptions, ImportReport, ImportProgress, ImportPhase, RowRejection, ImportFormat, ColumnMapping, DateOrder, ValueMaps } from './model.js';
export { IMPORT_FORMATS, isImportFormat } from './model.js';
export { IMPORT_PRESETS, presetById, type ImportPreset } from './presets.js';
export { IMPORT_FIELDS, GENERIC_COLUMNS, type FieldSpec } from './fields.js';
export { parseMapOption, parseMappingJson } from './mapping.js';
export { IMPORT_ERROR_CODES, type ImportErrorCode } from './errors.js';
export type { CategoryResolver } from './row.js';
export type { ImportInput } from './source.js';
