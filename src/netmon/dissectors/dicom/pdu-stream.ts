/**
 * @module Frames one direction of a DICOM upper-layer stream into PDUs (PS3.8 9.3) across arbitrary chunk
 * boundaries. Association PDUs are collected whole (bounded); P-DATA-TF is walked PDV by PDV: command
 * fragments are collected (bounded) and handed on when complete, data-set fragments are counted and skipped
 * without being copied, so a 2 GB C-STORE costs no memory. A direction that does not open its association
 * (A-ASSOCIATE) was seen from the middle: it is read from the sync point mid-stream.ts finds in its first
 * bytes, which are carried between chunks until then (with a sliding scan, late sync: in any later window).
 * After a gap the direction's consumer reads on with a stream from restart(): the PDU in progress is
 * dropped with the old stream, the new one looks for its sync point the same way (no openings).
 */
import type { FrameMeta } from '../../model.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { DissectorError } from '../errors.js';
import { readU32be } from '../support/bytes.js';
import { SYNC_WINDOW } from './mid-stream.js';
import { StartGate, type DecidedStart, type ScanProgress, type SlidingScan, type StreamStart } from '../support/stream-start.js';

/** Largest non-P-DATA PDU we collect: a proposal with 128 contexts and many transfer syntaxes fits easily. */
export const MAX_ASSOCIATION_PDU = 256 * 1024;
/** Largest command set (all fragments together); real ones are a few hundred bytes. */
export const MAX_COMMAND_SET = 64 * 1024;

export interface PduHandler {
  /** a complete non-P-DATA PDU; `body` excludes the 6-byte header, `base` is the stream offset of the header */
  pdu(type: number, body: Uint8Array, base: number, meta: FrameMeta): void;
  /** a complete command set from one or more command fragments */
  command(contextId: number, bytes: Uint8Array, base: number, meta: FrameMeta): void;
  /** the last fragment of a data set ended; `bytes` is the data-set size across all its fragments */
  dataSet(contextId: number, bytes: number, meta: FrameMeta): void;
  /** a direction seen from the middle (or after a gap) is read from `offset` on (called before its first PDU) */
  synced(offset: number, meta: FrameMeta): void;
  /** no sync point within the scan limit: the rest of the direction is not read (called once) */
  lost(meta: FrameMeta): void;
}

export type { StreamStart } from '../support/stream-start.js';

const enum State {
  PduHeader,
  PduBody,
  PdvHeader,
  PdvBody,
}

export class PduStream {
  private state = State.PduHeader;
  private readonly header = new ByteAccumulator(6, 6);
  private readonly body = new ByteAccumulator(MAX_ASSOCIATION_PDU, 512);
  private readonly command = new ByteAccumulator(MAX_COMMAND_SET, 256);
  private offset = 0;
  private pduType = 0;
  private pduStart = 0;
  private pduLength = 0;
  private pduRemaining = 0;
  private pdvRemaining = 0;
  private pdvContext = 0;
  private pdvControl = 0;
  private commandStart = -1;
  private dataBytes = 0;
  private readonly gate: StartGate;

  /**
   * `scan`: keep looking past the first window (late sync, see LateSync in contract.ts); `opens` false:
   * only sync points count (after a gap)
   */
  constructor(
    private readonly handler: PduHandler,
    private readonly starts: StreamStart,
    scan?: SlidingScan,
    opens = true,
  ) {
    this.gate = new StartGate(starts, SYNC_WINDOW, scan, opens);
  }

  /**
   * After a gap in a direction being read: a stream that reads on from the next sync point `scan` finds
   * in the bytes after the gap (offsets count from there). This one, and the PDU in progress, is dropped.
   */
  restart(scan: SlidingScan): PduStream {
    return new PduStream(this.handler, this.starts, scan, false);
  }

  /** At a gap before the start is known (after flush()): the search goes on in the bytes after it. */
  gap(): void {
    this.gate.gap();
  }

  /** no sync point was found in the bytes looked at: the rest need not be delivered */
  get lost(): boolean {
    return this.gate.lost;
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

  /**
   * Reads `data`; returns how many of the bytes that follow it are data-set bytes this stream has
   * already counted and need not see (all but the last byte of the fragment in progress: the chunk
   * holding that byte ends the fragment, with its frame as evidence).
   */
  feed(data: Uint8Array, meta: FrameMeta): number {
    if (this.gate.decided) this.read(data, meta);
    else this.decideStart(data, meta);
    if (!this.gate.decided) return 0;
    if (this.state !== State.PdvBody || (this.pdvControl & 1) !== 0 || this.pdvRemaining < 2) return 0;
    const n = this.pdvRemaining - 1;
    this.dataBytes += n;
    this.offset += n;
    this.pdvRemaining -= n;
    this.pduRemaining -= n;
    return n;
  }

  private decideStart(data: Uint8Array, meta: FrameMeta): void {
    if (this.gate.lost) return;
    const start = this.gate.offer(data);
    if (start !== undefined) this.begin(start, meta);
    else if (this.gate.lost) this.handler.lost(meta);
  }

  private begin(start: DecidedStart, meta: FrameMeta): void {
    if (start.synced) {
      this.offset = start.from;
      this.handler.synced(start.from, meta);
    }
    this.read(start.head, meta);
    if (start.rest.length > 0) this.read(start.rest, meta);
  }

  private read(data: Uint8Array, meta: FrameMeta): void {
    let pos = 0;
    while (pos < data.length) {
      const before = pos;
      switch (this.state) {
        case State.PduHeader:
        case State.PdvHeader: {
          let h: Uint8Array;
          let at: number;
          if (this.header.length === 0 && data.length - pos >= 6) {
            // the whole 6-byte header is in this chunk (the usual case): read it in place
            h = data;
            at = pos;
            pos += 6;
          } else {
            pos = this.header.fillTo(6, data, pos);
            if (this.header.length < 6) {
              this.offset += pos - before;
              break;
            }
            h = this.header.view();
            at = 0;
          }
          this.offset += pos - before;
          if (this.state === State.PduHeader) this.startPdu(h, at, meta);
          else this.startPdv(h, at, meta);
          break;
        }
        case State.PduBody:
          if (this.body.length === 0 && data.length - pos >= this.pduLength) {
            // the whole PDU is in this chunk (association PDUs usually are): read it in place
            pos += this.pduLength;
            this.offset += this.pduLength;
            this.state = State.PduHeader;
            this.handler.pdu(this.pduType, data.subarray(pos - this.pduLength, pos), this.pduStart, meta);
            break;
          }
          pos = this.body.fillTo(this.pduLength, data, pos);
          this.offset += pos - before;
          if (this.body.length === this.pduLength) {
            this.state = State.PduHeader;
            this.handler.pdu(this.pduType, this.body.view(), this.pduStart, meta);
            this.body.reset();
          }
          break;
        case State.PdvBody: {
          const left = data.length - pos;
          const n = this.pdvRemaining < left ? this.pdvRemaining : left;
          if (this.pdvControl & 1) {
            if ((this.pdvControl & 2) !== 0 && this.command.length === 0 && n === this.pdvRemaining && n <= MAX_COMMAND_SET) {
              // a whole command set in one fragment, all in this chunk: read it in place
              pos += n;
              this.offset += n;
              this.pdvRemaining = 0;
              this.pduRemaining -= n;
              this.endPdv(meta, data.subarray(pos - n, pos));
              break;
            }
            if (this.command.append(data.subarray(pos, pos + n)) > 0) this.fail('too-large', `command set exceeds ${MAX_COMMAND_SET} bytes`, this.commandStart);
          } else this.dataBytes += n; // data-set bytes (C-STORE pixel data) are counted, never copied
          pos += n;
          this.offset += n;
          this.pdvRemaining -= n;
          this.pduRemaining -= n;
          if (this.pdvRemaining === 0) this.endPdv(meta);
          break;
        }
      }
    }
  }

  /** `h[at, at + 6)` is the PDU header */
  private startPdu(h: Uint8Array, at: number, meta: FrameMeta): void {
    this.pduStart = this.offset - 6;
    this.pduType = h[at] as number;
    this.pduLength = readU32be(h, at + 2);
    this.header.reset();
    if (this.pduType < 1 || this.pduType > 7) this.fail('bad-pdu-type', `unknown PDU type 0x${this.pduType.toString(16)}`, this.pduStart);
    if (this.pduType === 4) {
      if (this.pduLength < 6) this.fail('bad-length', `P-DATA-TF length ${this.pduLength} cannot hold a PDV`, this.pduStart + 2);
      this.pduRemaining = this.pduLength;
      this.state = State.PdvHeader;
      return;
    }
    if (this.pduLength > MAX_ASSOCIATION_PDU) this.fail('too-large', `PDU length ${this.pduLength} exceeds ${MAX_ASSOCIATION_PDU}`, this.pduStart + 2);
    if (this.pduLength === 0) {
      this.state = State.PduHeader;
      this.handler.pdu(this.pduType, new Uint8Array(0), this.pduStart, meta);
      return;
    }
    this.state = State.PduBody;
  }

  /** `h[at, at + 6)` is the PDV item header */
  private startPdv(h: Uint8Array, at: number, meta: FrameMeta): void {
    const start = this.offset - 6;
    const itemLength = readU32be(h, at);
    this.pdvContext = h[at + 4] as number;
    const control = h[at + 5] as number;
    this.header.reset();
    this.pduRemaining -= 6;
    if (itemLength < 2 || itemLength - 2 > this.pduRemaining) this.fail('bad-length', `PDV item length ${itemLength} does not fit the P-DATA-TF`, start);
    if (control & 1) {
      if (this.commandStart < 0) this.commandStart = start + 6;
    } else if (this.commandStart >= 0) {
      this.fail('bad-fragment', 'data fragment before the last command fragment', start);
    }
    this.pdvControl = control;
    this.pdvRemaining = itemLength - 2;
    this.state = State.PdvBody;
    if (this.pdvRemaining === 0) this.endPdv(meta);
  }

  /** `command` is the command set when it was read in place rather than collected */
  private endPdv(meta: FrameMeta, command?: Uint8Array): void {
    const last = (this.pdvControl & 2) !== 0;
    if (last && this.pdvControl & 1) {
      const start = this.commandStart;
      this.commandStart = -1;
      this.handler.command(this.pdvContext, command ?? this.command.view(), start, meta);
      this.command.reset();
    } else if (last) {
      this.handler.dataSet(this.pdvContext, this.dataBytes, meta);
      this.dataBytes = 0;
    }
    this.state = this.pduRemaining > 0 ? State.PdvHeader : State.PduHeader;
  }

  private fail(reason: string, message: string, at: number): never {
    throw new DissectorError('dicom', reason, message, at);
  }
}
