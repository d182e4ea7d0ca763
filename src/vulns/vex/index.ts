/**
 * @module Public surface of VEX: import CycloneDX VEX, CSAF 2.0 and OpenVEX into one statement
 * model (`parseVex`), turn a statement into a triage decision, and export a product's findings as
 * CycloneDX 1.6 VEX, CSAF 2.0 VEX or OpenVEX 0.2.0. Pure: no I/O, the clock is passed in.
 */
export type { VexAffectedVersion, VexDocument, VexDocumentInfo, VexFormat, VexProductRef, VexStatement, VexStatementSource } from './model.js';
export { VEX_FORMATS } from './model.js';
export { VexParseError, isVexParseError, type VexErrorCode } from './errors.js';
export { VEX_LIMITS } from './json.js';
export { parseVex, detectVexFormat, type ParseVexOptions } from './import/parse.js';
export { CYCLONEDX_VEX_VERSIONS } from './import/cyclonedx.js';
export { triageFromStatement } from './triage.js';
export {
  CDX_JUSTIFICATIONS,
  CDX_RESPONSES,
  CDX_STATES,
  CDX_STATE_TO_VEX,
  CDX_TO_CSAF_JUSTIFICATION,
  CSAF_JUSTIFICATIONS,
  CSAF_STATUS_TO_VEX,
  CSAF_TO_CDX_JUSTIFICATION,
  VEX_JUSTIFICATION_PROPERTY,
  VEX_TO_CDX_STATE,
  VEX_TO_CSAF_STATUS,
  toCdxJustification,
  toCsafJustification,
  type CdxJustification,
  type CdxResponse,
  type CdxState,
  type CsafJustification,
  type CsafStatus,
} from './mappings.js';
export type { VexExportInput, VexTool } from './export/common.js';
export { exportCycloneDxVex, type CycloneDxVexDocument, type CycloneDxVexInput } from './export/cyclonedx.js';
export { exportCsafVex, type CsafPublisher, type CsafPublisherCategory, type CsafRevision, type CsafVexDocument, type CsafVexInput } from './export/csaf.js';
export { exportOpenVex, OPENVEX_CONTEXT_0_2_0, type OpenVexDocument, type OpenVexInput } from './export/openvex.js';
