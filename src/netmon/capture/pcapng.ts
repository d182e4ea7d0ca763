/**
 * @module pcapng (draft-ietf-opsawg-pcapng): sections (SHB) set the byte order, interfaces (IDB) set
 * link type and timestamp resolution, packets arrive as EPB, SPB or the obsolete PB; NRB entries are
 * reported to an optional callback; every other block is skipped by its length.
 */
import { u16, u32 } from './bytes.js';
import { CaptureError } from './errors.js';
import type { UnitFormat } from './framer.js';
import { pcapngTime, type TsResolution } from './pcapng-time.js';
import type { FramedPacket } from './slot.js';
import { BLOCK_OPTION_SLACK, type CapturedPacket, type CaptureParserOptions, type NameRecord } from './types.js';
import { ipv4String, ipv6String } from './ip-text.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_HEADER = 12;
const MAX_INTERFACES = 4096;
const IDB = 1;
const PB = 2;
const SPB = 3;
const NRB = 4;
const EPB = 6;

interface Interface extends TsResolution {
  linkType: number;
  snaplen: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

export class PcapngFormat implements UnitFormat {
  private le = true;
  private inSection = false;
  private interfaces: Interface[] = [];
  private frame = 0;
  private lastTs = 0;
  private lastNanos = 0;
  private readonly time: [number, number] = [0, 0];
  private readonly maxBlock: number;

  constructor(
    private readonly packet: FramedPacket,
    private readonly onPacket: (p: CapturedPacket) => void,
    private readonly maxPacketBytes: number,
    private readonly opts: CaptureParserOptions,
  ) {
    this.maxBlock = maxPacketBytes + BLOCK_OPTION_SLACK;
  }

  headerLength(): number {
    return BLOCK_HEADER;
  }

  get packetCount(): number {
    return this.frame;
  }

  subMicrosecond(interfaceId: number): boolean {
    const i = this.interfaces[interfaceId];
    if (i === undefined) return false;
    // 10^-exp s or 2^-exp s per unit: finer than 1 µs from 10^-7 and from 2^-20 (0.95 µs) on
    return i.binary ? i.exp >= 20 : i.exp > 6;
  }

  unitLength(b: Uint8Array, off: number, so: number): number {
    const type = u32(b, off, this.le);
    let le = this.le;
    if (type === PCAPNG_SHB) {
      le = this.sectionByteOrder(b, off, so);
    } else if (!this.inSection) {
      throw this.error('capture.unknown-format', `pcapng stream does not start with a section header block (type 0x${type.toString(16)})`, so);
    }
    const len = u32(b, off + 4, le);
    if (len < BLOCK_HEADER || len % 4 !== 0) {
      throw this.error('capture.bad-block-length', `pcapng block at byte offset ${so} has invalid total length ${len}`, so);
    }
    if (len > this.maxBlock) {
      throw this.error('capture.record-too-large', `pcapng block at byte offset ${so} is ${len} bytes, more than the ${this.maxBlock}-byte limit`, so);
    }
    return len;
  }

  onUnit(b: Uint8Array, off: number, len: number, so: number): void {
    const type = u32(b, off, this.le);
    if (type === PCAPNG_SHB) this.le = this.sectionByteOrder(b, off, so);
    const le = this.le;
    if (u32(b, off + len - 4, le) !== len) {
      throw this.error('capture.bad-block-length', `pcapng block at byte offset ${so}: trailing length ${u32(b, off + len - 4, le)} differs from leading length ${len}`, so);
    }
    switch (type) {
      case PCAPNG_SHB:
        return this.onSection(b, off, len, so);
      case IDB:
        return this.onInterface(b, off, len, so);
      case EPB:
      case PB:
        return this.onPacketBlock(type, b, off, len, so);
      case SPB:
        return this.onSimplePacket(b, off, len, so);
      case NRB:
        if (this.opts.onNameRecord) this.onNames(b, off, len, this.opts.onNameRecord);
        return;
      default:
        return;
    }
  }

  private sectionByteOrder(b: Uint8Array, off: number, so: number): boolean {
    if (u32(b, off + 8, true) === BYTE_ORDER_MAGIC) return true;
    if (u32(b, off + 8, false) === BYTE_ORDER_MAGIC) return false;
    throw this.error('capture.bad-block', `pcapng section header at byte offset ${so} has no valid byte-order magic`, so + 8);
  }

  private onSection(b: Uint8Array, off: number, len: number, so: number): void {
    if (len < 28) throw this.error('capture.bad-block', `pcapng section header at byte offset ${so} is only ${len} bytes`, so);
    const major = u16(b, off + 12, this.le);
    if (major !== 1) throw this.error('capture.unsupported-version', `pcapng major version ${major} is not 1`, so + 12);
    this.inSection = true;
    this.interfaces = [];
  }

  private onInterface(b: Uint8Array, off: number, len: number, so: number): void {
    if (len < 20) throw this.error('capture.bad-block', `pcapng interface block at byte offset ${so} is only ${len} bytes`, so);
    if (this.interfaces.length >= MAX_INTERFACES) {
      throw this.error('capture.too-many-interfaces', `pcapng section declares more than ${MAX_INTERFACES} interfaces`, so);
    }
    const le = this.le;
    const iface: Interface = { linkType: u16(b, off + 8, le), snaplen: u32(b, off + 12, le), exp: 6, binary: false, offsetUs: 0 };
    const end = off + len - 4;
    let o = off + 16;
    while (o + 4 <= end) {
      const code = u16(b, o, le);
      const olen = u16(b, o + 2, le);
      if (code === 0 || o + 4 + olen > end) break;
      if (code === 9 && olen >= 1) {
        const r = b[o + 4] as number;
        iface.binary = (r & 0x80) !== 0;
        iface.exp = r & 0x7f;
      } else if (code === 14 && olen === 8) {
        const hi = u32(b, o + 4 + (le ? 4 : 0), le) | 0;
        const lo = u32(b, o + 4 + (le ? 0 : 4), le);
        iface.offsetUs = (hi * 4294967296 + lo) * 1_000_000;
      }
      o += 4 + pad4(olen);
    }
    this.interfaces.push(iface);
  }

  private iface(id: number, so: number): Interface {
    const i = this.interfaces[id];
    if (i === undefined) {
      throw this.error('capture.unknown-interface', `pcapng packet at byte offset ${so} names interface ${id}, but the section has ${this.interfaces.length}`, so);
    }
    return i;
  }

  private onPacketBlock(type: number, b: Uint8Array, off: number, len: number, so: number): void {
    const le = this.le;
    if (len < 32) throw this.error('capture.bad-block', `pcapng packet block at byte offset ${so} is only ${len} bytes`, so);
    const ifId = type === EPB ? u32(b, off + 8, le) : u16(b, off + 8, le);
    const iface = this.iface(ifId, so);
    const caplen = u32(b, off + 20, le);
    if (caplen > this.maxPacketBytes) {
      throw this.error('capture.record-too-large', `pcapng packet at byte offset ${so} declares ${caplen} captured bytes, more than the ${this.maxPacketBytes}-byte limit`, so);
    }
    if (28 + pad4(caplen) + 4 > len) {
      throw this.error('capture.bad-block', `pcapng packet at byte offset ${so} declares ${caplen} captured bytes but its block is ${len} bytes`, so + 20);
    }
    pcapngTime(u32(b, off + 12, le), u32(b, off + 16, le), iface, this.time);
    this.emit(iface, ifId, b, off + 28, off + 28 + caplen, u32(b, off + 24, le), so, this.time[0], this.time[1]);
  }

  private onSimplePacket(b: Uint8Array, off: number, len: number, so: number): void {
    if (len < 16) throw this.error('capture.bad-block', `pcapng simple packet block at byte offset ${so} is only ${len} bytes`, so);
    const iface = this.iface(0, so);
    const origLen = u32(b, off + 8, this.le);
    let caplen = Math.min(origLen, len - 16);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    // SPBs carry no timestamp: the previous packet's time keeps flow expiry monotonic.
    this.emit(iface, 0, b, off + 12, off + 12 + caplen, origLen, so, this.lastTs, this.lastNanos);
  }

  private emit(iface: Interface, ifId: number, b: Uint8Array, start: number, end: number, origLen: number, so: number, ts: number, nanos: number): void {
    this.packet.setBytes(b, start, end);
    const p = this.packet;
    p.frame = ++this.frame;
    p.ts = ts;
    p.tsNanos = nanos;
    this.lastTs = ts;
    this.lastNanos = nanos;
    p.linkType = iface.linkType;
    p.interfaceId = ifId;
    p.caplen = end - start;
    p.origLen = origLen;
    p.byteOffset = so;
    this.onPacket(p);
  }

  private onNames(b: Uint8Array, off: number, len: number, sink: (r: NameRecord) => void): void {
    const le = this.le;
    const end = off + len - 4;
    let o = off + 8;
    while (o + 4 <= end) {
      const type = u16(b, o, le);
      const rlen = u16(b, o + 2, le);
      if (type === 0 || o + 4 + rlen > end) return;
      const addrLen = type === 1 ? 4 : type === 2 ? 16 : 0;
      if (addrLen > 0 && rlen > addrLen) {
        const v = o + 4;
        const ip = addrLen === 4 ? ipv4String(b, v) : ipv6String(b, v);
        const names = new TextDecoder().decode(b.subarray(v + addrLen, v + rlen)).split('\0').filter((n) => n.length > 0);
        sink({ ip, names });
      }
      o += 4 + pad4(rlen);
    }
  }

  private error(code: ConstructorParameters<typeof CaptureError>[0], message: string, at: number): CaptureError {
    return new CaptureError(code, message, at, this.opts.file);
  }
}
