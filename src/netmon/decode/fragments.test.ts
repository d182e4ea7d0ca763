import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/types.js';
import * as F from '../capture/testing/frames.js';
import { PacketDecoder } from './decoder.js';
import { FRAGMENT_OVERHEAD, FragmentReassembler } from './fragments.js';
import { DecodedPacket, DecodeError } from './packet.js';

const body = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
const udpDatagram = (payload: Uint8Array) => F.udp({ sport: 4000, dport: 2575, payload });
const spec = (payload: Uint8Array, id = 77) => ({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id, payload: udpDatagram(payload) });

describe('IPv4 fragment reassembly', () => {
  it('reassembles fragments that arrive out of order and decodes the UDP datagram they carry', () => {
    const data = body(3000);
    const frags = F.ipv4Fragments(spec(data), 1200);
    const d = new PacketDecoder();
    // The decoded packet object is reused per call, so read each result before the next decode.
    const held = [frags[2], frags[0]].map((f, i) => {
      const r = d.decode(LinkType.RAW, f as Uint8Array, i * 1000);
      return r instanceof DecodedPacket && r.fragmentHeld;
    });
    expect(held).toEqual([true, true]);
    const last = d.decode(LinkType.RAW, frags[1] as Uint8Array, 2000);
    if (!(last instanceof DecodedPacket)) throw new Error('expected a packet');
    expect([last.reassembled, last.transport, last.dstPort, last.payloadLength]).toEqual([true, 'udp', 2575, 3000]);
    expect(last.payload()).toEqual(data);
    expect(d.fragments.stats).toMatchObject({ fragments: 3, reassembled: 1, bufferedBytes: 0 });
  });

  it('resolves overlapping fragments first-wins', () => {
    const r = new FragmentReassembler();
    expect(r.add('k', 8, true, Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1), 17, 0)).toBeNull();
    expect(r.add('k', 0, true, Uint8Array.of(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2), 17, 0)).toBeNull();
    const whole = r.add('k', 16, false, Uint8Array.of(3, 3), 17, 0);
    expect(Array.from(whole as Uint8Array)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3]);
  });

  it('rejects a fragment that would grow the datagram past 65535 bytes (ping of death)', () => {
    const d = new PacketDecoder();
    const f = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, id: 9, fragOffset: 65528, more: false, payload: new Uint8Array(100) });
    const r = d.decode(LinkType.RAW, f);
    expect(r instanceof DecodeError && r.code).toBe('fragment.too-large');
    expect(d.fragments.pendingDatagrams).toBe(0);
  });

  it('drops incomplete datagrams after the timeout, measured in packet time', () => {
    const r = new FragmentReassembler({ timeoutUs: 1_000_000 });
    r.add('a', 0, true, new Uint8Array(8), 17, 0);
    r.add('b', 0, true, new Uint8Array(8), 17, 900_000);
    r.add('c', 0, true, new Uint8Array(8), 17, 1_500_000);
    expect([r.pendingDatagrams, r.stats.expired, r.stats.bufferedBytes]).toEqual([2, 1, 2 * (8 + FRAGMENT_OVERHEAD)]);
    // The late fragment of the expired datagram starts a new one; it never completes the old one.
    expect(r.add('a', 8, false, new Uint8Array(8), 17, 1_600_000)).toBeNull();
  });

  it('keeps pending fragments within the total byte budget by dropping the oldest datagrams', () => {
    const budget = 2 * (400 + FRAGMENT_OVERHEAD);
    const r = new FragmentReassembler({ maxTotalBytes: budget });
    for (let i = 0; i < 5; i++) r.add(`d${i}`, 0, true, new Uint8Array(400), 17, i);
    expect(r.stats.bufferedBytes).toBeLessThanOrEqual(budget);
    expect(r.stats.evicted).toBe(3);
    expect(r.pendingDatagrams).toBe(2);
  });

  it('bounds the number of fragments per datagram', () => {
    const r = new FragmentReassembler({ maxFragmentsPerDatagram: 4 });
    for (let i = 0; i < 4; i++) expect(r.add('k', i * 8, true, new Uint8Array(8), 17, 0)).toBeNull();
    const e = r.add('k', 32, true, new Uint8Array(8), 17, 0);
    expect(e instanceof DecodeError && e.code).toBe('fragment.too-many');
    expect(r.stats.bufferedBytes).toBe(0);
  });
});

describe('IPv6 fragment reassembly', () => {
  it('reassembles fragments behind a fragment extension header and continues to the transport header', () => {
    const udp = udpDatagram(body(2000));
    const first = udp.subarray(0, 1232);
    const second = udp.subarray(1232);
    const frag = (offset: number, more: boolean, payload: Uint8Array) =>
      F.ipv6({ src: '2001:db8::10', dst: '2001:db8::20', nextHeader: 17, ext: [{ type: 0 }, { type: 44, body: F.ipv6FragmentBody(offset, more, 0xabcdef) }], payload });
    const d = new PacketDecoder();
    const held = d.decode(LinkType.RAW, frag(1232, false, second));
    expect(held instanceof DecodedPacket && held.fragmentHeld).toBe(true);
    const whole = d.decode(LinkType.RAW, frag(0, true, first));
    if (!(whole instanceof DecodedPacket)) throw new Error(`expected a packet, got ${whole.code}`);
    expect([whole.reassembled, whole.transport, whole.srcPort, whole.srcIp()]).toEqual([true, 'udp', 4000, '2001:db8::10']);
    expect(whole.payload()).toEqual(body(2000));
  });

  it('passes an atomic fragment (offset 0, no more fragments) straight through', () => {
    const v6 = F.ipv6({ src: '::1', dst: '::2', nextHeader: 17, ext: [{ type: 44, body: F.ipv6FragmentBody(0, false, 5) }], payload: udpDatagram(body(10)) });
    const p = new PacketDecoder().decode(LinkType.RAW, v6);
    expect(p instanceof DecodedPacket && [p.transport, p.reassembled]).toEqual(['udp', false]);
  });
});
