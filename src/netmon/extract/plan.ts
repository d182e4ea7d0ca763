/**
 * @module The first pass of an extraction: reads the capture once, picking the packets the selection
 * names, and settles everything the file to write depends on before a byte of it goes out: which
 * frames, their link types and timestamp resolution (so pcap or pcapng), the exact size, what was
 * asked for and is not there, and whether the limits hold (refused here, never cut off mid-stream).
 * Memory: the numbers of the packets picked (at most maxPackets), whatever the size of the capture.
 */
import { isDecodeError, PacketDecoder } from '../decode/index.js';
import { FlowMatcher } from './flow-selector.js';
import { FrameCursor, formatRanges, rangesIntersect, subtractRanges } from './frame-ranges.js';
import { extractTooLarge, nothingSelected } from './errors.js';
import { EXTRACT_LIMITS, type CapturePart, type ExtractLimits, type ExtractSummary, type FrameRange, type PacketSelection } from './model.js';
import { PCAP_HEADER_BYTES, pcapRecordBytes } from './pcap-out.js';
import { pcapngEpbBytes, pcapngHeaderBytes, type OutInterface } from './pcapng-out.js';
import { readPart, type PacketVisitor, type PartRead } from './read-part.js';

export interface ExtractPlan {
  summary: ExtractSummary;
  /** capture frame numbers to write, ascending */
  frames: number[];
  /** each one's captured length, to check that the second read finds the same packets */
  caplens: number[];
  /** capture time (µs) of each frame planned: a file rewritten at the same size between the reads holds other times */
  times: number[];
  /** the output's interfaces: one for pcap, one per link type (ascending) for pcapng */
  interfaces: OutInterface[];
  /** per part: the capture's number of its first packet and how many it had, as read (-1: not read) */
  partFirstFrames: number[];
  partPackets: number[];
}

export interface PlanOptions {
  /** the capture's name, for errors */
  name: string;
  limits?: ExtractLimits;
}

export async function planExtraction(parts: readonly CapturePart[], sel: PacketSelection, opts: PlanOptions): Promise<ExtractPlan> {
  const limits = opts.limits ?? EXTRACT_LIMITS;
  const ranges = sel.frames;
  const lastWanted = ranges === undefined ? Infinity : (ranges[ranges.length - 1]?.last ?? 0);
  const cursor = ranges === undefined ? undefined : new FrameCursor(ranges);
  const matcher = sel.flow === undefined ? undefined : new FlowMatcher(sel.flow);
  const frames: number[] = [];
  const caplens: number[] = [];
  const times: number[] = [];
  const nanosByLink = new Map<number, boolean>();
  const held: FrameRange[] = [];
  const faults: ExtractSummary['faults'] = [];
  const partFirstFrames: number[] = [];
  const partPackets: number[] = [];
  let pcapBytes = PCAP_HEADER_BYTES;
  let epbBytes = 0;
  let next = 1;

  for (const part of parts) {
    const base = part.firstFrame ?? next;
    partFirstFrames.push(base);
    // A part whose frames are known and none wanted is not read at all (a directory of a thousand files).
    const known = part.firstFrame !== undefined && part.packets !== undefined;
    if (base > lastWanted || (ranges !== undefined && known && !rangesIntersect(ranges, base, base + (part.packets as number) - 1))) {
      partPackets.push(-1);
      next = base + (part.packets ?? 0);
      continue;
    }
    // One decoder per part: it holds the part's pending IP fragments.
    const decoder = matcher === undefined ? undefined : new PacketDecoder();
    const visit: PacketVisitor = (p, parser) => {
      const n = base + p.frame - 1;
      if (n > lastWanted) return false;
      // Decoded before any other test, so fragments before the window still reach the reassembler.
      const decoded = decoder?.decodeCaptured(p, parser.packetBytes, parser.packetStart, parser.packetEnd);
      if (cursor !== undefined && !cursor.has(n)) return true;
      if ((sel.from !== undefined && p.ts < sel.from) || (sel.to !== undefined && p.ts >= sel.to)) return true;
      if (matcher !== undefined && (decoded === undefined || isDecodeError(decoded) || !matcher.matches(decoded))) return true;
      frames.push(n);
      caplens.push(p.caplen);
      times.push(p.ts);
      nanosByLink.set(p.linkType, (nanosByLink.get(p.linkType) ?? false) || parser.subMicrosecond(p.interfaceId));
      pcapBytes += pcapRecordBytes(p.caplen);
      epbBytes += pcapngEpbBytes(p.caplen);
      // pcap is the smaller of the two formats: past the limit in it is past the limit in either
      if (frames.length > limits.maxPackets) throw extractTooLarge('packets', limits);
      if (pcapBytes > limits.maxBytes) throw extractTooLarge('bytes', limits);
      return true;
    };
    const read: PartRead = { packets: 0, stopped: false };
    for await (const _ of readPart(part, visit, read));
    if (read.fault) faults.push(read.fault);
    partPackets.push(read.packets);
    if (read.packets > 0) held.push({ first: base, last: base + read.packets - 1 });
    next = base + read.packets;
    if (read.stopped && next > lastWanted) break;
  }

  const linkTypes = [...nanosByLink.keys()].sort((a, b) => a - b);
  const interfaces = linkTypes.map((linkType) => ({ linkType, nanos: nanosByLink.get(linkType) === true }));
  const format = linkTypes.length <= 1 ? 'pcap' : 'pcapng';
  const bytes = format === 'pcap' ? pcapBytes : pcapngHeaderBytes(interfaces) + epbBytes;
  if (bytes > limits.maxBytes) throw extractTooLarge('bytes', limits);
  const heldSorted = [...held].sort((x, y) => x.first - y.first);
  const framesNotFound = ranges === undefined ? [] : subtractRanges(ranges, heldSorted);
  if (frames.length === 0) throw nothingSelected(opts.name, whyNothing(framesNotFound, heldSorted, faults.length));
  return {
    summary: { format, packets: frames.length, bytes, linkTypes, framesNotFound, faults },
    frames,
    caplens,
    times,
    interfaces,
    partFirstFrames,
    partPackets,
  };
}

function whyNothing(notFound: readonly FrameRange[], held: readonly FrameRange[], faults: number): string {
  const damage = faults > 0 ? `; ${faults} file(s) could not be read to the end` : '';
  if (notFound.length === 0) return damage;
  const holds = held.length === 0 ? 'it holds no packets read' : `it holds frames ${formatRanges(held.length > 5 ? [{ first: held[0]!.first, last: held[held.length - 1]!.last }] : held)}`;
  const one = notFound.length === 1 && notFound[0]!.first === notFound[0]!.last;
  return ` (${one ? 'frame' : 'frames'} ${formatRanges(notFound.slice(0, 20))}${notFound.length > 20 ? ',...' : ''} ${one ? 'is' : 'are'} not in it: ${holds})${damage}`;
}
