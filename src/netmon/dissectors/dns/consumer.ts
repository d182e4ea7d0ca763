/**
 * @module The DNS wire-format consumer shared by the `dns` and `mdns` dissectors: one message per UDP
 * datagram or per 2-byte length frame on TCP, the content check both detect with, and a factory that
 * lets mDNS add its device-identity fields without DNS depending on mDNS.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../../model.js';
import type { Detection, Dissector, DissectorTransport } from '../contract.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { readU16be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { parseDns, rcodeName, type DnsMessage } from './message.js';

const MAX_ANSWERS_LISTED = 32;

/** cheap header sanity: known opcode, few questions, something in it */
function plausibleHeader(msg: Uint8Array): boolean {
  const counts = [readU16be(msg, 4), readU16be(msg, 6), readU16be(msg, 8), readU16be(msg, 10)] as const;
  const opcode = ((msg[2] as number) >> 3) & 15;
  return !(opcode === 3 || opcode > 6 || counts[0] > 32 || counts.every((c) => c === 0));
}

function plausible(msg: Uint8Array): boolean {
  if (msg.length < 12 || !plausibleHeader(msg)) return false;
  const m = parseDns(msg);
  return !m.truncated && m.trailing === 0;
}

/** 'yes' only for a whole message that parses cleanly (TCP: behind its length prefix) */
export function detectDnsMessage(b: Uint8Array, key: FlowKey): Detection {
  if (key.transport === 'udp') return plausible(b) ? 'yes' : 'no';
  if (b.length < 2) return 'need-more';
  const len = readU16be(b, 0);
  if (len < 12) return 'no';
  if (b.length < 14) return 'need-more';
  if (!plausibleHeader(b.subarray(2))) return 'no';
  if (b.length < 2 + len) return 'need-more';
  return plausible(b.subarray(2, 2 + len)) ? 'yes' : 'no';
}

function fields(m: DnsMessage): Record<string, unknown> {
  return {
    id: m.id,
    opcode: m.opcode,
    rcode: rcodeName(m.rcode),
    flags: m.flags,
    questions: m.questions,
    answers: m.answers.slice(0, MAX_ANSWERS_LISTED),
    answerCount: m.answers.length,
    authorityCount: m.authorities.length,
    additionalCount: m.additionals.length,
    truncated: m.truncated,
  };
}

/** fields a DNS-based protocol adds after the common ones */
export type ExtraFields = (m: DnsMessage) => object;

class DnsConsumer implements StreamConsumer {
  private readonly framers: Record<Direction, ByteAccumulator> | null;

  constructor(
    key: FlowKey,
    private readonly emit: Emit,
    private readonly protocol: string,
    private readonly extra: ExtraFields | undefined,
  ) {
    this.framers = key.transport === 'tcp' ? { c2s: new ByteAccumulator(2 + 65535, 512), s2c: new ByteAccumulator(2 + 65535, 512) } : null;
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    if (!this.framers) return this.message(dir, data, meta);
    const acc = this.framers[dir];
    let pos = 0;
    while (pos < data.length) {
      pos = acc.fillTo(2, data, pos);
      if (acc.length < 2) return;
      const len = readU16be(acc.view(), 0);
      pos = acc.fillTo(2 + len, data, pos);
      if (acc.length < 2 + len) return;
      this.message(dir, acc.view().subarray(2), meta);
      acc.reset();
    }
  }

  private message(dir: Direction, msg: Uint8Array, meta: FrameMeta): void {
    const m = parseDns(msg, this.protocol);
    const kind = `${this.protocol}.${m.response ? 'response' : 'query'}`;
    this.emit(kind, dir, meta, this.extra ? { ...fields(m), ...this.extra(m) } : fields(m));
  }
}

export interface DnsFamilyOptions {
  id: string;
  version: string;
  transport: DissectorTransport;
  defaultPorts: number[];
  detect: Dissector['detect'];
  extraFields?: ExtraFields;
}

export function dnsFamilyDissector(o: DnsFamilyOptions): Dissector {
  const { id, version, extraFields } = o;
  return {
    id,
    version,
    transport: o.transport,
    defaultPorts: o.defaultPorts,
    detect: o.detect,
    create(key: FlowKey, emit: ObservationSink): StreamConsumer {
      return new DnsConsumer(key, flowEmitter({ id, version }, key, emit), id, extraFields);
    },
  };
}
