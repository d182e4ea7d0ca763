/**
 * @module Registry of advisory source plug-ins and the normalization entry points. Callers pick a
 * plug-in with `detectSource` (cheap, on a file name, the first bytes or a parsed document) and
 * call its `parse`; every advisory records the plug-in's 'id@version'.
 */
import type { AdvisorySourcePlugin, DetectInput } from './contract.js';
import { csafSource } from './csaf/index.js';
import { cve5Source } from './cve5/index.js';
import { epssSource } from './epss/index.js';
import { kevCsvSource, kevJsonSource } from './kev/index.js';
import { nvdSource } from './nvd/index.js';
import { osvSource } from './osv/index.js';

export type { AdvisorySourcePlugin, DetectInput } from './contract.js';
export { parserTag } from './contract.js';
export { AdvisoryParseError, isAdvisoryParseError } from './common/errors.js';
export { scoreVector } from './common/cvss.js';
export { csafSource, readCsafProducts, type CsafProduct } from './csaf/index.js';
export { cve5Source } from './cve5/index.js';
export { epssSource, epssRecordToAdvisory, EpssLineParser, parseEpssStream, type EpssRecord } from './epss/index.js';
export { kevCsvSource, kevJsonSource, parseKevCsv, parseKevJson, type KevCatalog } from './kev/index.js';
export { nvdSource } from './nvd/index.js';
export { createOsvSource, osvSource, type OsvSourceOptions, type PackageExists } from './osv/index.js';

/** In detection order: the more specific document shapes first. */
export const ADVISORY_SOURCES: readonly AdvisorySourcePlugin[] = [csafSource, cve5Source, nvdSource, kevJsonSource, kevCsvSource, epssSource, osvSource];

export function detectSource(input: DetectInput, sources: readonly AdvisorySourcePlugin[] = ADVISORY_SOURCES): AdvisorySourcePlugin | undefined {
  return sources.find((s) => {
    try {
      return s.detect(input);
    } catch {
      return false;
    }
  });
}
