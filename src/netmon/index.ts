/** @module Public surface of passive network monitoring: capture readers, decoding, flows, pipeline. */
export * from './model.js';
export * from './capture/index.js';
export * from './decode/index.js';
export * from './flows/index.js';
export * from './pipeline/read-capture.js';
export * from './discovery/index.js';
export { analyzeCapture, groupFindings, type AnalyzeOptions, type AnalyzeProgress, type CaptureSource, type NetmonReport, type FindingGroup, type ProtocolCount, type TopTalker } from './report.js';
export { ingestCapture, ingestReport, type IngestDeps, type IngestOptions, type IngestResult } from './ingest.js';
export { followAndIngest, type FollowIngestOptions, type FollowIngestSummary, type FollowedFile } from './follow/ingest-directory.js';
export { createDispatcher } from './dissectors/index.js';
export * from './flowlogs/index.js';
export * from './baseline/index.js';
export * from './detect/index.js';
export type { RuleContext } from './discovery/index.js';
export { type DetectionOptions, type DetectionSummary, type BaselineSummary } from './report.js';
export * from './conversations/index.js';
export type { CaptureFileIdentity, CaptureRecord, ConversationFilter, NetmonStore } from './ports.js';
