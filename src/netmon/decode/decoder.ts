/**
 * @module Decodes one captured frame from link layer to transport payload into a reused DecodedPacket.
 * Never throws: malformed input comes back as a DecodeError value. One decoder per capture stream,
 * because it holds that stream's pending IP fragments.
 */
import { LinkType } from '../capture/types.js';
import { decodeArp } from './arp.js';
import { decodeCommon } from './common.js';
import { FragmentReassembler, type FragmentLimits } from './fragments.js';
import { decodeIpv4, decodeIpv6 } from './ip.js';
import { decodeLinkAt, EtherType } from './link.js';
import { DecodedPacket, DecodeError } from './packet.js';

export interface PacketDecoderOptions {
  fragments?: Partial<FragmentLimits>;
}

export class PacketDecoder {
  readonly fragments: FragmentReassembler;
  private readonly packet = new DecodedPacket();

  constructor(opts: PacketDecoderOptions = {}) {
    this.fragments = new FragmentReassembler(opts.fragments);
  }

  /**
   * Decodes `data` captured with `linkType` at packet time `ts` (µs; drives fragment expiry). The
   * returned DecodedPacket is the same object every call: read what you need before the next call.
   */
  decode(linkType: number, data: Uint8Array, ts = 0): DecodedPacket | DecodeError {
    const p = this.packet;
    p.reset(linkType, data);
    if (linkType === LinkType.ETHERNET && decodeCommon(p, data, 0, data.length)) return p;
    return this.run(p, linkType, data, 0, data.length, ts);
  }

  /**
   * decode() for the frame bytes[start, end) of a larger buffer (the chunk a capture was read in),
   * without building a view of the frame: the packet's `frame` and `buf` are made only if read.
   */
  decodeRange(linkType: number, bytes: Uint8Array, start: number, end: number, ts = 0): DecodedPacket | DecodeError {
    this.time = ts;
    return this.decodeAt(linkType, bytes, start, end);
  }

  /**
   * decodeRange() for a packet read from a capture, its link type and time read from `captured` (the
   * parser's reused packet) rather than passed: a time is a double, and a double passed to a call the
   * compiler does not inline is boxed into a new heap object, once per packet.
   */
  decodeCaptured(captured: { readonly linkType: number; readonly ts: number }, bytes: Uint8Array, start: number, end: number): DecodedPacket | DecodeError {
    this.time = captured.ts;
    return this.decodeAt(captured.linkType, bytes, start, end);
  }

  /** packet time (µs) of the frame being decoded, for fragment expiry (set by decodeRange/decodeCaptured) */
  private time = 0;

  private decodeAt(linkType: number, bytes: Uint8Array, start: number, end: number): DecodedPacket | DecodeError {
    // A range outside the buffer is cut to it, as subarray would.
    if (!(start >= 0 && start <= end && end <= bytes.length)) return this.decode(linkType, bytes.subarray(start, end), this.time);
    const p = this.packet;
    p.resetRange(linkType, bytes, start, end);
    if (linkType === LinkType.ETHERNET && decodeCommon(p, bytes, start, end)) return p;
    return this.run(p, linkType, bytes, start, end, this.time);
  }

  private run(p: DecodedPacket, linkType: number, d: Uint8Array, start: number, end: number, ts: number): DecodedPacket | DecodeError {
    const off = decodeLinkAt(p, linkType, d, start, end);
    if (off instanceof DecodeError) return off;
    let err: DecodeError | undefined;
    switch (p.etherType) {
      case EtherType.IPV4:
        err = decodeIpv4(p, d, off, end, ts, this.fragments);
        break;
      case EtherType.IPV6:
        err = decodeIpv6(p, d, off, end, ts, this.fragments);
        break;
      case EtherType.ARP:
        err = decodeArp(p, d, off, end);
        break;
      default:
        p.network = 'other';
        p.payloadOffset = off - start;
        p.payloadLength = end - off;
    }
    return err ?? p;
  }
}

const shared = new PacketDecoder();

/**
 * Decodes one frame with a process-wide decoder (convenient for single packets; fragments of
 * different captures would meet in it, so give each capture stream its own PacketDecoder).
 */
export function decodePacket(linkType: number, data: Uint8Array, ts = 0): DecodedPacket | DecodeError {
  return shared.decode(linkType, data, ts);
}
