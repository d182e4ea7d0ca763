/** @module ARP: operation and, for Ethernet/IPv4 ARP, sender and target addresses (device discovery). */
import { be16, be32 } from './bytes.js';
import { DecodeError, type DecodedPacket } from './packet.js';

/** ARP at d[off, end) of the frame that starts at p.frameStart; offsets stored are frame-relative. */
export function decodeArp(p: DecodedPacket, d: Uint8Array, off: number, end: number): DecodeError | undefined {
  const at = off - p.frameStart;
  if (end - off < 8) return new DecodeError('arp.truncated', `ARP header at byte ${at} is cut off`, at);
  p.network = 'arp';
  p.arpOp = be16(d, off + 6);
  p.arpSenderMacOffset = -1;
  p.arpTargetMacOffset = -1;
  p.arpSenderIp = 0;
  p.arpTargetIp = 0;
  const ethernetIpv4 = be16(d, off) === 1 && be16(d, off + 2) === 0x0800 && d[off + 4] === 6 && d[off + 5] === 4;
  if (!ethernetIpv4) return undefined;
  if (end - off < 28) return new DecodeError('arp.truncated', `Ethernet/IPv4 ARP at byte ${at} needs 28 bytes`, at);
  p.arpSenderMacOffset = at + 8;
  p.arpSenderIp = be32(d, off + 14);
  p.arpTargetMacOffset = at + 18;
  p.arpTargetIp = be32(d, off + 24);
  return undefined;
}
