/**
 * @module Public surface of evidence extraction: the packets of a capture (frames, a flow, a time
 * window) written as a pcap, or a pcapng when their link types differ, from a file, a directory read
 * as one capture, or a stored capture's own file.
 */
export { EXTRACT_LIMITS, EXTRACT_MEDIA_TYPES } from './model.js';
export type { CapturePart, ExtractFault, ExtractFormat, ExtractLimits, ExtractSummary, FlowSelector, FrameRange, PacketSelection } from './model.js';
export { formatRanges, parseFrameList, MAX_FRAME_RANGES } from './frame-ranges.js';
export { formatFlowSelector, parseFlowSelector } from './flow-selector.js';
export { describeSelection, selectionFromText, type SelectionText } from './selection.js';
export { prepareExtraction, type Extraction } from './extract.js';
export { filePart, localCaptureParts } from './file-parts.js';
export { recordedCaptureParts } from './capture-record.js';
export { PacketEvidenceService, extractFileName, type CapturePackets, type PacketEvidenceDeps } from './service.js';
