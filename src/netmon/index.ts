/** @module Public surface of passive network monitoring: capture readers, decoding, flows, pipeline. */
export * from './model.js';
export * from './capture/index.js';
export * from './decode/index.js';
export * from './flows/index.js';
export * from './pipeline/read-capture.js';
export * from './discovery/index.js';
export { analyzeCapture, groupFindings, type AnalyzeOptions, type AnalyzeProgress, type CaptureSource, type NetmonReport, type FindingGroup, type ProtocolCount, type TopTalker } from './report.js';
export { ingestCapture, type IngestDeps, type IngestOptions, type IngestResult } from './ingest.js';
export { createDispatcher } from './dissectors/index.js';
