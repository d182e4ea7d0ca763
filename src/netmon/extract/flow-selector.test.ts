import { describe, expect, it } from 'vitest';
import { decodePacket, isDecodeError, type DecodedPacket } from '../decode/index.js';
import { ethernet, ipv4, tcpFrame, udp, udpFrame } from '../capture/testing/frames.js';
import { FlowMatcher, formatFlowSelector, parseFlowSelector } from './flow-selector.js';

describe('parseFlowSelector', () => {
  it('reads a TCP flow, an IPv6 flow in brackets or as netmon observations prints it, and a VLAN', () => {
    expect(parseFlowSelector('tcp 10.0.0.5:40000 10.0.0.9:104')).toEqual({ transport: 'tcp', a: { ip: '10.0.0.5', port: 40000 }, b: { ip: '10.0.0.9', port: 104 } });
    expect(parseFlowSelector('udp [fd00::5]:5353  fd00::9:53 vlan 20')).toEqual({ transport: 'udp', a: { ip: 'fd00::5', port: 5353 }, b: { ip: 'fd00::9', port: 53 }, vlan: 20 });
    expect(formatFlowSelector(parseFlowSelector('udp [fd00::5]:5353 fd00::9:53 vlan 20'))).toBe('udp [fd00::5]:5353 [fd00::9]:53 vlan 20');
  });

  it.each([
    'icmp 10.0.0.5:1 10.0.0.9:2',
    'tcp 10.0.0.5:40000',
    'tcp 10.0.0.5 10.0.0.9:104',
    'tcp 10.0.0.5:70000 10.0.0.9:104',
    'tcp 10.0.0.500:1 10.0.0.9:104',
    'tcp 10.0.0.5:1 fd00::9:104',
    'tcp 10.0.0.5:1 10.0.0.9:104 vlan 5000',
    'tcp 10.0.0.5:1 10.0.0.9:104 vlan',
    'tcp 10.0.0.5:1 10.0.0.9:104 extra words',
  ])('refuses %j with netmon.invalid_flow', (text) => {
    expect(() => parseFlowSelector(text)).toThrow(expect.objectContaining({ code: 'netmon.invalid_flow', status: 400 }));
  });
});

const decoded = (frame: Uint8Array): DecodedPacket => {
  const d = decodePacket(1, frame);
  if (isDecodeError(d)) throw new Error(`test frame does not decode: ${d.message}`);
  return d;
};

describe('FlowMatcher', () => {
  const m = new FlowMatcher(parseFlowSelector('tcp 10.0.0.5:40000 10.0.0.9:104'));
  const matches = (frame: Uint8Array) => m.matches(decoded(frame));

  it('matches both directions and nothing that differs in transport, address or port', () => {
    expect(matches(tcpFrame('10.0.0.5', '10.0.0.9', { sport: 40000, dport: 104, seq: 1, flags: 0x02 }))).toBe(true);
    expect(matches(tcpFrame('10.0.0.9', '10.0.0.5', { sport: 104, dport: 40000, seq: 1, flags: 0x12 }))).toBe(true);
    expect(matches(tcpFrame('10.0.0.5', '10.0.0.9', { sport: 104, dport: 40000, seq: 1, flags: 0x02 }))).toBe(false);
    expect(matches(tcpFrame('10.0.0.5', '10.0.0.9', { sport: 40001, dport: 104, seq: 1, flags: 0x02 }))).toBe(false);
    expect(matches(tcpFrame('10.0.0.6', '10.0.0.9', { sport: 40000, dport: 104, seq: 1, flags: 0x02 }))).toBe(false);
    expect(matches(udpFrame('10.0.0.5', '10.0.0.9', 40000, 104, new Uint8Array(4)))).toBe(false);
  });

  it('matches whatever the VLAN tags unless the selector names a VLAN', () => {
    const tagged = tcpFrame('10.0.0.5', '10.0.0.9', { sport: 40000, dport: 104, seq: 1, flags: 0x02 }, [100, 20]);
    expect(matches(tagged)).toBe(true);
    const on20 = new FlowMatcher(parseFlowSelector('tcp 10.0.0.5:40000 10.0.0.9:104 vlan 20'));
    const on30 = new FlowMatcher(parseFlowSelector('tcp 10.0.0.5:40000 10.0.0.9:104 vlan 30'));
    const d = decoded(tagged);
    expect(on20.matches(d)).toBe(true);
    expect(on30.matches(d)).toBe(false);
  });

  it('keeps a held IPv4 fragment between the two hosts with the flow protocol, not one of another protocol', () => {
    const udpFlow = new FlowMatcher(parseFlowSelector('udp 10.0.0.7:5000 10.0.0.8:6000'));
    const first = ethernet({ etherType: 0x0800, payload: ipv4({ src: '10.0.0.7', dst: '10.0.0.8', proto: 17, id: 9, more: true, payload: udp({ sport: 5000, dport: 6000, payload: new Uint8Array(32) }).subarray(0, 16) }) });
    const d = decoded(first);
    expect(d.fragmentHeld).toBe(true);
    expect(udpFlow.matches(d)).toBe(true);
    expect(new FlowMatcher(parseFlowSelector('tcp 10.0.0.7:5000 10.0.0.8:6000')).matches(d)).toBe(false);
  });
});
