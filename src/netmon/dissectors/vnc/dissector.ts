/**
 * @module VNC / RFB (RFC 6143) handshake dissector: protocol versions, security types offered and chosen,
 * and the authentication result. "None" security is an open remote desktop; classic VNC authentication is
 * an 8-character DES challenge-response that is easily cracked from a capture.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { prefixAgrees, readU32be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';

const ID = 'vnc';
const VERSION = '1.0.0';
const RFB_VERSION = /^RFB \d{3}\.\d{3}\n$/;
const latin1 = new TextDecoder('latin1');

function detect(b: Uint8Array): Detection {
  if (b.length < 12) return prefixAgrees(b, 'RFB ') ? 'need-more' : 'no';
  return RFB_VERSION.test(latin1.decode(b.subarray(0, 12))) ? 'yes' : 'no';
}

const SECURITY_TYPES: Record<number, string> = {
  0: 'invalid', 1: 'none', 2: 'vnc-authentication', 5: 'ra2', 6: 'ra2ne', 16: 'tight', 17: 'ultra', 18: 'tls', 19: 'vencrypt',
  20: 'sasl', 21: 'md5', 22: 'xvp', 30: 'apple-remote-desktop', 113: 'mslogon-ii',
};
const securityName = (t: number) => SECURITY_TYPES[t] ?? `type-${t}`;

type Phase = 'versions' | 'security' | 'choice' | 'done';

class VncConsumer implements StreamConsumer {
  private readonly buf: Record<Direction, ByteAccumulator> = { c2s: new ByteAccumulator(512, 64), s2c: new ByteAccumulator(512, 64) };
  private serverVersion: string | null = null;
  private clientVersion: string | null = null;
  private offered: number[] = [];
  private chosen: number | null = null;
  private phase: Phase = 'versions';
  private emitted = false;

  constructor(private readonly emit: Emit) {}

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    if (this.phase === 'done') return;
    this.buf[dir].append(data);
    this.advance(meta);
  }

  onClose(_reason: string, meta: FrameMeta): void {
    if (this.serverVersion !== null) this.report(meta);
  }

  private advance(meta: FrameMeta): void {
    const s = this.buf.s2c;
    const c = this.buf.c2s;
    if (this.serverVersion === null && s.length >= 12) {
      this.serverVersion = latin1.decode(s.view().subarray(4, 11));
      s.consume(12);
    }
    if (this.clientVersion === null && c.length >= 12) {
      this.clientVersion = latin1.decode(c.view().subarray(4, 11));
      c.consume(12);
    }
    if (this.serverVersion === null || this.clientVersion === null) return;
    this.phase = 'security';
    const v33 = this.clientVersion < '003.007';
    if (this.offered.length === 0) {
      if (v33) {
        if (s.length < 4) return;
        this.chosen = readU32be(s.view(), 0);
        this.offered = [this.chosen];
        s.consume(4);
      } else {
        const n = s.view()[0];
        if (n === undefined || s.length < 1 + n) return;
        this.offered = n === 0 ? [0] : [...s.view().subarray(1, 1 + n)];
        s.consume(1 + n);
      }
    }
    if (this.chosen === null) {
      const choice = c.view()[0];
      if (choice === undefined) return;
      this.chosen = choice;
    }
    this.phase = 'done';
    this.report(meta);
  }

  private report(meta: FrameMeta): void {
    if (this.emitted) return;
    this.emitted = true;
    const findings: WireFinding[] = [];
    if (this.chosen === 1 || (this.chosen === null && this.offered.includes(1))) {
      findings.push({ code: 'vnc.no-authentication', severity: 'critical', message: 'VNC server accepts connections without authentication' });
    } else if (this.chosen === 2) {
      findings.push({ code: 'vnc.weak-authentication', severity: 'medium', message: 'VNC password authentication (DES challenge-response) in cleartext' });
    }
    this.emit('vnc.handshake', undefined, meta, {
      serverVersion: this.serverVersion,
      clientVersion: this.clientVersion,
      securityTypesOffered: this.offered.map(securityName),
      securityTypeChosen: this.chosen === null ? null : securityName(this.chosen),
    }, findings);
  }
}

export const vncDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [5900, 5901],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new VncConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
