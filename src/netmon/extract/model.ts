/**
 * @module What an evidence extraction is asked for (a selection of packets of a capture) and what it
 * answers (the packets written as a pcap or pcapng file, and what was asked for but not there), with
 * the limits that bound one extraction.
 */
import type { ByteSource } from '../capture/index.js';
import type { Micros } from '../model.js';

/** Frames first to last, both included, numbered from 1 as every frame number in CareGuard is. */
export interface FrameRange {
  first: number;
  last: number;
}

export interface FlowEndpointText {
  ip: string;
  port: number;
}

/** A TCP or UDP conversation between two endpoints, either direction. */
export interface FlowSelector {
  transport: 'tcp' | 'udp';
  a: FlowEndpointText;
  b: FlowEndpointText;
  /** only packets carrying this VLAN id (at any tag depth); absent: whatever the VLAN tags */
  vlan?: number;
}

/** Every criterion given must hold for a packet to be selected; at least frames or a flow is given. */
export interface PacketSelection {
  /** ascending, merged ranges (normalizeRanges) */
  frames?: readonly FrameRange[];
  flow?: FlowSelector;
  /** capture time at or after (µs) */
  from?: Micros;
  /** capture time before (µs) */
  to?: Micros;
}

/** One file (or other byte stream) of a capture, in frame order. */
export interface CapturePart {
  /** file name, for errors and faults */
  name: string;
  /** the part's bytes from its start; called once per pass, so it must read the same bytes each time */
  open(): ByteSource;
  /** the capture's number for the part's first packet; default: one past the last frame of the part before */
  firstFrame?: number;
  /** how many of its packets belong to the capture (a capture record's count); default: all */
  packets?: number;
}

export interface ExtractLimits {
  maxPackets: number;
  /** bytes of the file written, headers included */
  maxBytes: number;
}

/** What one extraction may write: enough for any incident ticket, small enough to stream from a busy server. */
export const EXTRACT_LIMITS: ExtractLimits = { maxPackets: 100_000, maxBytes: 256 * 1024 * 1024 };

export type ExtractFormat = 'pcap' | 'pcapng';

export const EXTRACT_MEDIA_TYPES: Record<ExtractFormat, string> = {
  pcap: 'application/vnd.tcpdump.pcap',
  pcapng: 'application/x-pcapng',
};

/** Damage that stopped reading one part; the packets before it were read. */
export interface ExtractFault {
  code: string;
  message: string;
  byteOffset: number;
  file: string;
}

export interface ExtractSummary {
  format: ExtractFormat;
  packets: number;
  /** size of the file written */
  bytes: number;
  /** link types of the packets written, ascending (pcapng: one interface each, in this order) */
  linkTypes: number[];
  /** frames asked for that the capture does not hold, ascending */
  framesNotFound: FrameRange[];
  faults: ExtractFault[];
}
