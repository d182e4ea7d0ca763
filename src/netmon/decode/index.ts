/** @module Public surface of packet decoding: link layers through TCP/UDP/ICMP, never throwing. */
export { PacketDecoder, decodePacket, type PacketDecoderOptions } from './decoder.js';
export { DecodedPacket, DecodeError, isDecodeError, TcpFlag, MAX_VLAN_TAGS } from './packet.js';
export type { DecodeErrorCode, NetworkLayer, TransportLayer } from './packet.js';
export { FragmentReassembler, DEFAULT_FRAGMENT_LIMITS, type FragmentLimits, type FragmentStats } from './fragments.js';
export { EtherType } from './link.js';
export { IpProto } from './transport.js';
