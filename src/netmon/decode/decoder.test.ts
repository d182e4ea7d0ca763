import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/types.js';
import * as F from '../capture/testing/frames.js';
import { PacketDecoder } from './decoder.js';
import { DecodedPacket, DecodeError, TcpFlag } from './packet.js';

const text = (s: string) => new TextEncoder().encode(s);
const decoder = () => new PacketDecoder();

function ok(r: DecodedPacket | DecodeError): DecodedPacket {
  if (r instanceof DecodeError) throw new Error(`unexpected ${r.code}: ${r.message}`);
  return r;
}
function err(r: DecodedPacket | DecodeError): DecodeError {
  if (!(r instanceof DecodeError)) throw new Error('expected a DecodeError');
  return r;
}

const tcpSyn = F.tcp({ sport: 51000, dport: 104, seq: 1000, flags: TcpFlag.SYN, options: F.tcpOptions({ mss: 1460, wscale: 7, sackPermitted: true, ts: [111, 0] }) });

describe('packet decoder', () => {
  it('decodes Ethernet/IPv4/TCP with flags, sequence numbers and the MSS, window scale, SACK and timestamp options', () => {
    const p = ok(decoder().decode(LinkType.ETHERNET, F.ethernet({ src: '00:1b:0a:00:00:01', dst: '00:1b:0a:00:00:02', etherType: 0x0800, payload: F.ipv4({ src: '10.1.2.3', dst: '10.9.8.7', proto: 6, payload: tcpSyn }) })));
    expect([p.network, p.transport, p.srcIp(), p.dstIp(), p.srcPort, p.dstPort]).toEqual(['ipv4', 'tcp', '10.1.2.3', '10.9.8.7', 51000, 104]);
    expect([p.srcMac(), p.dstMac()]).toEqual(['00:1b:0a:00:00:01', '00:1b:0a:00:00:02']);
    expect([p.tcpSeq, p.tcpFlags, p.tcpMss, p.tcpWscale, p.tcpSackPermitted, p.tcpTsVal, p.tcpTsEcr]).toEqual([1000, TcpFlag.SYN, 1460, 7, true, 111, 0]);
    expect([p.ipChecksumOk, p.payloadLength]).toEqual([true, 0]);
  });

  it('resets option fields between packets so a later packet without options shows none', () => {
    const d = decoder();
    d.decode(LinkType.RAW, F.ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 6, payload: tcpSyn }));
    const p = ok(d.decode(LinkType.RAW, F.ipv4({ src: '1.1.1.1', dst: '2.2.2.2', proto: 6, payload: F.tcp({ sport: 1, dport: 2, seq: 5, flags: TcpFlag.ACK }) })));
    expect([p.tcpMss, p.tcpWscale, p.tcpSackPermitted, p.tcpTsVal]).toEqual([-1, -1, false, -1]);
  });

  it('records 802.1Q and QinQ VLAN ids outermost first', () => {
    const ip = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: F.udp({ sport: 5000, dport: 53, payload: text('q') }) });
    const single = ok(decoder().decode(LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, vlans: [1008], payload: ip })));
    expect(single.vlanList()).toEqual([1008]);
    const qinq = ok(decoder().decode(LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, vlans: [100, 200], payload: ip })));
    expect([qinq.vlanList(), qinq.transport, qinq.dstPort]).toEqual([[100, 200], 'udp', 53]);
  });

  it('rejects more VLAN tags than the bound', () => {
    const e = err(decoder().decode(LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, vlans: [1, 2, 3, 4, 5], payload: new Uint8Array(20) })));
    expect(e.code).toBe('vlan.too-deep');
    expect(e.byteOffset).toBe(30);
  });

  it('decodes Linux cooked SLL and SLL2 captures', () => {
    const ip = F.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 6, payload: tcpSyn });
    expect(ok(decoder().decode(LinkType.LINUX_SLL, F.sll(0x0800, ip))).dstPort).toBe(104);
    expect(ok(decoder().decode(LinkType.LINUX_SLL2, F.sll2(0x0800, ip))).dstPort).toBe(104);
  });

  it('decodes raw IPv4 and IPv6 by the version nibble, and the IPv4/IPv6 link types', () => {
    const v4 = F.ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 6, payload: tcpSyn });
    const v6 = F.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 6, payload: tcpSyn });
    expect(ok(decoder().decode(LinkType.RAW, v4)).network).toBe('ipv4');
    expect(ok(decoder().decode(LinkType.RAW, v6)).network).toBe('ipv6');
    expect(ok(decoder().decode(LinkType.IPV4, v4)).srcIp()).toBe('192.0.2.1');
    expect(ok(decoder().decode(LinkType.IPV6, v6)).srcIp()).toBe('2001:db8::1');
  });

  it('decodes BSD NULL loopback in either byte order and OpenBSD LOOP', () => {
    const v4 = F.ipv4({ src: '127.0.0.1', dst: '127.0.0.1', proto: 6, payload: tcpSyn });
    const v6 = F.ipv6({ src: '::1', dst: '::1', nextHeader: 6, payload: tcpSyn });
    expect(ok(decoder().decode(LinkType.NULL, F.nullLoopback(2, v4, true))).network).toBe('ipv4');
    expect(ok(decoder().decode(LinkType.NULL, F.nullLoopback(2, v4, false))).network).toBe('ipv4');
    expect(ok(decoder().decode(LinkType.NULL, F.nullLoopback(30, v6, true))).network).toBe('ipv6');
    expect(ok(decoder().decode(LinkType.LOOP, F.nullLoopback(24, v6, false))).srcIp()).toBe('::1');
  });

  it('decodes Ethernet/IPv4 ARP sender and target', () => {
    const p = ok(decoder().decode(LinkType.ETHERNET, F.ethernet({ etherType: 0x0806, payload: F.arp({ op: 2, senderMac: '00:1b:0a:00:00:01', senderIp: '10.0.0.5', targetMac: '00:1b:0a:00:00:02', targetIp: '10.0.0.6' }) })));
    expect([p.network, p.arpOp, p.arpSenderIp, p.arpTargetIp, p.arpSenderMacOffset]).toEqual(['arp', 2, 0x0a000005, 0x0a000006, 22]);
  });

  it('flags a wrong IPv4 header checksum without rejecting the packet', () => {
    const p = ok(decoder().decode(LinkType.RAW, F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcpSyn, badChecksum: true })));
    expect([p.ipChecksumOk, p.transport]).toEqual([false, 'tcp']);
  });

  it('trims Ethernet padding beyond the IP total length from the payload', () => {
    const ip = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: F.tcp({ sport: 1, dport: 2, seq: 1, flags: TcpFlag.ACK, payload: text('ab') }) });
    const padded = F.ethernet({ etherType: 0x0800, payload: new Uint8Array([...ip, 0, 0, 0, 0, 0, 0]) });
    const p = ok(decoder().decode(LinkType.ETHERNET, padded));
    expect(new TextDecoder().decode(p.payload())).toBe('ab');
  });

  it('reports payload bytes cut off by the snap length as missing', () => {
    const ip = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: F.tcp({ sport: 1, dport: 2, seq: 1, flags: TcpFlag.ACK, payload: new Uint8Array(1000) }) });
    const p = ok(decoder().decode(LinkType.RAW, ip.subarray(0, 96)));
    expect([p.payloadLength, p.payloadMissing]).toEqual([56, 944]);
  });

  it('treats an IPv4 total length of 0 (segmentation offload) as the captured length', () => {
    const ip = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, totalLength: 0, payload: F.tcp({ sport: 1, dport: 2, seq: 1, flags: TcpFlag.ACK, payload: new Uint8Array(3000) }) });
    const p = ok(decoder().decode(LinkType.RAW, ip));
    expect([p.payloadLength, p.payloadMissing]).toEqual([3000, 0]);
  });

  it('walks IPv6 hop-by-hop, routing and destination-options headers to the transport header', () => {
    const v6 = F.ipv6({ src: 'fe80::1', dst: 'ff02::fb', nextHeader: 17, ext: [{ type: 0 }, { type: 43, body: new Uint8Array(14) }, { type: 60 }], payload: F.udp({ sport: 5353, dport: 5353, payload: text('mdns') }) });
    const p = ok(decoder().decode(LinkType.RAW, v6));
    expect([p.protocol, p.transport, p.dstIp(), new TextDecoder().decode(p.payload())]).toEqual([17, 'udp', 'ff02::fb', 'mdns']);
  });

  it('rejects an IPv6 extension-header chain longer than the bound', () => {
    const ext = Array.from({ length: 20 }, () => ({ type: 60 }));
    const e = err(decoder().decode(LinkType.RAW, F.ipv6({ src: '::1', dst: '::1', nextHeader: 6, ext, payload: tcpSyn })));
    expect(e.code).toBe('ipv6.too-many-extension-headers');
  });

  it('decodes ICMP and ICMPv6 type and code', () => {
    const v4 = ok(decoder().decode(LinkType.RAW, F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, payload: F.icmp(8, 0) })));
    expect([v4.transport, v4.icmpType, v4.icmpCode]).toEqual(['icmp', 8, 0]);
    const v6 = ok(decoder().decode(LinkType.RAW, F.ipv6({ src: '::1', dst: '::2', nextHeader: 58, payload: F.icmp(135, 0) })));
    expect([v6.transport, v6.icmpType]).toEqual(['icmpv6', 135]);
  });

  it('classifies non-IP EtherTypes as other without error', () => {
    const p = ok(decoder().decode(LinkType.ETHERNET, F.ethernet({ etherType: 0x88cc, payload: new Uint8Array(30) })));
    expect([p.network, p.transport]).toEqual(['other', 'none']);
  });

  it.each([
    ['an unknown link type', 9999, new Uint8Array(40), 'link.unsupported', 0],
    ['a short Ethernet header', LinkType.ETHERNET, new Uint8Array(10), 'link.truncated', 0],
    ['a short IPv4 header', LinkType.RAW, Uint8Array.of(0x45, 0, 0, 20), 'ipv4.truncated', 0],
    ['an IPv4 header length below 20', LinkType.IPV4, Uint8Array.of(0x44, ...new Array<number>(30).fill(0)), 'ipv4.bad-header-length', 0],
    ['a wrong IP version behind the IPv4 link type', LinkType.IPV4, new Uint8Array(40).fill(0x65), 'ipv4.bad-version', 0],
    ['a short IPv6 header', LinkType.RAW, Uint8Array.of(0x60, 0, 0, 0), 'ipv6.truncated', 0],
  ])('returns a typed error for %s', (_name, link, data, code, offset) => {
    const e = err(decoder().decode(link, data));
    expect([e.code, e.byteOffset]).toEqual([code, offset]);
  });

  it('returns typed errors naming the offset of a cut TCP header, a bad TCP data offset and a bad UDP length', () => {
    const ipWith = (proto: number, payload: Uint8Array) => F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto, payload });
    expect(err(decoder().decode(LinkType.RAW, ipWith(6, new Uint8Array(12)))).code).toBe('tcp.truncated');
    const badOffset = F.tcp({ sport: 1, dport: 2, seq: 0, flags: 0 });
    badOffset[12] = 0x30;
    const e = err(decoder().decode(LinkType.RAW, ipWith(6, badOffset)));
    expect([e.code, e.byteOffset]).toEqual(['tcp.bad-header-length', 32]);
    const udp = err(decoder().decode(LinkType.RAW, ipWith(17, F.udp({ sport: 1, dport: 2, payload: text('x'), length: 300 }))));
    expect([udp.code, udp.byteOffset]).toEqual(['udp.bad-length', 24]);
  });
});
