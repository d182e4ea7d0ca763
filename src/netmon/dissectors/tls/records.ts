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
  /** whether the current record's content is read (plaintext handshake, alert, SSLv2 hello) or only counted */
  private keepBody = false;
  /** body bytes of the current record seen so far, when they are only counted */
  private counted = 0;
  private type = 0;
  private version = 0;
  private length = 0;
  private recordStart = 0;
  private offset = 0;
  private first = true;
  private sslv2 = false;
  encrypted = false;

  constructor(private readonly handler: RecordHandler) {}

  /**
   * Reads `data`; returns how many of the bytes that follow it are body bytes of a counted-only record
   * (application data, encrypted) this stream has accounted for and need not see: all but the
   * record's last byte, so the chunk holding it ends the record with its own frame as evidence.
   */
  feed(data: Uint8Array, meta: FrameMeta): number {
    this.read(data, meta);
    if (!this.inBody || this.keepBody || this.length - this.counted < 2) return 0;
    const n = this.length - this.counted - 1;
    this.offset += n;
    this.counted += n;
    return n;
  }

  private read(data: Uint8Array, meta: FrameMeta): void {
    let pos = 0;
    while (pos < data.length) {
      const before = pos;
      if (!this.inBody) {
        // only the very first record may use the 2-byte SSLv2 header (high bit of the first byte set)
        if (this.first && this.header.length === 0 && ((data[pos] as number) & 0x80) !== 0) this.sslv2 = true;
        const need = this.sslv2 ? 2 : 5;
        if (this.header.length === 0 && data.length - pos >= need) {
          // the whole header is in this chunk: read it in place
          pos += need;
          this.offset += need;
          this.startRecord(data, before, need);
          continue;
        }
        pos = this.header.fillTo(need, data, pos);
        this.offset += pos - before;
        if (this.header.length === need) {
          this.startRecord(this.header.view(), 0, need);
          this.header.reset();
        }
        continue;
      }
      if (this.keepBody) {
        if (this.record.length === 0 && data.length - pos >= this.length) {
          // the whole record is in this chunk: read it in place
          pos += this.length;
          this.offset += this.length;
          this.endRecord(meta, data.subarray(pos - this.length, pos));
          continue;
        }
        pos = this.record.fillTo(this.length, data, pos);
        this.offset += pos - before;
        if (this.record.length === this.length) this.endRecord(meta);
        continue;
      }
      // application data and encrypted records: only their length matters, so the bytes are not copied
      const n = Math.min(this.length - this.counted, data.length - pos);
      pos += n;
      this.offset += n;
      this.counted += n;
      if (this.counted === this.length) this.endRecord(meta);
    }
  }

  /** `h[at, at + size)` is the record header */
  private startRecord(h: Uint8Array, at: number, size: number): void {
    this.recordStart = this.offset - size;
    this.first = false;
    if (this.sslv2) {
      this.type = -2;
      this.length = (((h[at] as number) & 0x7f) << 8) | (h[at + 1] as number);
      // a 2-byte header can announce up to 32767 bytes, more than the record buffer holds: without this
      // check the body could never complete and feed() would spin forever on the same position
      if (this.length > MAX_RECORD) this.fail('too-large', `SSLv2 record length ${this.length}`, this.recordStart);
    } else {
      this.type = h[at] as number;
      this.version = ((h[at + 1] as number) << 8) | (h[at + 2] as number);
      this.length = ((h[at + 3] as number) << 8) | (h[at + 4] as number);
      if (this.type < 20 || this.type > 24) this.fail('bad-record-type', `record type ${this.type}`, this.recordStart);
      if (h[at + 1] !== 3) this.fail('bad-version', `record version 0x${this.version.toString(16)}`, this.recordStart + 1);
      if (this.length > MAX_RECORD) this.fail('too-large', `record length ${this.length}`, this.recordStart + 3);
    }
    this.inBody = true;
    this.counted = 0;
    // `encrypted` only changes when a record ends, so what endRecord will need is known now
    this.keepBody = this.sslv2 || (!this.encrypted && (this.type === 22 || (this.type === 21 && this.length === 2)));
  }

  private endRecord(meta: FrameMeta, body = this.record.view()): void {
    this.inBody = false;
    if (!this.keepBody) {
      if (this.type === 20) {
        this.encrypted = true;
        this.handler.changeCipherSpec(meta);
      } else if (this.type === 23) this.handler.applicationData(this.length, meta);
      return;
    }
    const base = this.recordStart + (this.sslv2 ? 2 : 5);
    if (this.sslv2) {
      this.sslv2 = false;
      this.handler.sslv2Hello(body, base, meta);
    } else if (this.type === 22) {
      this.handshakeBytes(body, base, meta);
    } else {
      // a plaintext two-byte alert (the only kind kept)
      this.handler.alert(body[0] as number, body[1] as number, meta);
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
    if (this.hs.length === 0) return this.handshakesInPlace(b, base, meta);
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

  /**
   * handshakeBytes' walk for when no message is pending (the usual case): complete messages are handed on
   * as views of `b`, and only an incomplete tail is copied to wait for the next record.
   */
  private handshakesInPlace(b: Uint8Array, base: number, meta: FrameMeta): void {
    let p = 0;
    while (b.length - p >= 4) {
      const type = b[p] as number;
      const len = ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number);
      if (len > MAX_HANDSHAKE_MESSAGE) {
        this.skipHandshake = len - (b.length - p - 4);
        this.handler.oversizedHandshake(type, len, meta);
        return;
      }
      if (b.length - p < 4 + len) break;
      this.handler.handshake(type, b.subarray(p + 4, p + 4 + len), base + p + 4, this.version, meta);
      p += 4 + len;
    }
    if (p < b.length) {
      this.hsBase = base + p;
      this.hs.append(p === 0 ? b : b.subarray(p));
    }
  }

  private fail(reason: string, message: string, at: number): never {
    throw new DissectorError('tls', reason, message, at);
  }
}
