/**
 * @module RDP connection setup (MS-RDPBCGR 2.2.1.1/2.2.1.2 over TPKT/X.224): the cookie's username, the
 * security protocols the client requests and the one the server selects. Standard RDP security (no TLS,
 * no NLA) and TLS without NLA are findings. Everything after the confirm is encrypted and not read.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { ByteReader, readU16be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { cleanText } from '../support/text.js';

const ID = 'rdp';
const VERSION = '1.0.0';
const CR = 0xe0;
const CC = 0xd0;

function detect(b: Uint8Array, dir: Direction): Detection {
  if (b.length === 0) return 'need-more';
  if (b[0] !== 0x03) return 'no';
  if (b.length < 6) return 'need-more';
  const len = readU16be(b, 2);
  const li = b[4] as number;
  const code = (b[5] as number) & 0xf0;
  return b[1] === 0 && len >= 11 && li >= 6 && li === len - 5 && code === (dir === 'c2s' ? CR : CC) ? 'yes' : 'no';
}

const PROTOCOLS: readonly [number, string][] = [[0x1, 'tls'], [0x2, 'credssp-nla'], [0x4, 'rdstls'], [0x8, 'credssp-early-auth'], [0x10, 'aad']];
const protocolNames = (mask: number): string[] => (mask === 0 ? ['standard-rdp'] : PROTOCOLS.filter(([bit]) => mask & bit).map(([, n]) => n));

class RdpConsumer implements StreamConsumer {
  private readonly tpkt: Record<Direction, ByteAccumulator> = { c2s: new ByteAccumulator(1024, 64), s2c: new ByteAccumulator(1024, 64) };
  private readonly done: Record<Direction, boolean> = { c2s: false, s2c: false };

  constructor(private readonly emit: Emit) {}

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    if (this.done[dir]) return;
    const acc = this.tpkt[dir];
    const pos = acc.fillTo(4, data, 0);
    if (acc.length < 4) return;
    const len = readU16be(acc.view(), 2);
    const r0 = new ByteReader(acc.view(), 'rdp');
    if (len < 7 || len > 1024) r0.fail('bad-length', `TPKT length ${len}`, 2);
    acc.fillTo(len, data, pos);
    if (acc.length < len) return;
    this.done[dir] = true;
    const r = new ByteReader(acc.view(), 'rdp', 0, 4, len);
    const li = r.u8('length indicator');
    const x224 = r.sub(Math.min(li, r.remaining), 'X.224 TPDU');
    const code = x224.u8('TPDU code') & 0xf0;
    x224.skip(5, 'references and class');
    if (code === CR) this.request(dir, x224.rest(), meta);
    else if (code === CC) this.confirm(dir, x224.rest(), meta);
  }

  private request(dir: Direction, rest: Uint8Array, meta: FrameMeta): void {
    const text = new TextDecoder('latin1').decode(rest);
    const cookieEnd = text.indexOf('\r\n');
    const cookie = cookieEnd >= 0 ? text.slice(0, cookieEnd) : '';
    const user = /^Cookie: mstshash=(.*)$/.exec(cookie)?.[1];
    const neg = new ByteReader(rest, 'rdp', 0, cookieEnd >= 0 ? cookieEnd + 2 : 0);
    let requested: number | null = null;
    if (neg.remaining >= 8 && neg.u8('type') === 0x01) {
      neg.skip(3, 'flags and length');
      requested = neg.u32le('requested protocols');
    }
    this.emit('rdp.connection-request', dir, meta, {
      cookieUsername: user === undefined ? null : cleanText(user, 64),
      routingTokenPresent: cookie.length > 0 && user === undefined,
      requestedProtocols: requested === null ? ['standard-rdp'] : protocolNames(requested),
    });
  }

  private confirm(dir: Direction, rest: Uint8Array, meta: FrameMeta): void {
    const r = new ByteReader(rest, 'rdp');
    let selected: number | null = null;
    let failureCode: number | null = null;
    if (r.remaining >= 8) {
      const type = r.u8('type');
      r.skip(3, 'flags and length');
      if (type === 0x02) selected = r.u32le('selected protocol');
      else if (type === 0x03) failureCode = r.u32le('failure code');
    } else selected = 0;
    const findings: WireFinding[] = [];
    if (selected === 0) findings.push({ code: 'rdp.standard-security', severity: 'high', message: 'RDP session uses standard RDP security (no TLS, no NLA)' });
    else if (selected !== null && (selected & 0xa) === 0) findings.push({ code: 'rdp.no-nla', severity: 'medium', message: 'RDP session without Network Level Authentication' });
    this.emit('rdp.connection-confirm', dir, meta, {
      selectedProtocol: selected === null ? null : protocolNames(selected),
      failureCode,
    }, findings);
  }
}

export const rdpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [3389],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new RdpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
