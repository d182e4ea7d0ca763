/** @module ARP: operation and, for Ethernet/IPv4 ARP, sender and target addresses (device discovery). */
import { be16, be32 } from './bytes.js';
import { DecodeError, type DecodedPacket } from './packet.js';

export function decodeArp(p: DecodedPacket, d: Uint8Array, off: number): DecodeError | undefined {
  if (d.length - off < 8) return new DecodeError('arp.truncated', `ARP header at byte ${off} is cut off`, off);
  p.network = 'arp';
  p.arpOp = be16(d, off + 6);
  p.arpSenderMacOffset = -1;
  p.arpTargetMacOffset = -1;
  p.arpSenderIp = 0;
  p.arpTargetIp = 0;
  const ethernetIpv4 = be16(d, off) === 1 && be16(d, off + 2) === 0x0800 && d[off + 4] === 6 && d[off + 5] === 4;
  if (!ethernetIpv4) return undefined;
  if (d.length - off < 28) return new DecodeError('arp.truncated', `Ethernet/IPv4 ARP at byte ${off} needs 28 bytes`, off);
  p.arpSenderMacOffset = off + 8;
  p.arpSenderIp = be32(d, off + 14);
  p.arpTargetMacOffset = off + 18;
  p.arpTargetIp = be32(d, off + 24);
  return undefined;
}
