/** @module Public surface of capture reading: pcap/pcapng from files, stdin or a rotating directory. */
export { CaptureError, isCaptureError, type CaptureErrorCode } from './errors.js';
export { LinkType, DEFAULT_MAX_PACKET_BYTES, type CapturedPacket, type CaptureParserOptions, type NameRecord } from './types.js';
export { detectCaptureFormat, type CaptureFormatName, type DetectedFormat } from './detect.js';
export { CaptureParser } from './parser.js';
export { readPackets, type ByteSource, type ReadPacketsOptions } from './reader.js';
export { abortableSource, fileSource, recycledFileSource, stdinSource, pathOrStdinSource, DEFAULT_CHUNK_BYTES } from './sources.js';
export { followCaptureDirectory, DEFAULT_CAPTURE_NAME, type CaptureFileSource, type FollowDirectoryOptions } from './directory.js';
export { ipv4FromNumber, ipv6FromWords, ipv4String, ipv6String, macString } from './ip-text.js';
