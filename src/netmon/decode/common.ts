/**
 * @module The common case decoded in one function: Ethernet without VLAN tags, IPv4 that is not a
 * fragment, TCP or UDP. The general path (decodeLinkAt, decodeIpv4, decodeTransport) decodes these
 * too, identically, but through five calls, each too large for the compiler to inline; this runs once
 * per packet. Anything else, including every malformed packet, is left to the general path.
 */
import { be16, be32 } from './bytes.js';
import { EtherType } from './link.js';
import type { DecodedPacket } from './packet.js';
import { IpProto, tcpOptions } from './transport.js';

/**
 * Decodes the Ethernet frame d[start, end) when it is the common case and returns true; otherwise
 * returns false having written nothing, so the general path starts from the same reset packet.
 */
export function decodeCommon(p: DecodedPacket, d: Uint8Array, start: number, end: number): boolean {
  if (end - start < 34 || be16(d, start + 12) !== EtherType.IPV4) return false;
  const ip = start + 14;
  const vihl = d[ip] as number;
  const ihl = (vihl & 15) * 4;
  if (vihl >> 4 !== 4 || ihl < 20 || end - ip < ihl) return false;
  let total = be16(d, ip + 2);
  if (total === 0) total = end - ip;
  // A fragment (more-fragments flag or an offset) goes to reassembly in the general path.
  if (total < ihl || (be16(d, ip + 6) & 0x3fff) !== 0) return false;
  const proto = d[ip + 9] as number;
  const ipEnd = ip + total;
  const capEnd = ipEnd < end ? ipEnd : end;
  const missing = ipEnd - capEnd;
  const t = ip + ihl;
  if (proto === IpProto.TCP) {
    if (capEnd - t < 20) return false;
    const hl = ((d[t + 12] as number) >> 4) * 4;
    if (hl < 20 || capEnd - t < hl) return false;
    ipv4Fields(p, d, ip, ihl, proto);
    p.transport = 'tcp';
    p.srcPort = be16(d, t);
    p.dstPort = be16(d, t + 2);
    p.tcpSeq = be32(d, t + 4);
    p.tcpAck = be32(d, t + 8);
    p.tcpFlags = d[t + 13] as number;
    p.tcpWindow = be16(d, t + 14);
    if (hl > 20) tcpOptions(p, d, t + 20, t + hl);
    p.payloadOffset = t + hl - start;
    p.payloadLength = capEnd - (t + hl);
    p.payloadMissing = missing;
    return true;
  }
  if (proto === IpProto.UDP) {
    if (capEnd - t < 8) return false;
    const declaredEnd = ipEnd;
    let udpLen = be16(d, t + 4);
    if (udpLen === 0) udpLen = declaredEnd - t;
    if (udpLen < 8 || t + udpLen > declaredEnd) return false;
    const udpEnd = t + udpLen;
    ipv4Fields(p, d, ip, ihl, proto);
    p.transport = 'udp';
    p.srcPort = be16(d, t);
    p.dstPort = be16(d, t + 2);
    p.payloadOffset = t + 8 - start;
    p.payloadLength = (udpEnd < capEnd ? udpEnd : capEnd) - (t + 8);
    p.payloadMissing = udpEnd > capEnd ? udpEnd - capEnd : 0;
    return true;
  }
  return false;
}

/** What the general path writes for Ethernet and an unfragmented IPv4 header at d[ip, ip + ihl). */
function ipv4Fields(p: DecodedPacket, d: Uint8Array, ip: number, ihl: number, proto: number): void {
  p.hasMac = true;
  p.macOffset = 0;
  p.etherType = EtherType.IPV4;
  p.network = 'ipv4';
  const a = p.addr;
  a[0] = be32(d, ip + 12);
  a[1] = a[2] = a[3] = 0;
  a[4] = be32(d, ip + 16);
  a[5] = a[6] = a[7] = 0;
  p.ttl = d[ip + 8] as number;
  p.ipId = be16(d, ip + 4);
  p.ipv4Header(ip, ihl);
  p.protocol = proto;
}
