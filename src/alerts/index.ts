/** @module Public surface of the alerts capability: the model, the service other capabilities raise into, and its ports. */
export * from './model.js';
export type { AlertRepository, AlertStore, AlertFilter, AlertCursor, AlertChanges } from './ports.js';
export { AlertService, type AlertServiceOptions } from './service.js';
