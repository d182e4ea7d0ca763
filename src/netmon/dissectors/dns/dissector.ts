/**
 * @module DNS and mDNS dissectors. DNS: queries and answers over UDP (one message per datagram) or TCP
 * (2-byte length framing). mDNS: the same wire format on port 5353 plus DNS-SD device identity. Detection
 * requires the whole message to parse cleanly; mDNS additionally requires port 5353.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { readU16be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { parseDns, rcodeName, type DnsMessage } from './message.js';
import { mdnsIdentity } from './mdns.js';

const VERSION = '1.0.0';
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

function detectMessage(b: Uint8Array, key: FlowKey): Detection {
  if (key.transport === 'udp') return plausible(b) ? 'yes' : 'no';
  if (b.length < 2) return 'need-more';
  const len = readU16be(b, 0);
  if (len < 12) return 'no';
  if (b.length < 14) return 'need-more';
  if (!plausibleHeader(b.subarray(2))) return 'no';
  if (b.length < 2 + len) return 'need-more';
  return plausible(b.subarray(2, 2 + len)) ? 'yes' : 'no';
}

const isMdnsPort = (key: FlowKey) => key.server.port === 5353 || key.client.port === 5353;

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

class DnsConsumer implements StreamConsumer {
  private readonly framers: Record<Direction, ByteAccumulator> | null;

  constructor(
    key: FlowKey,
    private readonly emit: Emit,
    private readonly protocol: 'dns' | 'mdns',
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
    if (this.protocol === 'dns') return this.emit(kind, dir, meta, fields(m));
    this.emit(kind, dir, meta, { ...fields(m), ...mdnsIdentity(m) });
  }
}

function make(id: 'dns' | 'mdns', ports: number[], detect: Dissector['detect']): Dissector {
  return {
    id,
    version: VERSION,
    transport: id === 'dns' ? 'both' : 'udp',
    defaultPorts: ports,
    detect,
    create(key: FlowKey, emit: ObservationSink): StreamConsumer {
      return new DnsConsumer(key, flowEmitter({ id, version: VERSION }, key, emit), id);
    },
  };
}

export const mdnsDissector = make('mdns', [5353], (b, _dir, key) => (isMdnsPort(key) ? detectMessage(b, key) : 'no'));
export const dnsDissector = make('dns', [53, 5355], (b, _dir, key) => detectMessage(b, key));
