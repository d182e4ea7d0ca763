/**
 * @module HL7 v2 dissector (MLLP-framed or raw): one `hl7.message` observation per message with MSH routing
 * (applications, facilities), type/trigger, version, control id, ACK code, and whether patient identifiers
 * (PID) crossed the wire in cleartext. Detected from MSH/BHS/FHS content on any port; on port 2575 also
 * when the first message start lies past the first 4 KiB of a direction (late sync, contract.ts). After a
 * gap a direction reads on from the next message start (support/gap-resync.ts).
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { ConsumerOptions, Detection, Dissector, LateSyncOptions } from '../contract.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { DEFAULT_RESYNC_SCAN_LIMIT, DirectionGaps } from '../support/gap-resync.js';
import { LateSyncFlow, type ScanningConsumer } from '../support/late-sync.js';
import type { ScanProgress } from '../support/stream-start.js';
import { parseMsaPlain, parseMshPlain, pidIdentifiersPresentBytes } from './plain.js';
import { parseMsa, parseMsh, pidIdentifiersPresent, segmentText, type AckInfo, type MshInfo } from './segments.js';
import { detectMidStream, headerAt } from './mid-stream.js';
import { endingNames, type Framing, type MessageSink } from './framing.js';
import { Hl7Stream } from './stream.js';

const ID = 'hl7';
// 1.1: streams seen from the middle of a message are read from the next message on
// 1.2: late sync on 2575 (a message start past the first 4 KiB): `lateSync` fields, hl7.late-sync-given-up
// 1.3: after a gap a direction reads on from the next message start (`resyncedAfterGap`/`afterGap`, hl7.resync-given-up)
const VERSION = '1.3.0';
const MAX_SEGMENT_IDS = 64;


/**
 * A stream opening with a message ("MSH|^~\\&|", BHS, FHS; after an MLLP start block or a UTF-8 byte
 * order mark), or, for a capture that began inside a message, one with a message start further on.
 */
function detect(b: Uint8Array): Detection {
  if (b.length === 0) return 'need-more';
  let opening: Detection;
  if (b[0] === 0x0b) opening = headerAt(b, 1);
  else if (b[0] === 0xef) opening = b.length < 3 ? 'need-more' : b[1] === 0xbb && b[2] === 0xbf ? headerAt(b, 3) : 'no';
  else opening = headerAt(b, 0);
  return opening === 'no' ? detectMidStream(b) : opening;
}

const NO_FINDINGS: readonly WireFinding[] = [];

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

// the three-letter id of a segment as one number, so ids can be compared and de-duplicated without strings
const idCode = (c0: number, c1: number, c2: number) => (c0 << 16) | (c1 << 8) | c2;
const isIdChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
const MSH = idCode(0x4d, 0x53, 0x48);
const MSA = idCode(0x4d, 0x53, 0x41);
const PID = idCode(0x50, 0x49, 0x44);

/** id strings by code, so common ids are not rebuilt per message; bounded against hostile traffic */
const ID_NAMES = new Map<number, string>();
function idName(code: number): string {
  let name = ID_NAMES.get(code);
  if (name === undefined) {
    name = String.fromCharCode(code >> 16, (code >> 8) & 0xff, code & 0xff);
    if (ID_NAMES.size < 4096) ID_NAMES.set(code, name);
  }
  return name;
}

/** The message being read in one direction; reset in place when it ends (one per direction, not per message). */
class MessageReader implements MessageSink {
  private msh: MshInfo | undefined = undefined;
  private ack: AckInfo | undefined = undefined;
  private pid: string[] | null = null;
  /** the message's distinct segment ids, and their codes (idCodes[i] is segmentIds[i]; entries past it are stale) */
  private segmentIds: string[] = [];
  private readonly idCodes: number[] = [];
  private segmentCount = 0;

  /** the flow's emitter, or after a resync one that marks the messages (gap-resync.ts) */
  emit: Emit;

  constructor(
    private readonly dir: Direction,
    private readonly flowEmit: Emit,
    private readonly consumer: Hl7Consumer,
  ) {
    this.emit = flowEmit;
  }

  synced(skippedBytes: number): void {
    const gaps = this.consumer.gapsOf(this.dir);
    if (gaps?.synced(skippedBytes) === true && this.emit === this.flowEmit) this.emit = gaps.marked(this.flowEmit);
  }

  lost(meta: FrameMeta): void {
    this.consumer.gapsOf(this.dir)?.lost(this.flowEmit, meta);
  }

  segment(b: Uint8Array, start: number, end: number, plain: boolean): void {
    this.segmentCount++;
    if (end - start < 3) return;
    const c0 = b[start] as number;
    const c1 = b[start + 1] as number;
    const c2 = b[start + 2] as number;
    const id = idCode(c0, c1, c2);
    if (this.segmentIds.length < MAX_SEGMENT_IDS && isIdChar(c0) && isIdChar(c1) && isIdChar(c2)) this.addId(id);
    // only the segments we read are looked at; plain.ts reads them from bytes, segments.ts from text otherwise
    if (id === MSH) {
      if (!this.msh) this.msh = plain ? parseMshPlain(b, start, end) : parseMsh(segmentText(b.subarray(start, end)));
    } else if (id === MSA) {
      if (this.msh && !this.ack) {
        const d = this.msh.delimiters;
        this.ack = plain && d.fieldByte >= 0 ? parseMsaPlain(b, start, end, d) : parseMsa(segmentText(b.subarray(start, end)), d);
      }
    } else if (id === PID && this.msh) {
      const d = this.msh.delimiters;
      const present = d.fieldByte >= 0 ? pidIdentifiersPresentBytes(b, start, end, d.fieldByte) : pidIdentifiersPresent(segmentText(b.subarray(start, end)), d);
      this.pid = this.pid === null ? present : [...new Set([...this.pid, ...present])];
    }
  }

  // the finding of the last message that carried patient identifiers: the next of the same type with the same
  // identifiers (a feed sends one kind of message all day) reuses it instead of rebuilding its text
  private phi: { type: string; trigger: string; pid: string[]; findings: readonly WireFinding[] } | undefined = undefined;

  private phiFindings(type: string, trigger: string, pid: string[]): readonly WireFinding[] {
    const last = this.phi;
    if (last !== undefined && last.type === type && last.trigger === trigger && sameStrings(last.pid, pid)) return last.findings;
    // frozen: the same finding goes into many observations
    const findings: readonly WireFinding[] = [
      Object.freeze({
        code: 'hl7.cleartext-phi',
        severity: 'high',
        message: `HL7 ${type}${trigger ? '^' + trigger : ''} message carries patient identifiers (${pid.join(', ')}) without TLS`,
      }),
    ];
    this.phi = { type, trigger, pid, findings };
    return findings;
  }

  private addId(code: number): void {
    const n = this.segmentIds.length;
    for (let i = 0; i < n; i++) if (this.idCodes[i] === code) return;
    this.idCodes[n] = code;
    this.segmentIds.push(idName(code));
  }

  end(framing: Framing, bytes: number, endings: number, finalTerminator: boolean, meta: FrameMeta): void {
    const h = this.msh;
    const pid = this.pid;
    const ack = this.ack;
    const segmentCount = this.segmentCount;
    const segmentIds = this.segmentIds;
    this.msh = undefined;
    this.ack = undefined;
    this.pid = null;
    this.segmentIds = [];
    this.segmentCount = 0;
    const findings = pid !== null && pid.length > 0 ? this.phiFindings(h?.messageType ?? '', h?.triggerEvent ?? '', pid) : NO_FINDINGS;
    this.emit(
      'hl7.message',
      this.dir,
      meta,
      {
        mshPresent: h !== undefined,
        sendingApplication: h?.sendingApplication ?? null,
        sendingFacility: h?.sendingFacility ?? null,
        receivingApplication: h?.receivingApplication ?? null,
        receivingFacility: h?.receivingFacility ?? null,
        messageType: h?.messageType ?? null,
        triggerEvent: h?.triggerEvent || null,
        messageStructure: h?.messageStructure || null,
        controlId: h?.controlId ?? null,
        processingId: h?.processingId ?? null,
        version: h?.version ?? null,
        messageDateTime: h?.dateTime || null,
        ackCode: ack?.code ?? null,
        ackControlId: ack?.controlId ?? null,
        pidPresent: pid !== null,
        patientIdentifiersPresent: pid ?? [],
        segmentCount,
        segmentIds,
        framing,
        lineEndings: endingNames(endings),
        finalTerminator,
        bytes,
      },
      findings,
    );
  }
}

class Hl7Consumer implements ScanningConsumer {
  private c2s: Hl7Stream;
  private s2c: Hl7Stream;
  private readonly readerC2s: MessageReader;
  private readonly readerS2c: MessageReader;
  /** gaps met per direction, from the first one */
  private readonly gaps: Record<Direction, DirectionGaps | null> = { c2s: null, s2c: null };

  /**
   * `scanLimit`: late sync, each direction read from its first message start within that many bytes;
   * `resyncLimit`: bytes after a gap looked at for the next message start
   */
  constructor(
    emit: Emit,
    scanLimit: number | undefined,
    private readonly resyncLimit: number,
  ) {
    this.readerC2s = new MessageReader('c2s', emit, this);
    this.readerS2c = new MessageReader('s2c', emit, this);
    this.c2s = new Hl7Stream(this.readerC2s, scanLimit);
    this.s2c = new Hl7Stream(this.readerS2c, scanLimit);
  }

  gapsOf(dir: Direction): DirectionGaps | null {
    return this.gaps[dir];
  }

  scanOf(dir: Direction): ScanProgress | null {
    return (dir === 'c2s' ? this.c2s : this.s2c).startSearch;
  }

  sinceGap(dir: Direction): boolean {
    return this.gaps[dir]?.sinceGap === true;
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    (dir === 'c2s' ? this.c2s : this.s2c).feed(data, meta);
  }

  /**
   * Bytes of `dir` were lost. The message in progress ends at the gap, as at the end of a stream: it is
   * reported with what was read of it, marked `endedByGap` (a raw message is only known to end at the
   * next header, so one that was whole is marked too). The bytes after the gap are looked at for the
   * next message start (mid-stream.ts) and read from there; a direction still looking for its first
   * start keeps looking past the gap.
   */
  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    const s = dir === 'c2s' ? this.c2s : this.s2c;
    const reading = s.reading;
    if (reading) this.endAtGap(s, dir === 'c2s' ? this.readerC2s : this.readerS2c, meta);
    (this.gaps[dir] ??= new DirectionGaps(ID, dir, this.resyncLimit)).gap(length, reading);
    if (!reading) return s.gap();
    if (dir === 'c2s') this.c2s = s.restart(this.resyncLimit);
    else this.s2c = s.restart(this.resyncLimit);
  }

  onClose(_reason: string, meta: FrameMeta): void {
    this.c2s.flush(meta);
    this.s2c.flush(meta);
  }

  /** flushes `s`; the message it ends carries `endedByGap: true` (what was read of it: it may have been longer) */
  private endAtGap(s: Hl7Stream, reader: MessageReader, meta: FrameMeta): void {
    const emit = reader.emit;
    reader.emit = (kind, dir, m, fields, findings) => emit(kind, dir, m, { ...fields, endedByGap: true }, findings);
    try {
      s.flush(meta);
    } finally {
      reader.emit = emit;
    }
  }
}

export const hl7Dissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [2575],
  detect,
  create(key: FlowKey, emit: ObservationSink, options?: ConsumerOptions): StreamConsumer {
    return new Hl7Consumer(flowEmitter({ id: ID, version: VERSION }, key, emit), undefined, options?.resyncScanLimit ?? DEFAULT_RESYNC_SCAN_LIMIT);
  },
  lateSync: {
    ports: [2575],
    create(key: FlowKey, emit: ObservationSink, options: LateSyncOptions) {
      // the search carries at most MAX_START_BYTES itself and never defers: no window to overlap
      const scan = { overlap: 0, scanLimit: options.scanLimit };
      const resyncLimit = options.resyncScanLimit ?? DEFAULT_RESYNC_SCAN_LIMIT;
      return new LateSyncFlow(ID, flowEmitter({ id: ID, version: VERSION }, key, emit), scan, (stamped, sliding) => new Hl7Consumer(stamped, sliding.scanLimit, resyncLimit));
    },
  },
};
