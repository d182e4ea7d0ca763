import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/types.js';
import * as F from '../capture/testing/frames.js';
import { PacketDecoder } from './decoder.js';
import { DecodedPacket, DecodeError, TcpFlag } from './packet.js';

const FIELDS = [
  'linkType', 'hasMac', 'macOffset', 'etherType', 'vlanCount', 'network', 'ttl', 'ipChecksumOk', 'ipId', 'protocol', 'reassembled',
  'fragmentHeld', 'transport', 'srcPort', 'dstPort', 'tcpSeq', 'tcpAck', 'tcpFlags', 'tcpWindow', 'tcpMss', 'tcpWscale', 'tcpSackPermitted',
  'tcpTsVal', 'tcpTsEcr', 'icmpType', 'icmpCode', 'arpOp', 'arpSenderIp', 'arpTargetIp', 'arpSenderMacOffset', 'arpTargetMacOffset',
  'payloadOffset', 'payloadLength', 'payloadMissing',
] as const;

/** Everything a decode result says, as plain data (the packet object itself is reused). */
function describeResult(r: DecodedPacket | DecodeError): unknown {
  if (r instanceof DecodeError) return { code: r.code, message: r.message, byteOffset: r.byteOffset };
  return {
    ...Object.fromEntries(FIELDS.map((f) => [f, r[f]])),
    vlans: r.vlanList(),
    addr: Array.from(r.addr),
    frame: Array.from(r.frame),
    payload: Array.from(r.payload()),
    bufIsFrame: r.buf === r.frame,
    ips: [r.srcIp(), r.dstIp()],
    macs: [r.srcMac(), r.dstMac()],
  };
}

const tcpPayload = F.tcp({ sport: 40000, dport: 11112, seq: 0xfffffff0, ack: 7, flags: TcpFlag.ACK | TcpFlag.PSH, options: F.tcpOptions({ mss: 1460, ts: [1, 2] }), payload: new Uint8Array(40).fill(7) });
const ipv4Tcp = F.ipv4({ src: '10.0.0.1', dst: '192.168.0.2', proto: 6, payload: tcpPayload });
const ipv4Udp = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: F.udp({ sport: 68, dport: 67, payload: new Uint8Array(64).fill(3) }) });
const seeds: [number, Uint8Array][] = [
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, payload: ipv4Tcp })],
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, payload: ipv4Udp })],
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, vlans: [10, 20], payload: ipv4Tcp })],
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x86dd, payload: F.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 6, ext: [{ type: 0 }], payload: tcpPayload }) })],
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x0806, payload: F.arp({ op: 1, senderMac: '00:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' }) })],
  [LinkType.RAW, F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, more: true, payload: F.udp({ sport: 68, dport: 67, payload: new Uint8Array(64) }) })],
  [LinkType.LINUX_SLL2, F.sll2(0x0800, F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, payload: F.icmp(3, 1) }))],
];

const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
    fc.nat(),
  )
  .map(([[link, base], flips, cut]) => {
    const data = base.slice(0, Math.max(0, base.length - (cut % 70)));
    for (const f of flips) if (data.length > 0) data[f.at % Math.min(data.length, 80)] = f.value;
    return { link, data };
  });

describe('decoding a frame in place in the chunk it was read in', () => {
  it('gives exactly what decoding the same frame on its own gives, errors and their offsets included', () => {
    const inPlace = new PacketDecoder();
    const alone = new PacketDecoder();
    const captured = new PacketDecoder();
    fc.assert(
      fc.property(mutated, fc.nat(100), fc.nat(100), ({ link, data }, before, after) => {
        const host = new Uint8Array(before + data.length + after).fill(0xee);
        host.set(data, before);
        const a = describeResult(inPlace.decodeRange(link, host, before, before + data.length, 5));
        const b = describeResult(alone.decode(link, data.slice(), 5));
        expect(a).toEqual(b);
        // the same through decodeCaptured (link type and time read from the captured packet)
        expect(describeResult(captured.decodeCaptured({ linkType: link, ts: 5 }, host, before, before + data.length))).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes Ethernet/IPv4 TCP and UDP (the fast path) exactly as the general path decodes the same IPv4 packet', () => {
    const eth = new PacketDecoder();
    const raw = new PacketDecoder();
    fc.assert(
      fc.property(fc.constantFrom(ipv4Tcp, ipv4Udp), fc.array(fc.record({ at: fc.nat(60), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }), fc.nat(80), (ip, flips, cut) => {
        const packet = ip.slice(0, Math.max(1, ip.length - cut));
        for (const f of flips) packet[f.at % packet.length] = f.value;
        if ((packet[0] as number) >> 4 !== 4) return;
        const viaRaw = raw.decode(LinkType.RAW, packet.slice());
        const viaEthernet = eth.decode(LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, payload: packet }));
        if (viaRaw instanceof DecodeError) {
          expect(viaEthernet).toBeInstanceOf(DecodeError);
          expect([(viaEthernet as DecodeError).code, (viaEthernet as DecodeError).byteOffset]).toEqual([viaRaw.code, viaRaw.byteOffset + 14]);
          return;
        }
        const r = describeResult(viaRaw) as Record<string, unknown>;
        const e = describeResult(viaEthernet) as Record<string, unknown>;
        for (const f of ['network', 'transport', 'ttl', 'ipChecksumOk', 'ipId', 'protocol', 'srcPort', 'dstPort', 'tcpSeq', 'tcpFlags', 'tcpMss', 'tcpTsVal', 'payloadLength', 'payloadMissing', 'payload', 'addr'] as const) {
          expect([f, e[f]]).toEqual([f, r[f]]);
        }
        // Offsets are frame-relative: the Ethernet header comes first (when there is a transport layer at all).
        if (r['transport'] !== 'none') expect(e['payloadOffset']).toBe((r['payloadOffset'] as number) + 14);
      }),
      { numRuns: 2000 },
    );
  });

  it('verifies the IPv4 header checksum of the packet decoded last when asked, good or bad', () => {
    const d = new PacketDecoder();
    const good = F.ethernet({ etherType: 0x0800, payload: ipv4Tcp });
    const bad = good.slice();
    bad[14 + 10] = (bad[14 + 10] as number) ^ 0xff;
    const host = new Uint8Array(good.length + bad.length);
    host.set(good, 0);
    host.set(bad, good.length);
    expect((d.decodeRange(LinkType.ETHERNET, host, good.length, host.length) as DecodedPacket).ipChecksumOk).toBe(false);
    expect((d.decodeRange(LinkType.ETHERNET, host, 0, good.length) as DecodedPacket).ipChecksumOk).toBe(true);
    const p = d.decodeRange(LinkType.ETHERNET, host, good.length, host.length) as DecodedPacket;
    // Replacing the frame settles the check on the bytes the packet was decoded from.
    p.frame = good;
    expect(p.ipChecksumOk).toBe(false);
  });

  it('views the frame, the buffer and the payload over the chunk itself, building them only when read', () => {
    const frame = F.ethernet({ etherType: 0x0800, payload: ipv4Tcp });
    const host = new Uint8Array(frame.length + 10);
    host.set(frame, 3);
    const p = new PacketDecoder().decodeRange(LinkType.ETHERNET, host, 3, 3 + frame.length) as DecodedPacket;
    const payload = p.payload();
    expect(payload.buffer).toBe(host.buffer);
    expect(payload.byteOffset).toBe(3 + p.payloadOffset);
    expect(Array.from(payload)).toEqual(Array.from(new Uint8Array(40).fill(7)));
    expect(p.frame.buffer).toBe(host.buffer);
    expect(Array.from(p.frame)).toEqual(Array.from(frame));
    expect(p.buf).toBe(p.frame);
  });

  it('hands out payloads of a Buffer frame as Buffers, as views of a Buffer always were', () => {
    const frame = Buffer.from(F.ethernet({ etherType: 0x0800, payload: ipv4Tcp }));
    const p = new PacketDecoder().decode(LinkType.ETHERNET, frame) as DecodedPacket;
    expect(Buffer.isBuffer(p.payload())).toBe(true);
    expect(p.payload().length).toBe(40);
  });
});
