/**
 * @module Push parser for a capture stream of unknown format: sniffs the magic number, then frames
 * pcap records or pcapng blocks from chunks of any size and calls back once per packet. The packet
 * object is reused between calls; its `data` is a view that stays valid (copy it to keep memory low),
 * built only when read.
 */
import { describeUnknownMagic, detectCaptureFormat, type CaptureFormatName } from './detect.js';
import { CaptureError } from './errors.js';
import { UnitFramer, type UnitFormat } from './framer.js';
import { PcapFormat } from './pcap.js';
import { PcapngFormat } from './pcapng.js';
import { FramedPacket } from './slot.js';
import { DEFAULT_MAX_PACKET_BYTES, type CapturedPacket, type CaptureParserOptions } from './types.js';

/** Placeholder until the magic number has been read. */
const NO_FORMAT: UnitFormat = {
  headerLength: () => 0,
  unitLength: () => 0,
  onUnit: () => undefined,
  packetCount: 0,
};

export class CaptureParser {
  private framer: UnitFramer | null = null;
  private fmt: UnitFormat = NO_FORMAT;
  private head = new Uint8Array(4);
  private headLen = 0;
  private bytes = 0;
  format: CaptureFormatName | undefined;
  private readonly packet = new FramedPacket();

  constructor(
    private readonly onPacket: (p: CapturedPacket) => void,
    private readonly opts: CaptureParserOptions = {},
  ) {}

  get bytesRead(): number {
    return this.bytes;
  }

  get packetCount(): number {
    return this.fmt.packetCount;
  }

  /**
   * Whether the timestamps of an interface (0 for classic pcap) have sub-microsecond resolution, as
   * the file declares it (nanosecond pcap magic, pcapng if_tsresol): a writer of the same packets
   * keeps that resolution. Meaningful during onPacket for the packet's interface.
   */
  subMicrosecond(interfaceId: number): boolean {
    return this.fmt.subMicrosecond?.(interfaceId) ?? false;
  }

  /**
   * During onPacket, the packet's bytes are packetBytes[packetStart, packetEnd): what `data` views,
   * for callers that decode in place (PacketDecoder.decodeRange) rather than build the view.
   */
  get packetBytes(): Uint8Array {
    return this.packet.bytes;
  }

  get packetStart(): number {
    return this.packet.start;
  }

  get packetEnd(): number {
    return this.packet.end;
  }

  /** Feeds the next chunk; throws CaptureError when the bytes cannot be a valid capture. */
  push(input: Uint8Array): void {
    // Node Buffers make every subarray a Buffer, which costs more; plain views are all we need.
    const chunk = input instanceof Buffer ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : input;
    this.bytes += chunk.length;
    if (this.framer !== null) {
      this.framer.push(chunk);
      return;
    }
    const take = Math.min(4 - this.headLen, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLen);
    this.headLen += take;
    if (this.headLen < 4) return;
    this.framer = this.createFramer();
    this.framer.push(this.head);
    if (take < chunk.length) this.framer.push(chunk.subarray(take));
  }

  /** Declares the end of the stream; throws CaptureError if it stopped inside a record or before any header. */
  end(): void {
    if (this.framer === null) {
      throw new CaptureError(
        this.bytes === 0 ? 'capture.empty' : 'capture.truncated',
        this.bytes === 0 ? 'capture is empty' : `capture is only ${this.bytes} bytes long`,
        0,
        this.opts.file,
      );
    }
    this.framer.end();
  }

  private createFramer(): UnitFramer {
    const detected = detectCaptureFormat(this.head);
    if (detected === undefined) {
      throw new CaptureError('capture.unknown-format', `not a pcap or pcapng capture: ${describeUnknownMagic(this.head)}`, 0, this.opts.file);
    }
    this.format = detected.format;
    const max = this.opts.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
    // The format counts packets itself: no wrapper closure between it and onPacket.
    this.fmt =
      detected.format === 'pcap'
        ? new PcapFormat(this.packet, this.onPacket, max, this.opts.file)
        : new PcapngFormat(this.packet, this.onPacket, max, this.opts);
    return new UnitFramer(this.fmt, this.opts.file);
  }
}
