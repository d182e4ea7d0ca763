/**
 * Extraction of a flow from a generated capture of mixed traffic: both directions of the flow and
 * nothing else (not the same hosts on another port or transport, not another host on the same ports),
 * for IPv4, IPv6 and VLAN-tagged traffic, with the fragments of a fragmented datagram of the flow.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource } from '../capture/index.js';
import { arp, ethernet, ipv4Fragments, ipv6, tcp, tcpFrame, udp, udpFrame } from '../capture/testing/frames.js';
import { prepareExtraction } from './extract.js';
import { localCaptureParts } from './file-parts.js';
import { parseFlowSelector } from './flow-selector.js';
import { parseFrameList } from './frame-ranges.js';
import type { PacketSelection } from './model.js';
import { outputOf, packetsFrom, packetsOf, pcapFile, T0, tempDir, unnumbered } from './testing/support.js';

const dir = tempDir('cg-extract-flow-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t = (sport: number, dport: number, seq = 1) => ({ sport, dport, seq, flags: 0x18, payload: Uint8Array.of(1, 2, 3, seq & 0xff) });
const tcp6 = (src: string, dst: string, sport: number, dport: number) => ethernet({ etherType: 0x86dd, payload: ipv6({ src, dst, nextHeader: 6, payload: tcp(t(sport, dport)) }) });
const fragments = (src: string, dst: string, id: number) =>
  ipv4Fragments({ src, dst, proto: 17, id, payload: udp({ sport: 5000, dport: 6000, payload: new Uint8Array(40).fill(id) }) }, 24).map((p) => ethernet({ etherType: 0x0800, payload: p }));

/** [frame bytes, what it is]: the labels name the flows the tests select */
const traffic: Array<[Uint8Array, string]> = [
  [tcpFrame('10.0.0.5', '10.0.0.9', t(40000, 104)), 'v4'],
  [tcpFrame('10.0.0.9', '10.0.0.5', t(104, 40000)), 'v4'],
  [tcpFrame('10.0.0.5', '10.0.0.9', t(40001, 104)), 'other port'],
  [udpFrame('10.0.0.5', '10.0.0.9', 40000, 104, Uint8Array.of(9)), 'udp same ports'],
  [tcpFrame('10.0.0.6', '10.0.0.9', t(40000, 104)), 'other host'],
  [arp({ op: 1, senderMac: '02:00:00:00:00:05', senderIp: '10.0.0.5', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.9' }), 'arp'],
  [tcp6('fd00::5', 'fd00::9', 50000, 443), 'v6'],
  [tcp6('fd00::9', 'fd00::5', 443, 50000), 'v6'],
  [tcp6('fd00::5', 'fd00::9', 50001, 443), 'v6 other port'],
  [tcpFrame('10.0.0.5', '10.0.0.9', t(40000, 104, 7), [20]), 'v4 vlan 20'],
  [tcpFrame('10.0.0.9', '10.0.0.5', t(104, 40000, 8), [30]), 'v4 vlan 30'],
  [tcpFrame('10.0.0.5', '10.0.0.9', t(40000, 104, 9), [100, 20]), 'v4 vlan 20'],
  ...fragments('10.0.0.7', '10.0.0.8', 77).map((f): [Uint8Array, string] => [f, 'udp fragmented']),
  ...fragments('10.0.0.7', '10.0.0.99', 78).map((f): [Uint8Array, string] => [f, 'fragments to another host']),
  [tcpFrame('10.0.0.9', '10.0.0.5', t(104, 40000, 10)), 'v4'],
];
const file = pcapFile(dir, 'mixed.pcap', traffic.map(([data], i) => ({ ts: T0 + i * 1000, data })));
const framesOf = (...labels: string[]) => traffic.flatMap(([, label], i) => (labels.includes(label) ? [i + 1] : []));

async function extracted(sel: PacketSelection) {
  const out = await outputOf(await prepareExtraction(await localCaptureParts(file), sel, { name: file }));
  return unnumbered(await packetsOf(out));
}
const sourceFrames = async (frames: number[]) => unnumbered((await packetsFrom(fileSource(file))).filter((p) => frames.includes(p.frame)));

describe('extraction of a flow', () => {
  it('picks both directions of an IPv4 TCP flow, on every VLAN, and nothing else', async () => {
    const got = await extracted({ flow: parseFlowSelector('tcp 10.0.0.9:104 10.0.0.5:40000') });
    expect(got).toEqual(await sourceFrames(framesOf('v4', 'v4 vlan 20', 'v4 vlan 30')));
  });

  it('picks only the packets on the VLAN the selector names', async () => {
    expect(await extracted({ flow: parseFlowSelector('tcp 10.0.0.5:40000 10.0.0.9:104 vlan 20') })).toEqual(await sourceFrames(framesOf('v4 vlan 20')));
  });

  it('picks both directions of an IPv6 flow and not the same hosts on another port', async () => {
    expect(await extracted({ flow: parseFlowSelector('tcp [fd00::5]:50000 [fd00::9]:443') })).toEqual(await sourceFrames(framesOf('v6')));
  });

  it('picks every fragment of a fragmented datagram of the flow, not those between other hosts', async () => {
    const got = await extracted({ flow: parseFlowSelector('udp 10.0.0.7:5000 10.0.0.8:6000') });
    expect(got).toHaveLength(2);
    expect(got).toEqual(await sourceFrames(framesOf('udp fragmented')));
  });

  it('with frames too, keeps the frames that are of the flow', async () => {
    const got = await extracted({ flow: parseFlowSelector('tcp 10.0.0.5:40000 10.0.0.9:104'), frames: parseFrameList('1-5') });
    expect(got).toEqual(await sourceFrames([1, 2]));
  });

  it('refuses a flow the capture does not carry with netmon.packets_not_found', async () => {
    await expect(extracted({ flow: parseFlowSelector('udp 10.9.9.9:1 10.9.9.8:2') })).rejects.toThrow(expect.objectContaining({ code: 'netmon.packets_not_found', status: 404 }));
  });
});
