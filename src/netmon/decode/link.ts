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

/** Fills etherType/vlans/mac fields; returns the offset of the network header. */
export function decodeLink(p: DecodedPacket, linkType: number, d: Uint8Array): number | DecodeError {
  switch (linkType) {
    case LinkType.ETHERNET:
      if (d.length < 14) return truncated('Ethernet', 14, d.length);
      p.hasMac = true;
      p.macOffset = 0;
      return vlanTags(p, d, be16(d, 12), 14);
    case LinkType.LINUX_SLL:
      if (d.length < 16) return truncated('Linux cooked (SLL)', 16, d.length);
      return vlanTags(p, d, be16(d, 14), 16);
    case LinkType.LINUX_SLL2:
      if (d.length < 20) return truncated('Linux cooked (SLL2)', 20, d.length);
      return vlanTags(p, d, be16(d, 0), 20);
    case LinkType.RAW:
    case LinkType.RAW_OPENBSD:
    case LinkType.RAW_BSDOS:
      return rawIp(p, d, 0);
    case LinkType.IPV4:
      p.etherType = EtherType.IPV4;
      return 0;
    case LinkType.IPV6:
      p.etherType = EtherType.IPV6;
      return 0;
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (d.length < 4) return truncated('loopback', 4, d.length);
      // NULL stores the address family in the capturing host's byte order; LOOP always big-endian.
      const beFamily = ((d[0] as number) << 24) | ((d[1] as number) << 16) | be16(d, 2);
      const leFamily = (d[0] as number) | ((d[1] as number) << 8) | ((d[2] as number) << 16) | ((d[3] as number) << 24);
      const family = linkType === LinkType.LOOP || (beFamily >>> 0) < 256 ? beFamily : leFamily;
      if (family === 2) p.etherType = EtherType.IPV4;
      else if (family === 10 || family === 24 || family === 28 || family === 30) p.etherType = EtherType.IPV6;
      else p.etherType = 0;
      return 4;
    }
    default:
      return new DecodeError('link.unsupported', `link type ${linkType} is not supported`, 0);
  }
}

function rawIp(p: DecodedPacket, d: Uint8Array, off: number): number | DecodeError {
  if (d.length <= off) return truncated('raw IP', 1, d.length);
  const v = (d[off] as number) >> 4;
  p.etherType = v === 4 ? EtherType.IPV4 : v === 6 ? EtherType.IPV6 : 0;
  return off;
}

function vlanTags(p: DecodedPacket, d: Uint8Array, etherType: number, off: number): number | DecodeError {
  let et = etherType;
  while (et === EtherType.VLAN || et === EtherType.QINQ || et === EtherType.QINQ_OLD || et === EtherType.QINQ_OLD2) {
    if (p.vlanCount === MAX_VLAN_TAGS) {
      return new DecodeError('vlan.too-deep', `more than ${MAX_VLAN_TAGS} VLAN tags`, off);
    }
    if (d.length < off + 4) return new DecodeError('link.truncated', `VLAN tag at byte ${off} is cut off`, off);
    p.vlans[p.vlanCount++] = be16(d, off) & 0x0fff;
    et = be16(d, off + 2);
    off += 4;
  }
  p.etherType = et;
  return off;
}
