/** @module Public surface of passive network monitoring: capture readers, decoding, flows, pipeline. */
export * from './model.js';
export * from './capture/index.js';
export * from './decode/index.js';
export * from './flows/index.js';
export * from './pipeline/read-capture.js';
