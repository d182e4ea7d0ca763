/**
 * @module TLS dissector: ClientHello (SNI, versions, ciphers, ALPN, JA3/JA4), ServerHello (negotiated
 * version and cipher, JA3S), certificates while still visible (TLS ≤ 1.2), certificate requests (mutual
 * TLS), plaintext alerts, and a session summary. Detected from the handshake record header.
 */
import { SKIP_REST, type Direction, type FlowKey, type FrameMeta, type ObservationSink, type StreamConsumer } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteReader, readU16be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { alertName } from './alerts.js';
import { parseCertificateChain } from './certificate.js';
import { parseClientHello, parseServerHello, parseSslv2ClientHello } from './hello.js';
import { certificateFindings, clientHelloObservation, serverHelloObservation } from './observations.js';
import { MAX_RECORD, TlsRecordStream, type RecordHandler } from './records.js';
import { versionName } from './versions.js';

const ID = 'tls';
const VERSION = '1.0.0';

function detect(b: Uint8Array, dir: Direction): Detection {
  if (b.length === 0) return 'need-more';
  const first = b[0] as number;
  if (first & 0x80) {
    // SSLv2-compatible CLIENT-HELLO: 2-byte length, type 1, version 0x0002 or 0x03xx
    if (dir !== 'c2s') return 'no';
    if (b.length < 5) return 'need-more';
    const len = ((first & 0x7f) << 8) | (b[1] as number);
    const ok = len >= 9 && b[2] === 1 && ((b[3] === 0 && b[4] === 2) || (b[3] === 3 && (b[4] as number) <= 4));
    return ok ? 'yes' : 'no';
  }
  if (first !== 0x16) return 'no';
  if (b.length < 3) return 'need-more';
  if (b[1] !== 3 || (b[2] as number) > 4) return 'no';
  if (b.length < 6) return 'need-more';
  const len = readU16be(b, 3);
  if (len < 4 || len > MAX_RECORD) return 'no';
  if (b[5] !== (dir === 'c2s' ? 1 : 2)) return 'no';
  if (b.length < 11) return 'need-more';
  // hello body starts with a protocol version whose major byte is 3
  return b[9] === 3 ? 'yes' : 'no';
}

/** One direction's record events routed to its session: one small object per direction, not six closures. */
class DirectionEvents implements RecordHandler {
  constructor(
    private readonly session: TlsConsumer,
    private readonly dir: Direction,
  ) {}

  handshake(type: number, body: Uint8Array, base: number, recordVersion: number, meta: FrameMeta): void {
    this.session.handshake(this.dir, type, new ByteReader(body, 'tls', base), recordVersion, meta);
  }

  sslv2Hello(body: Uint8Array, base: number, meta: FrameMeta): void {
    this.session.clientHello(this.dir, parseSslv2ClientHello(new ByteReader(body, 'tls', base)), null, meta);
  }

  changeCipherSpec(): void {
    this.session.ccs[this.dir] = true;
  }

  alert(level: number, description: number, meta: FrameMeta): void {
    this.session.alert(this.dir, level, description, meta);
  }

  applicationData(bytes: number): void {
    this.session.appData[this.dir] += bytes;
  }

  oversizedHandshake(type: number, length: number, meta: FrameMeta): void {
    this.session.emit('tls.oversized-handshake', this.dir, meta, { handshakeType: type, length });
  }
}

class TlsConsumer implements StreamConsumer {
  readonly skips = true;
  private readonly streams: Record<Direction, TlsRecordStream | null>;
  private version: number | null = null;
  private sni: string | null = null;
  readonly appData: Record<Direction, number> = { c2s: 0, s2c: 0 };
  readonly ccs: Record<Direction, boolean> = { c2s: false, s2c: false };
  private seen = false;

  constructor(readonly emit: Emit) {
    this.streams = { c2s: new TlsRecordStream(new DirectionEvents(this, 'c2s')), s2c: new TlsRecordStream(new DirectionEvents(this, 's2c')) };
  }

  /** Returns the encrypted record bytes that follow which the stream need not see (they are counted already). */
  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): number {
    const s = this.streams[dir];
    return s === null ? SKIP_REST : s.feed(data, meta);
  }

  onGap(dir: Direction): void {
    this.streams[dir] = null;
  }

  onClose(reason: string, meta: FrameMeta): void {
    if (!this.seen) return;
    this.emit('tls.session-summary', undefined, meta, {
      version: this.version === null ? null : versionName(this.version),
      sni: this.sni,
      changeCipherSpec: { ...this.ccs },
      applicationDataBytes: { ...this.appData },
      closeReason: reason,
    });
  }

  alert(dir: Direction, level: number, description: number, meta: FrameMeta): void {
    this.seen = true;
    this.emit('tls.alert', dir, meta, { level: level === 2 ? 'fatal' : level === 1 ? 'warning' : `unknown-${level}`, description, descriptionName: alertName(description) });
  }

  clientHello(dir: Direction, h: ReturnType<typeof parseClientHello>, recordVersion: number | null, meta: FrameMeta): void {
    this.seen = true;
    this.sni = h.sni ?? null;
    const { fields, findings } = clientHelloObservation(h, recordVersion);
    this.emit('tls.client-hello', dir, meta, fields, findings);
  }

  handshake(dir: Direction, type: number, r: ByteReader, recordVersion: number, meta: FrameMeta): void {
    switch (type) {
      case 1:
        return this.clientHello(dir, parseClientHello(r), recordVersion, meta);
      case 2: {
        this.seen = true;
        const { fields, findings, version } = serverHelloObservation(parseServerHello(r));
        this.version = version;
        this.emit('tls.server-hello', dir, meta, fields, findings);
        return;
      }
      case 11: {
        // TLS 1.3 certificates travel encrypted; a plaintext one means ≤ 1.2
        const sender = dir === 's2c' ? 'server' : 'client';
        const { chain, total } = parseCertificateChain(r);
        this.emit('tls.certificate', dir, meta, { sender, chain, chainLength: total }, certificateFindings(chain, meta.ts, sender));
        return;
      }
      case 13:
        this.emit('tls.certificate-request', dir, meta, { mutualTls: true });
        return;
      default:
        return;
    }
  }
}

export const tlsDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [443, 8443, 2762, 8883, 6514, 636, 993, 995, 465, 5061],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new TlsConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
