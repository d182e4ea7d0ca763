/**
 * @module HL7 v2 dissector (MLLP-framed or raw): one `hl7.message` observation per message with MSH routing
 * (applications, facilities), type/trigger, version, control id, ACK code, and whether patient identifiers
 * (PID) crossed the wire in cleartext. Detected from MSH/BHS/FHS content on any port.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { parseMsa, parseMsh, pidIdentifiersPresent, type AckInfo, type MshInfo } from './segments.js';
import { Hl7Stream, segmentText } from './stream.js';

const ID = 'hl7';
const VERSION = '1.0.0';
const MAX_SEGMENT_IDS = 64;

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** "MSH|^~\&|" (or BHS/FHS): header name, a separator, 3-5 encoding characters, the separator again */
function detectHeader(b: Uint8Array, at: number): Detection {
  const names = ['MSH', 'BHS', 'FHS'];
  for (let i = 0; i < 3; i++) {
    if (at + i >= b.length) return names.some((n) => matchesPrefix(b, at, n)) ? 'need-more' : 'no';
  }
  const name = String.fromCharCode(b[at] as number, b[at + 1] as number, b[at + 2] as number);
  if (!names.includes(name)) return 'no';
  const sep = b[at + 3];
  if (sep === undefined) return 'need-more';
  if (sep < 0x21 || sep > 0x7e || isAlnum(sep)) return 'no';
  for (let i = 1; i <= 6; i++) {
    const c = b[at + 3 + i];
    if (c === undefined) return 'need-more';
    if (c === sep) return i >= 2 ? 'yes' : 'no';
    if (c < 0x21 || c > 0x7e || isAlnum(c)) return 'no';
  }
  return 'no';
}

function matchesPrefix(b: Uint8Array, at: number, name: string): boolean {
  for (let i = at; i < b.length; i++) if (b[i] !== name.charCodeAt(i - at)) return false;
  return true;
}

function detect(b: Uint8Array): Detection {
  if (b.length === 0) return 'need-more';
  if (b[0] === 0x0b) return detectHeader(b, 1);
  if (b[0] === 0xef) {
    if (b.length < 3) return 'need-more';
    return b[1] === 0xbb && b[2] === 0xbf ? detectHeader(b, 3) : 'no';
  }
  return detectHeader(b, 0);
}

interface MessageState {
  msh?: MshInfo;
  ack?: AckInfo;
  pid: string[] | null;
  segmentIds: Set<string>;
  segmentCount: number;
}

const newMessage = (): MessageState => ({ pid: null, segmentIds: new Set(), segmentCount: 0 });

class Hl7Consumer implements StreamConsumer {
  private readonly streams: Record<Direction, Hl7Stream | null>;
  private readonly messages: Record<Direction, MessageState> = { c2s: newMessage(), s2c: newMessage() };

  constructor(private readonly emit: Emit) {
    this.streams = { c2s: this.stream('c2s'), s2c: this.stream('s2c') };
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    this.streams[dir]?.feed(data, meta);
  }

  onGap(dir: Direction, _length: number, meta: FrameMeta): void {
    this.streams[dir]?.flush(meta);
    this.streams[dir] = null;
  }

  onClose(_reason: string, meta: FrameMeta): void {
    this.streams.c2s?.flush(meta);
    this.streams.s2c?.flush(meta);
  }

  private stream(dir: Direction): Hl7Stream {
    return new Hl7Stream({
      segment: (bytes) => this.segment(dir, bytes),
      end: (info, meta) => this.end(dir, info, meta),
    });
  }

  private segment(dir: Direction, bytes: Uint8Array): void {
    const m = this.messages[dir];
    m.segmentCount++;
    if (bytes.length < 3) return;
    const id = String.fromCharCode(bytes[0] as number, bytes[1] as number, bytes[2] as number);
    if (m.segmentIds.size < MAX_SEGMENT_IDS && /^[A-Z0-9]{3}$/.test(id)) m.segmentIds.add(id);
    // only the segments we read are decoded to text
    if (id === 'MSH' && !m.msh) m.msh = parseMsh(segmentText(bytes));
    else if (id === 'MSA' && m.msh && !m.ack) m.ack = parseMsa(segmentText(bytes), m.msh.delimiters);
    else if (id === 'PID' && m.msh) m.pid = [...new Set([...(m.pid ?? []), ...pidIdentifiersPresent(segmentText(bytes), m.msh.delimiters)])];
  }

  private end(dir: Direction, info: { framing: string; bytes: number; lineEndings: string[]; finalTerminator: boolean }, meta: FrameMeta): void {
    const m = this.messages[dir];
    this.messages[dir] = newMessage();
    const findings: WireFinding[] = [];
    if (m.pid !== null && m.pid.length > 0) {
      findings.push({
        code: 'hl7.cleartext-phi',
        severity: 'high',
        message: `HL7 ${m.msh?.messageType ?? ''}${m.msh?.triggerEvent ? '^' + m.msh.triggerEvent : ''} message carries patient identifiers (${m.pid.join(', ')}) without TLS`,
      });
    }
    const h = m.msh;
    this.emit(
      'hl7.message',
      dir,
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
        ackCode: m.ack?.code ?? null,
        ackControlId: m.ack?.controlId ?? null,
        pidPresent: m.pid !== null,
        patientIdentifiersPresent: m.pid ?? [],
        segmentCount: m.segmentCount,
        segmentIds: [...m.segmentIds],
        framing: info.framing,
        lineEndings: info.lineEndings,
        finalTerminator: info.finalTerminator,
        bytes: info.bytes,
      },
      findings,
    );
  }
}

export const hl7Dissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [2575],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new Hl7Consumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
