/** @module Public surface of vulnerability intelligence: the advisory model and its feed sources. */
export * from './model.js';
export * from './sources/index.js';
export { normalizeVendorName, normalizeProductName, foldName } from './normalize-names.js';
