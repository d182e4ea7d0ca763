/**
 * @module Link layers: Ethernet (with any depth of 802.1Q / 802.1ad QinQ tags up to a bound), Linux
 * cooked SLL and SLL2, raw IP, BSD NULL and OpenBSD LOOP loopback. Each yields the EtherType of what
 * follows and where it starts.
 */
import { LinkType } from '../capture/types.js';
import { be16 } from './bytes.js';
import { DecodeError, MAX_VLAN_TAGS, type DecodedPacket } from './packet.js';

export const EtherType = { IPV4: 0x0800, ARP: 0x0806, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8, QINQ_OLD: 0x9100, QINQ_OLD2: 0x9200 } as const;

const truncated = (what: string, need: number, have: number) =>
  new DecodeError('link.truncated', `${what} header needs ${need} bytes, frame has ${have}`, 0);

/**
 * Fills etherType/vlans/mac fields for the frame d[start, end); returns the offset of the network
 * header, into `d`. Offsets stored in `p` and in errors are relative to the frame.
 */
export function decodeLinkAt(p: DecodedPacket, linkType: number, d: Uint8Array, start: number, end: number): number | DecodeError {
  const len = end - start;
  switch (linkType) {
    case LinkType.ETHERNET:
      if (len < 14) return truncated('Ethernet', 14, len);
      p.hasMac = true;
      p.macOffset = 0;
      return vlanTags(p, d, be16(d, start + 12), start + 14, start, end);
    case LinkType.LINUX_SLL:
      if (len < 16) return truncated('Linux cooked (SLL)', 16, len);
      return vlanTags(p, d, be16(d, start + 14), start + 16, start, end);
    case LinkType.LINUX_SLL2:
      if (len < 20) return truncated('Linux cooked (SLL2)', 20, len);
      return vlanTags(p, d, be16(d, start), start + 20, start, end);
    case LinkType.RAW:
    case LinkType.RAW_OPENBSD:
    case LinkType.RAW_BSDOS:
      return rawIp(p, d, start, end);
    case LinkType.IPV4:
      p.etherType = EtherType.IPV4;
      return start;
    case LinkType.IPV6:
      p.etherType = EtherType.IPV6;
      return start;
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (len < 4) return truncated('loopback', 4, len);
      const o = start;
      // NULL stores the address family in the capturing host's byte order; LOOP always big-endian.
      const beFamily = ((d[o] as number) << 24) | ((d[o + 1] as number) << 16) | be16(d, o + 2);
      const leFamily = (d[o] as number) | ((d[o + 1] as number) << 8) | ((d[o + 2] as number) << 16) | ((d[o + 3] as number) << 24);
      const family = linkType === LinkType.LOOP || (beFamily >>> 0) < 256 ? beFamily : leFamily;
      if (family === 2) p.etherType = EtherType.IPV4;
      else if (family === 10 || family === 24 || family === 28 || family === 30) p.etherType = EtherType.IPV6;
      else p.etherType = 0;
      return start + 4;
    }
    default:
      return new DecodeError('link.unsupported', `link type ${linkType} is not supported`, 0);
  }
}

function rawIp(p: DecodedPacket, d: Uint8Array, start: number, end: number): number | DecodeError {
  if (end <= start) return truncated('raw IP', 1, end - start);
  const v = (d[start] as number) >> 4;
  p.etherType = v === 4 ? EtherType.IPV4 : v === 6 ? EtherType.IPV6 : 0;
  return start;
}

function vlanTags(p: DecodedPacket, d: Uint8Array, etherType: number, off: number, start: number, end: number): number | DecodeError {
  let et = etherType;
  while (et === EtherType.VLAN || et === EtherType.QINQ || et === EtherType.QINQ_OLD || et === EtherType.QINQ_OLD2) {
    const at = off - start;
    if (p.vlanCount === MAX_VLAN_TAGS) {
      return new DecodeError('vlan.too-deep', `more than ${MAX_VLAN_TAGS} VLAN tags`, at);
    }
    if (end < off + 4) return new DecodeError('link.truncated', `VLAN tag at byte ${at} is cut off`, at);
    p.vlans[p.vlanCount++] = be16(d, off) & 0x0fff;
    et = be16(d, off + 2);
    off += 4;
  }
  p.etherType = et;
  return off;
}
