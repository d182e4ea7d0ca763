/** @module Public surface of vulnerability intelligence: the advisory model and its feed sources. */
export * from './model.js';
export * from './sources/index.js';
export { normalizeVendorName, normalizeProductName, foldName } from './normalize-names.js';
export * from './ports.js';
export type { Finding, FindingStatus, FindingCloseReason, TriageDecision, VexState, VexJustification } from './findings/model.js';
export { VEX_STATES, VEX_JUSTIFICATIONS } from './findings/model.js';
export { recordKeyOf, toStoredForm, vulnerabilityOfStored } from './record-keys.js';
export * from './vex/index.js';
export * from './feeds/index.js';
