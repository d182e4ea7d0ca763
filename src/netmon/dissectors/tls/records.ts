/**
 * @module Frames one direction of a TLS stream into records (RFC 8446 5.1) across chunk boundaries and
 * reassembles handshake messages that span records. Only plaintext content is surfaced: after
 * ChangeCipherSpec a direction's handshake records are encrypted and ignored. Accepts the SSLv2-compatible
 * CLIENT-HELLO as the very first record.
 */
import type { FrameMeta } from '../../model.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { DissectorError } from '../errors.js';

/** TLSCiphertext may exceed 2^14 by up to 2048 bytes (RFC 5246 6.2.3) */
export const MAX_RECORD = 16384 + 2048;
/** larger handshake messages (giant certificate chains) are skipped, not buffered */
export const MAX_HANDSHAKE_MESSAGE = 128 * 1024;

export interface RecordHandler {
  handshake(type: number, body: Uint8Array, base: number, recordVersion: number, meta: FrameMeta): void;
  sslv2Hello(body: Uint8Array, base: number, meta: FrameMeta): void;
  changeCipherSpec(meta: FrameMeta): void;
  alert(level: number, description: number, meta: FrameMeta): void;
  applicationData(bytes: number, meta: FrameMeta): void;
  oversizedHandshake(type: number, length: number, meta: FrameMeta): void;
}

export class TlsRecordStream {
  private readonly header = new ByteAccumulator(5, 5);
  private readonly record = new ByteAccumulator(MAX_RECORD, 512);
  // room for one incomplete message plus one more record, so appending never drops bytes
  private readonly hs = new ByteAccumulator(4 + MAX_HANDSHAKE_MESSAGE + MAX_RECORD, 512);
  private hsBase = 0;
  private skipHandshake = 0;
  private inBody = false;
  private type = 0;
  private version = 0;
  private length = 0;
  private recordStart = 0;
  private offset = 0;
  private first = true;
  private sslv2 = false;
  encrypted = false;

  constructor(private readonly handler: RecordHandler) {}

  feed(data: Uint8Array, meta: FrameMeta): void {
    let pos = 0;
    while (pos < data.length) {
      const before = pos;
      if (!this.inBody) {
        // only the very first record may use the 2-byte SSLv2 header (high bit of the first byte set)
        if (this.first && this.header.length === 0 && ((data[pos] as number) & 0x80) !== 0) this.sslv2 = true;
        const need = this.sslv2 ? 2 : 5;
        pos = this.header.fillTo(need, data, pos);
        this.offset += pos - before;
        if (this.header.length === need) this.startRecord();
        continue;
      }
      pos = this.record.fillTo(this.length, data, pos);
      this.offset += pos - before;
      if (this.record.length === this.length) this.endRecord(meta);
    }
  }

  private startRecord(): void {
    const h = this.header.view();
    this.recordStart = this.offset - h.length;
    this.first = false;
    if (this.sslv2) {
      this.type = -2;
      this.length = (((h[0] as number) & 0x7f) << 8) | (h[1] as number);
    } else {
      this.type = h[0] as number;
      this.version = ((h[1] as number) << 8) | (h[2] as number);
      this.length = ((h[3] as number) << 8) | (h[4] as number);
      if (this.type < 20 || this.type > 24) this.fail('bad-record-type', `record type ${this.type}`, this.recordStart);
      if (h[1] !== 3) this.fail('bad-version', `record version 0x${this.version.toString(16)}`, this.recordStart + 1);
      if (this.length > MAX_RECORD) this.fail('too-large', `record length ${this.length}`, this.recordStart + 3);
    }
    this.header.reset();
    this.inBody = true;
  }

  private endRecord(meta: FrameMeta): void {
    this.inBody = false;
    const body = this.record.view();
    const base = this.recordStart + (this.sslv2 ? 2 : 5);
    if (this.sslv2) {
      this.sslv2 = false;
      this.handler.sslv2Hello(body, base, meta);
    } else {
      switch (this.type) {
        case 20:
          this.encrypted = true;
          this.handler.changeCipherSpec(meta);
          break;
        case 21:
          if (!this.encrypted && body.length === 2) this.handler.alert(body[0] as number, body[1] as number, meta);
          break;
        case 22:
          if (!this.encrypted) this.handshakeBytes(body, base, meta);
          break;
        case 23:
          this.handler.applicationData(body.length, meta);
          break;
        default:
          break;
      }
    }
    this.record.reset();
  }

  private handshakeBytes(body: Uint8Array, base: number, meta: FrameMeta): void {
    let b = body;
    if (this.skipHandshake > 0) {
      const n = Math.min(this.skipHandshake, b.length);
      this.skipHandshake -= n;
      b = b.subarray(n);
      base += n;
    }
    if (b.length === 0) return;
    if (this.hs.length === 0) this.hsBase = base;
    this.hs.append(b);
    for (;;) {
      const v = this.hs.view();
      if (v.length < 4) return;
      const type = v[0] as number;
      const len = ((v[1] as number) << 16) | ((v[2] as number) << 8) | (v[3] as number);
      if (len > MAX_HANDSHAKE_MESSAGE) {
        const have = v.length - 4;
        this.skipHandshake = len - have;
        this.hs.reset();
        this.handler.oversizedHandshake(type, len, meta);
        return;
      }
      if (v.length < 4 + len) return;
      this.handler.handshake(type, v.subarray(4, 4 + len), this.hsBase + 4, this.version, meta);
      this.hs.consume(4 + len);
      this.hsBase += 4 + len;
    }
  }

  private fail(reason: string, message: string, at: number): never {
    throw new DissectorError('tls', reason, message, at);
  }
}
