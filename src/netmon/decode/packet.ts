/**
 * @module The decoded form of one packet: a single mutable object a decoder refills for every packet
 * (numbers and offsets only, so decoding allocates nothing), plus the typed, never-thrown DecodeError.
 * The frame may be given as a range of a larger buffer (the chunk read); the `frame` and `buf` views
 * are then built only when read, since most packets never need them.
 */
import { view } from '../capture/bytes.js';
import { ipv4FromNumber, ipv6FromWords, macString } from '../capture/ip-text.js';

export type NetworkLayer = 'none' | 'arp' | 'ipv4' | 'ipv6' | 'other';
export type TransportLayer = 'none' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

export const MAX_VLAN_TAGS = 4;
const EMPTY = new Uint8Array(0);

export class DecodedPacket {
  linkType = 0;
  /** the array holding the frame, at [frameStart, frameEnd); decoders read it in place */
  src: Uint8Array = EMPTY;
  // src.buffer and src.byteOffset, read once per src: the typed-array getters cost as much as
  // building the payload view itself, and src changes once per chunk, not per packet.
  private srcBuffer: ArrayBufferLike = EMPTY.buffer;
  private srcByteOffset = 0;
  /** src is a plain Uint8Array (a Buffer's views would be Buffers: those go through subarray) */
  private srcPlain = true;
  frameStart = 0;
  frameEnd = 0;
  private frameView: Uint8Array | null = EMPTY;
  /** the reassembled datagram when `reassembled`, else null (the frame is the buffer) */
  private bufView: Uint8Array | null = null;
  /** Ethernet addresses present at frame[macOffset] (dst) and frame[macOffset + 6] (src) */
  hasMac = false;
  macOffset = 0;
  etherType = 0;
  vlanCount = 0;
  /** VLAN ids, outermost first; only the first `vlanCount` entries are meaningful */
  readonly vlans = new Uint16Array(MAX_VLAN_TAGS);
  network: NetworkLayer = 'none';
  /** IP addresses as big-endian 32-bit words: source 0-3, destination 4-7 (IPv4 uses words 0 and 4) */
  readonly addr = new Uint32Array(8);
  ttl = 0;
  /** where the IPv4 header whose checksum is still to be verified lies in `src`, -1 when none is pending */
  private ipHeaderAt = -1;
  private ipHeaderLength = 0;
  private checksumOk = true;
  ipId = 0;
  /** final IP protocol / IPv6 next header */
  protocol = 0;
  /** the transport payload comes from fragments reassembled into `buf` */
  reassembled = false;
  /** a fragment was stored; the datagram is not complete yet (no transport layer this time) */
  fragmentHeld = false;
  transport: TransportLayer = 'none';
  srcPort = 0;
  dstPort = 0;
  tcpSeq = 0;
  tcpAck = 0;
  tcpFlags = 0;
  tcpWindow = 0;
  /** TCP options, -1 when absent */
  tcpMss = -1;
  tcpWscale = -1;
  tcpSackPermitted = false;
  tcpTsVal = -1;
  tcpTsEcr = -1;
  icmpType = 0;
  icmpCode = 0;
  arpOp = 0;
  arpSenderIp = 0;
  arpTargetIp = 0;
  /** offsets in `buf` of the ARP sender and target hardware addresses (Ethernet/IPv4 ARP only) */
  arpSenderMacOffset = -1;
  arpTargetMacOffset = -1;
  payloadOffset = 0;
  payloadLength = 0;
  /** payload bytes the IP/UDP length promises beyond what was captured (snap length) */
  payloadMissing = 0;

  /**
   * IPv4 only: the header checksum verified (false when it is wrong, e.g. on the sender with offload).
   * Verified when first read: almost nobody asks, and summing every header costs more than the rest of IPv4 decoding.
   */
  get ipChecksumOk(): boolean {
    if (this.ipHeaderAt >= 0) {
      this.checksumOk = ipv4ChecksumOk(this.src, this.ipHeaderAt, this.ipHeaderLength);
      this.ipHeaderAt = -1;
    }
    return this.checksumOk;
  }

  set ipChecksumOk(ok: boolean) {
    this.checksumOk = ok;
    this.ipHeaderAt = -1;
  }

  /** Records the IPv4 header at src[at, at + length) for a checksum check on demand. */
  ipv4Header(at: number, length: number): void {
    this.ipHeaderAt = at;
    this.ipHeaderLength = length;
  }

  /** the captured frame */
  get frame(): Uint8Array {
    return (this.frameView ??= new Uint8Array(this.srcBuffer, this.srcByteOffset + this.frameStart, this.frameEnd - this.frameStart));
  }

  set frame(f: Uint8Array) {
    // A checksum still to verify refers to the old bytes.
    if (this.ipHeaderAt >= 0) this.checksumOk = this.ipChecksumOk;
    this.setSrc(f);
    this.frameStart = 0;
    this.frameEnd = f.length;
    this.frameView = f;
  }

  /** buffer the transport offsets refer to: the frame, or a datagram reassembled from fragments */
  get buf(): Uint8Array {
    return this.bufView ?? this.frame;
  }

  set buf(b: Uint8Array) {
    this.bufView = b;
  }

  reset(linkType: number, frame: Uint8Array): void {
    this.resetRange(linkType, frame, 0, frame.length);
    this.frameView = frame;
  }

  private setSrc(src: Uint8Array): void {
    this.src = src;
    this.srcBuffer = src.buffer;
    this.srcByteOffset = src.byteOffset;
    this.srcPlain = src.constructor === Uint8Array;
  }

  /** Starts a packet whose frame is src[start, end); no view of it is made unless `frame` or `buf` is read. */
  resetRange(linkType: number, src: Uint8Array, start: number, end: number): void {
    this.linkType = linkType;
    if (src !== this.src) this.setSrc(src);
    this.frameStart = start;
    this.frameEnd = end;
    this.frameView = null;
    this.bufView = null;
    this.hasMac = false;
    this.etherType = 0;
    this.vlanCount = 0;
    this.network = 'none';
    this.checksumOk = true;
    this.ipHeaderAt = -1;
    this.protocol = 0;
    this.reassembled = false;
    this.fragmentHeld = false;
    this.transport = 'none';
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.tcpMss = -1;
    this.tcpWscale = -1;
    this.tcpSackPermitted = false;
    this.tcpTsVal = -1;
    this.tcpTsEcr = -1;
    this.payloadOffset = 0;
    this.payloadLength = 0;
    this.payloadMissing = 0;
  }

  /** the transport payload (a view; allocation of the view object only) */
  payload(): Uint8Array {
    const start = this.payloadOffset;
    const len = this.payloadLength;
    // Straight from the array holding the frame, without a view of the frame first. Decoders always
    // leave an in-bounds range; subarray covers hand-set fields (clamping) and Buffers (species).
    if (this.bufView === null && start >= 0 && len >= 0 && start + len <= this.frameEnd - this.frameStart && this.srcPlain) {
      return new Uint8Array(this.srcBuffer, this.srcByteOffset + this.frameStart + start, len);
    }
    const b = this.buf;
    if (start >= 0 && len >= 0 && start + len <= b.length && b.constructor === Uint8Array) return view(b, start, start + len);
    return b.subarray(start, start + len);
  }

  srcIp(): string {
    return this.ipText(0);
  }

  dstIp(): string {
    return this.ipText(4);
  }

  srcMac(): string | undefined {
    return this.hasMac ? this.mac(this.macOffset + 6) : undefined;
  }

  dstMac(): string | undefined {
    return this.hasMac ? this.mac(this.macOffset) : undefined;
  }

  private mac(off: number): string {
    return off + 6 <= this.frameEnd - this.frameStart ? macString(this.src, this.frameStart + off) : macString(this.frame, off);
  }

  vlanList(): number[] {
    return Array.from(this.vlans.subarray(0, this.vlanCount));
  }

  private ipText(base: number): string {
    const a = this.addr;
    if (this.network === 'ipv4') return ipv4FromNumber(a[base] as number);
    if (this.network === 'ipv6') return ipv6FromWords(a[base] as number, a[base + 1] as number, a[base + 2] as number, a[base + 3] as number);
    return '';
  }
}

function ipv4ChecksumOk(d: Uint8Array, off: number, ihl: number): boolean {
  let sum = 0;
  for (let i = off; i < off + ihl; i += 2) sum += ((d[i] as number) << 8) | (d[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

export type DecodeErrorCode =
  | 'link.unsupported'
  | 'link.truncated'
  | 'vlan.too-deep'
  | 'arp.truncated'
  | 'ipv4.truncated'
  | 'ipv4.bad-version'
  | 'ipv4.bad-header-length'
  | 'ipv4.bad-total-length'
  | 'ipv6.truncated'
  | 'ipv6.bad-version'
  | 'ipv6.bad-extension-header'
  | 'ipv6.too-many-extension-headers'
  | 'fragment.too-large'
  | 'fragment.too-many'
  | 'tcp.truncated'
  | 'tcp.bad-header-length'
  | 'udp.truncated'
  | 'udp.bad-length'
  | 'icmp.truncated';

/** Returned (never thrown) when a packet cannot be decoded; `byteOffset` is into the frame or reassembled datagram. */
export class DecodeError {
  readonly kind = 'decode-error';
  constructor(
    readonly code: DecodeErrorCode,
    readonly message: string,
    readonly byteOffset: number,
  ) {}
}

export const isDecodeError = (r: DecodedPacket | DecodeError): r is DecodeError => r instanceof DecodeError;
