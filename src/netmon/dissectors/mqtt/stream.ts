/**
 * @module Frames one direction of an MQTT stream into control packets (fixed header + remaining length)
 * across arbitrary chunk boundaries. A packet's body is collected only up to a per-type limit (PUBLISH
 * payloads are skipped, not copied); the handler learns whether it got the whole body. A direction that
 * does not open its session (CONNECT, CONNACK) was seen from the middle: it is read from the sync point
 * mid-stream.ts finds in its first bytes, which are carried between chunks until then (with a sliding
 * scan, late sync: in any later window). After a gap the direction's consumer reads on with a stream from
 * restart(): the packet in progress is dropped with the old stream, the new one looks for its sync point
 * the same way (no openings).
 */
import type { FrameMeta } from '../../model.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { DissectorError } from '../errors.js';
import { SYNC_WINDOW } from './mid-stream.js';
import { StartGate, type DecidedStart, type ScanProgress, type SlidingScan, type StreamStart } from '../support/stream-start.js';

/** PUBLISH: the topic and properties are all we read; topics are at most 64 KiB but real ones are short */
export const PUBLISH_KEEP = 4 * 1024;
export const PACKET_KEEP = 64 * 1024;
const MAX_REMAINING_LENGTH = 268_435_455;
const NO_BYTES = new Uint8Array(0);

export interface MqttPacket {
  type: number;
  flags: number;
  /** the body, or its first PUBLISH_KEEP / PACKET_KEEP bytes */
  body: Uint8Array;
  complete: boolean;
  /** remaining length from the fixed header */
  length: number;
  /** stream offsets of the fixed header and of the body */
  start: number;
  bodyStart: number;
}

export interface PacketHandler {
  /** `p` (and its body) are only valid during the call: the stream reuses them for the next packet */
  packet(p: MqttPacket, meta: FrameMeta): void;
  /** a direction seen from the middle (or after a gap) is read from `offset` on (called before its first packet) */
  synced(offset: number, meta: FrameMeta): void;
  /** no sync point within the scan limit: the rest of the direction is not read (called once) */
  lost(meta: FrameMeta): void;
}

export type { StreamStart } from '../support/stream-start.js';

export class MqttStream {
  private readonly gate: StartGate;
  private seen = 0;
  private skipped = 0;
  private headerBytes = 0;
  private first = 0;
  private varint = 0;
  /** weight of the next remaining-length byte: 1, 128, 128^2, 128^3 */
  private weight = 1;
  private readonly body = new ByteAccumulator(PACKET_KEEP, 256);
  private inBody = false;
  private type = 0;
  private flags = 0;
  private length = 0;
  private remaining = 0;
  private keep = 0;
  private start = 0;
  private bodyStart = 0;
  private offset = 0;
  // one packet record per stream, refilled per packet: PUBLISH streams carry many small packets
  private readonly current: MqttPacket = { type: 0, flags: 0, body: NO_BYTES, complete: true, length: 0, start: 0, bodyStart: 0 };

  /**
   * `scan`: keep looking past the first window (late sync, see LateSync in contract.ts); `opens` false:
   * only sync points count (after a gap)
   */
  constructor(
    private readonly handler: PacketHandler,
    private readonly starts: StreamStart,
    scan?: SlidingScan,
    opens = true,
  ) {
    this.gate = new StartGate(starts, SYNC_WINDOW, scan, opens);
  }

  /**
   * After a gap in a direction being read: a stream that reads on from the next sync point `scan` finds
   * in the bytes after the gap (offsets count from there). This one, and the packet in progress, is dropped.
   */
  restart(scan: SlidingScan): MqttStream {
    return new MqttStream(this.handler, this.starts, scan, false);
  }

  /** At a gap before the start is known (after flush()): the search goes on in the bytes after it. */
  gap(): void {
    this.gate.gap();
  }

  /** how the search for the start stands */
  get scan(): ScanProgress {
    return this.gate;
  }

  /** At a gap or the end: a start in bytes not searched yet (a sliding scan defers searches) is read now. */
  flush(meta: FrameMeta): void {
    const start = this.gate.flush();
    if (start !== undefined) this.begin(start, meta);
  }

  /** bytes not read as packets: before the sync point, or all of them while none was found */
  get skippedBytes(): number {
    return this.gate.decided ? this.skipped : this.seen;
  }

  feed(data: Uint8Array, meta: FrameMeta): void {
    if (this.gate.decided) return this.frame(data, meta);
    this.seen += data.length;
    if (this.gate.lost) return;
    const start = this.gate.offer(data);
    if (start !== undefined) this.begin(start, meta);
    else if (this.gate.lost) this.handler.lost(meta);
  }

  private begin(start: DecidedStart, meta: FrameMeta): void {
    if (start.synced) {
      this.offset = this.skipped = start.from;
      this.handler.synced(start.from, meta);
    }
    this.frame(start.head, meta);
    if (start.rest.length > 0) this.frame(start.rest, meta);
  }

  private frame(data: Uint8Array, meta: FrameMeta): void {
    let pos = 0;
    while (pos < data.length) {
      if (!this.inBody) {
        // fixed header read byte by byte without copying: type/flags, then the varint remaining length
        const b = data[pos++] as number;
        this.offset++;
        if (this.headerBytes === 0) {
          this.first = b;
          this.varint = 0;
          this.weight = 1;
        } else {
          this.varint += (b & 0x7f) * this.weight;
          this.weight *= 128;
        }
        this.headerBytes++;
        if (this.headerBytes >= 2 && (b & 0x80) === 0) this.startBody(meta);
        else if (this.headerBytes === 5) this.fail('bad-varint', 'remaining length is longer than 4 bytes', this.offset - 1);
        continue;
      }
      const n = Math.min(this.remaining, data.length - pos);
      if (n === this.length && this.body.length === 0) {
        // the whole body is in this chunk (small packets usually are): hand on a view, copy nothing
        pos += n;
        this.offset += n;
        this.remaining = 0;
        this.finish(meta, data.subarray(pos - n, pos - n + this.keep));
        continue;
      }
      if (this.body.length < this.keep) this.body.fillTo(this.keep, data, pos);
      pos += n;
      this.offset += n;
      this.remaining -= n;
      if (this.remaining === 0) this.finish(meta);
    }
  }

  private startBody(meta: FrameMeta): void {
    const first = this.first;
    const len = this.varint;
    this.start = this.offset - this.headerBytes;
    this.bodyStart = this.offset;
    this.type = first >> 4;
    this.flags = first & 15;
    this.headerBytes = 0;
    if (this.type === 0) this.fail('bad-packet-type', 'reserved packet type 0', this.start);
    if (len > MAX_REMAINING_LENGTH) this.fail('too-large', `remaining length ${len}`, this.start + 1);
    this.length = len;
    this.remaining = len;
    this.keep = Math.min(len, this.type === 3 ? PUBLISH_KEEP : PACKET_KEEP);
    this.inBody = true;
    if (len === 0) this.finish(meta);
  }

  private finish(meta: FrameMeta, body = this.body.view()): void {
    this.inBody = false;
    const p = this.current;
    p.type = this.type;
    p.flags = this.flags;
    p.body = body;
    p.complete = body.length === this.length;
    p.length = this.length;
    p.start = this.start;
    p.bodyStart = this.bodyStart;
    this.handler.packet(p, meta);
    this.body.reset();
  }

  private fail(reason: string, message: string, at: number): never {
    throw new DissectorError('mqtt', reason, message, at);
  }
}
