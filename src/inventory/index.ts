/** @module Public surface of the inventory capability: model, taxonomy, normalization, merge rules, service. */
export * from './model.js';
export * from './criticality.js';
export * from './taxonomy.js';
export * from './normalize.js';
export * from './identity.js';
export * from './merge.js';
export * from './report.js';
export * from './query.js';
export * from './ports.js';
export { planBatch, type BatchPlan } from './batch.js';
export { InventoryService, FACET_LIMIT, MAX_BATCH, type InventoryServiceDeps } from './service.js';
