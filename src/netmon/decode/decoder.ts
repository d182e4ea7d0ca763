/**
 * @module Decodes one captured frame from link layer to transport payload into a reused DecodedPacket.
 * Never throws: malformed input comes back as a DecodeError value. One decoder per capture stream,
 * because it holds that stream's pending IP fragments.
 */
import { decodeArp } from './arp.js';
import { FragmentReassembler, type FragmentLimits } from './fragments.js';
import { decodeIpv4, decodeIpv6 } from './ip.js';
import { decodeLink, EtherType } from './link.js';
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
    const off = decodeLink(p, linkType, data);
    if (off instanceof DecodeError) return off;
    let err: DecodeError | undefined;
    switch (p.etherType) {
      case EtherType.IPV4:
        err = decodeIpv4(p, data, off, ts, this.fragments);
        break;
      case EtherType.IPV6:
        err = decodeIpv6(p, data, off, ts, this.fragments);
        break;
      case EtherType.ARP:
        err = decodeArp(p, data, off);
        break;
      default:
        p.network = 'other';
        p.payloadOffset = off;
        p.payloadLength = data.length - off;
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
