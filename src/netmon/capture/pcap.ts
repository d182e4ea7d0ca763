/**
 * @module Classic libpcap format: a 24-byte global header (magic gives byte order and µs/ns
 * resolution) followed by 16-byte record headers and the captured bytes.
 */
import { u16, u32 } from './bytes.js';
import { CaptureError } from './errors.js';
import type { UnitFormat } from './framer.js';
import type { FramedPacket } from './slot.js';
import type { CapturedPacket } from './types.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapFormat implements UnitFormat {
  private sawHeader = false;
  private le = true;
  private nanos = false;
  private linkType = 0;
  private frame = 0;

  constructor(
    private readonly packet: FramedPacket,
    private readonly onPacket: (p: CapturedPacket) => void,
    private readonly maxPacketBytes: number,
    private readonly file?: string,
  ) {}

  headerLength(): number {
    return this.sawHeader ? RECORD_HEADER : GLOBAL_HEADER;
  }

  unitLength(b: Uint8Array, off: number, streamOffset: number): number {
    if (!this.sawHeader) return GLOBAL_HEADER;
    const incl = u32(b, off + 8, this.le);
    if (incl > this.maxPacketBytes) {
      throw new CaptureError(
        'capture.record-too-large',
        `pcap record at byte offset ${streamOffset} declares ${incl} captured bytes, more than the ${this.maxPacketBytes}-byte limit`,
        streamOffset,
        this.file,
      );
    }
    return RECORD_HEADER + incl;
  }

  get packetCount(): number {
    return this.frame;
  }

  subMicrosecond(): boolean {
    return this.nanos;
  }

  /** Fast path for the common case: every whole, in-limit record in b[off, end), without per-record calls through the framer. */
  scan(b: Uint8Array, off: number, end: number, streamOffset: number): number {
    if (!this.sawHeader) return off;
    const le = this.le;
    const max = this.maxPacketBytes;
    const start = off;
    while (end - off >= RECORD_HEADER) {
      const incl = u32(b, off + 8, le);
      // An oversized record is left to unitLength, which raises the error.
      if (incl > max || end - off - RECORD_HEADER < incl) break;
      this.onRecord(b, off, RECORD_HEADER + incl, streamOffset + (off - start));
      off += RECORD_HEADER + incl;
    }
    return off;
  }

  onUnit(b: Uint8Array, off: number, length: number, streamOffset: number): void {
    if (!this.sawHeader) {
      this.readGlobalHeader(b, off, streamOffset);
      return;
    }
    this.onRecord(b, off, length, streamOffset);
  }

  private onRecord(b: Uint8Array, off: number, length: number, streamOffset: number): void {
    const le = this.le;
    const sec = u32(b, off, le);
    const frac = u32(b, off + 4, le);
    const p = this.packet;
    p.frame = ++this.frame;
    if (this.nanos) {
      const us = Math.floor(frac / 1000);
      p.ts = sec * 1_000_000 + us;
      p.tsNanos = frac - us * 1000;
    } else {
      p.ts = sec * 1_000_000 + frac;
      p.tsNanos = 0;
    }
    p.linkType = this.linkType;
    p.interfaceId = 0;
    p.caplen = length - RECORD_HEADER;
    p.origLen = u32(b, off + 12, le);
    this.packet.setBytes(b, off + RECORD_HEADER, off + length);
    p.byteOffset = streamOffset;
    this.onPacket(p);
  }

  private readGlobalHeader(b: Uint8Array, off: number, streamOffset: number): void {
    const magicLe = u32(b, off, true);
    const magicBe = u32(b, off, false);
    if (magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS) {
      this.le = true;
      this.nanos = magicLe === PCAP_MAGIC_NS;
    } else if (magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS) {
      this.le = false;
      this.nanos = magicBe === PCAP_MAGIC_NS;
    } else {
      throw new CaptureError('capture.unknown-format', `not a pcap file: magic 0x${magicBe.toString(16).padStart(8, '0')}`, streamOffset, this.file);
    }
    const major = u16(b, off + 4, this.le);
    if (major !== 2) {
      throw new CaptureError('capture.unsupported-version', `pcap major version ${major} is not 2`, streamOffset + 4, this.file);
    }
    // The upper bits of the link-type word carry FCS information, not the type.
    this.linkType = u32(b, off + 20, this.le) & 0xffff;
    this.sawHeader = true;
  }
}
