import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/types.js';
import * as F from '../capture/testing/frames.js';
import { PacketDecoder } from './decoder.js';
import { DecodedPacket, DecodeError, TcpFlag } from './packet.js';

const links = [LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP, 12, 9999];

const tcpPayload = F.tcp({ sport: 40000, dport: 11112, seq: 1, flags: TcpFlag.ACK | TcpFlag.PSH, options: F.tcpOptions({ mss: 1460, ts: [1, 2] }), payload: new Uint8Array(40) });
const seeds: [number, Uint8Array][] = [
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x0800, vlans: [10, 20], payload: F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: tcpPayload }) })],
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x86dd, payload: F.ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 6, ext: [{ type: 0 }, { type: 60 }], payload: tcpPayload }) })],
  [LinkType.RAW, F.ipv6({ src: '::1', dst: '::2', nextHeader: 17, ext: [{ type: 44, body: F.ipv6FragmentBody(8, true, 1) }], payload: new Uint8Array(64) })],
  [LinkType.RAW, F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, more: true, payload: F.udp({ sport: 68, dport: 67, payload: new Uint8Array(64) }) })],
  [LinkType.ETHERNET, F.ethernet({ etherType: 0x0806, payload: F.arp({ op: 1, senderMac: '00:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' }) })],
  [LinkType.LINUX_SLL2, F.sll2(0x0800, F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, payload: F.icmp(3, 1) }))],
];

function check(d: PacketDecoder, link: number, data: Uint8Array, ts: number): void {
  const r = d.decode(link, data, ts);
  expect(r instanceof DecodedPacket || r instanceof DecodeError).toBe(true);
  if (r instanceof DecodedPacket) {
    // Whatever was decoded must point inside the buffer it names.
    expect(r.payloadOffset + r.payloadLength).toBeLessThanOrEqual(r.buf.length);
    expect(r.payloadLength).toBeGreaterThanOrEqual(0);
    r.payload();
    r.srcIp();
    r.vlanList();
  }
}

describe('packet decoder robustness', () => {
  it('never throws on random bytes for any link type', () => {
    const d = new PacketDecoder({ fragments: { maxTotalBytes: 64 * 1024 } });
    fc.assert(
      fc.property(fc.constantFrom(...links), fc.uint8Array({ maxLength: 300 }), fc.nat(), (link, data, ts) => check(d, link, data, ts)),
      { numRuns: 3000 },
    );
  });

  it('never throws on mutated and truncated valid packets', () => {
    const d = new PacketDecoder({ fragments: { maxTotalBytes: 64 * 1024 } });
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        ([link, base], flips, cut, ts) => {
          const data = base.slice(0, Math.max(0, base.length - (cut % 60)));
          for (const f of flips) if (data.length > 0) data[f.at % data.length] = f.value;
          check(d, link, data, ts);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
