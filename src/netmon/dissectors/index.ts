/** @module Public surface of the protocol dissectors: the contract, the registry and the per-flow dispatcher. */
export type { ConsumerOptions, Detection, Dissector, DissectorTransport, LateSync, LateSyncConsumer, LateSyncDirection, LateSyncOptions, LateSyncState, LateSyncStatus } from './contract.js';
export { producerOf } from './contract.js';
export { DissectorError, isDissectorError } from './errors.js';
export { DEFAULT_DISSECTORS, Registry, createDispatcher, defaultRegistry } from './registry.js';
export { DEFAULT_MAX_HELD_BYTES_TOTAL, DEFAULT_MAX_KEPT_BODY_BYTES_TOTAL, HeldBytesBudget } from './dispatcher.js';
export { DEFAULT_LATE_SYNC_SCAN_LIMIT } from './support/late-sync.js';
export { DEFAULT_RESYNC_SCAN_LIMIT } from './support/gap-resync.js';
export type { Dispatcher, DispatcherOptions, DispatcherState } from './dispatcher.js';
