/**
 * @module Public surface of flow-record inputs: Zeek conn.log (TSV, JSON, gzip), NetFlow v5/v9 and
 * IPFIX decoding, the UDP collector, and the bridge to FlowSummary and NetmonReport.
 */
export { ipProtocolName, tcpFlagNames, describeFlowLogLocation, type FlowLogRecord, type FlowLogOrigin, type FlowLogLocation, type FlowLogCounters } from './model.js';
export { FlowLogError, isFlowLogError, type FlowLogErrorCode } from './errors.js';
export { canonicalIp } from './ip.js';
export { flowLogToSummary } from './summary.js';
export { FlowDecoder, exporterText, type FlowExporter, type FlowDecodeResult, type FlowDecoderStats } from './netflow/decoder.js';
export { DEFAULT_FLOW_DECODER_LIMITS, type FlowDecoderLimits } from './netflow/templates.js';
export { startFlowCollector, type FlowCollector, type FlowCollectorOptions, type FlowCollectorStats } from './collector.js';
export { ZeekConnLogParser, unescapeZeek, type ZeekParserOptions, type ZeekParserStats } from './zeek/parser.js';
export { readZeekConnLog, type FlowLogSource, type ReadZeekOptions, type ZeekReadStats } from './zeek/read.js';
export { historyFlags } from './zeek/conn.js';
export { detectFlowLogText, detectFlowLogBytes, sniffFlowLogFile, type FlowLogFormat } from './detect.js';
export { analyzeFlowLog, FlowLogReportBuilder, type AnalyzeFlowLogOptions, type FlowLogReportOptions, type FlowSummaryConsumer } from './analyze.js';
