/** @module CISA KEV source plug-ins (JSON catalog and CSV) and the catalog reader. */
export { kevJsonSource, parseKevJson } from './json.js';
export type { KevCatalog } from './json.js';
export { kevCsvSource, parseKevCsv } from './csv.js';
