/**
 * @module The decoded form of one packet: a single mutable object a decoder refills for every packet
 * (numbers and offsets only, so decoding allocates nothing), plus the typed, never-thrown DecodeError.
 */
import { ipv4FromNumber, ipv6FromWords, macString } from '../capture/ip-text.js';

export type NetworkLayer = 'none' | 'arp' | 'ipv4' | 'ipv6' | 'other';
export type TransportLayer = 'none' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

export const MAX_VLAN_TAGS = 4;
const EMPTY = new Uint8Array(0);

export class DecodedPacket {
  linkType = 0;
  /** the captured frame */
  frame: Uint8Array = EMPTY;
  /** buffer the transport offsets refer to: the frame, or a datagram reassembled from fragments */
  buf: Uint8Array = EMPTY;
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
  /** IPv4 only: the header checksum verified (false when it is wrong, e.g. on the sender with offload) */
  ipChecksumOk = true;
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

  reset(linkType: number, frame: Uint8Array): void {
    this.linkType = linkType;
    this.frame = frame;
    this.buf = frame;
    this.hasMac = false;
    this.etherType = 0;
    this.vlanCount = 0;
    this.network = 'none';
    this.ipChecksumOk = true;
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
    return this.buf.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }

  srcIp(): string {
    return this.ipText(0);
  }

  dstIp(): string {
    return this.ipText(4);
  }

  srcMac(): string | undefined {
    return this.hasMac ? macString(this.frame, this.macOffset + 6) : undefined;
  }

  dstMac(): string | undefined {
    return this.hasMac ? macString(this.frame, this.macOffset) : undefined;
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
