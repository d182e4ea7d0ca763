/**
 * @module Push parser for a capture stream of unknown format: sniffs the magic number, then frames
 * pcap records or pcapng blocks from chunks of any size and calls back once per packet. The packet
 * object is reused between calls; its `data` is a view that stays valid (copy it to keep memory low).
 */
import { describeUnknownMagic, detectCaptureFormat, type CaptureFormatName } from './detect.js';
import { CaptureError } from './errors.js';
import { UnitFramer } from './framer.js';
import { PcapFormat } from './pcap.js';
import { PcapngFormat } from './pcapng.js';
import { DEFAULT_MAX_PACKET_BYTES, type CapturedPacket, type CaptureParserOptions } from './types.js';

export const newCapturedPacket = (): CapturedPacket => ({
  frame: 0,
  ts: 0,
  tsNanos: 0,
  linkType: 0,
  interfaceId: 0,
  caplen: 0,
  origLen: 0,
  data: new Uint8Array(0),
  byteOffset: 0,
});

export class CaptureParser {
  private framer: UnitFramer | null = null;
  private head = new Uint8Array(4);
  private headLen = 0;
  private bytes = 0;
  private packets = 0;
  format: CaptureFormatName | undefined;
  private readonly packet = newCapturedPacket();

  constructor(
    private readonly onPacket: (p: CapturedPacket) => void,
    private readonly opts: CaptureParserOptions = {},
  ) {}

  get bytesRead(): number {
    return this.bytes;
  }

  get packetCount(): number {
    return this.packets;
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
    const onPacket = (p: CapturedPacket) => {
      this.packets++;
      this.onPacket(p);
    };
    const fmt =
      detected.format === 'pcap'
        ? new PcapFormat(this.packet, onPacket, max, this.opts.file)
        : new PcapngFormat(this.packet, onPacket, max, this.opts);
    return new UnitFramer(fmt, this.opts.file);
  }
}
