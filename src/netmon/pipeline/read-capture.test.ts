import { describe, expect, it } from 'vitest';
import * as F from '../capture/testing/frames.js';
import { concatBytes, PcapWriter } from '../capture/testing/pcap-writer.js';
import { PcapngWriter } from '../capture/testing/pcapng-writer.js';
import { TcpFlag } from '../decode/index.js';
import type { FlowSummary, StreamConsumer } from '../model.js';
import { readCapture } from './read-capture.js';

const { SYN, ACK, FIN, PSH } = TcpFlag;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const T0 = 1_700_000_000_000_000_000n;

async function* chunks(bytes: Uint8Array, size = 64): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Records every consumer callback as text, per flow. */
function recorder() {
  const log: string[] = [];
  const summaries: FlowSummary[] = [];
  return {
    log,
    summaries,
    opts: {
      onFlowStart: (key: { client: { port: number } }): StreamConsumer => ({
        onData: (dir, d, meta) => log.push(`${key.client.port} ${dir} ${dec(d)} #${meta.frame}`),
        onGap: (dir, n) => log.push(`${key.client.port} ${dir} gap ${n}`),
        onClose: (reason) => log.push(`${key.client.port} close ${reason}`),
      }),
      onFlowEnd: (s: FlowSummary) => summaries.push(s),
    },
  };
}

describe('capture pipeline', () => {
  it('scenario pcapng-two-interfaces: an Ethernet µs interface and a raw-IPv6 ns interface feed one flow table', async () => {
    const w = new PcapngWriter();
    const v6 = (seq: number, flags: number, data = '') =>
      F.ipv6({ src: '2001:db8::a', dst: '2001:db8::b', nextHeader: 6, payload: F.tcp({ sport: 50000, dport: 2575, seq, flags, payload: enc(data) }) });
    const file = concatBytes([
      w.shb(),
      w.idb({ linkType: 1 }),
      w.idb({ linkType: 101, tsresol: 9 }),
      w.epb(0, T0, F.udpFrame('10.0.0.9', '10.0.0.53', 33333, 53, enc('query'))),
      w.epb(1, T0 + 1n, v6(10, SYN)),
      w.epb(1, T0 + 2n, v6(11, ACK | PSH, 'MSH|^~\\&')),
      w.epb(0, T0 + 3000n, F.udpFrame('10.0.0.53', '10.0.0.9', 53, 33333, enc('answer'))),
    ]);
    const r = recorder();
    const stats = await readCapture({ bytes: chunks(file, 33) }, r.opts);
    expect(stats).toMatchObject({ packets: 4, decoded: 4, flowPackets: 4, linkTypes: { '1': 2, '101': 2 }, captureErrors: [], decodeErrors: {} });
    expect(stats.flows).toMatchObject({ flowsCreated: 2, tcpFlows: 1, udpFlows: 1 });
    expect(r.log).toEqual(['33333 c2s query #1', '50000 c2s MSH|^~\\& #3', '33333 s2c answer #4', '50000 close end-of-capture', '33333 close end-of-capture']);
  });

  it('scenario ipv4-fragments-out-of-order: a UDP datagram split in three and received last-first reaches the consumer whole', async () => {
    const pw = new PcapWriter({ nanosecond: true });
    const payload = Uint8Array.from({ length: 2500 }, (_, i) => 65 + (i % 26));
    const frags = F.ipv4Fragments({ src: '10.1.1.1', dst: '10.1.1.2', proto: 17, id: 4242, payload: F.udp({ sport: 40000, dport: 514, payload }) }, 1000);
    const file = concatBytes([pw.header(), ...[2, 0, 1].map((i, n) => pw.record({ ts: 1_700_000_000_000_000 + n, data: F.ethernet({ etherType: 0x0800, payload: frags[i] as Uint8Array }) }))]);
    let got: Uint8Array | undefined;
    let frame = 0;
    const stats = await readCapture({ bytes: chunks(file) }, { onFlowStart: () => ({ onData: (_d, data, meta) => ((got = data.slice()), (frame = meta.frame)) }) });
    expect(got).toEqual(payload);
    expect(frame).toBe(3);
    expect(stats.fragments).toMatchObject({ fragments: 3, reassembled: 1 });
  });

  it('scenario tcp-out-of-order-retransmission-overlap: the consumer sees each byte once, in order', async () => {
    const pw = new PcapWriter();
    const seg = (seq: number, data: string, flags = ACK | PSH) => F.tcpFrame('10.0.0.1', '10.0.0.2', { sport: 40001, dport: 104, seq, flags, payload: enc(data) });
    const frames = [
      F.tcpFrame('10.0.0.1', '10.0.0.2', { sport: 40001, dport: 104, seq: 99, flags: SYN }),
      seg(100, 'AAAA'),
      seg(108, 'CCCC'),
      seg(100, 'AAAA'),
      seg(102, 'xxBBBB'),
      seg(112, 'DD', FIN | ACK),
    ];
    const file = concatBytes([pw.header(), ...frames.map((data, i) => pw.record({ ts: 1_700_000_000_000_000 + i, data }))]);
    const r = recorder();
    const stats = await readCapture({ bytes: chunks(file, 50) }, r.opts);
    expect(r.log.filter((l) => l.includes('c2s')).map((l) => l.split(' ')[2]).join('')).toBe('AAAABBBBCCCCDD');
    expect(r.summaries[0]?.tcp).toMatchObject({ retransmittedSegments: 1, overlapBytes: 2, outOfOrderSegments: 1, gapBytes: 0 });
    expect(stats.flows.retransmittedSegments).toBe(1);
  });

  it('scenario vlan-qinq: the same conversation on two QinQ stacks is two flows', async () => {
    const pw = new PcapWriter({ littleEndian: false });
    const frame = (vlans: number[]) => F.tcpFrame('10.0.0.1', '10.0.0.2', { sport: 40000, dport: 1883, seq: 1, flags: ACK, payload: enc('x') }, vlans);
    const file = concatBytes([pw.header(), pw.record({ ts: 1, data: frame([100, 10]) }), pw.record({ ts: 2, data: frame([100, 11]) })]);
    const r = recorder();
    await readCapture({ bytes: chunks(file) }, r.opts);
    expect(r.summaries.map((s) => s.key.vlan)).toEqual([
      [100, 10],
      [100, 11],
    ]);
  });

  it('counts decode errors by code and keeps going', async () => {
    const pw = new PcapWriter();
    const badTcp = F.ethernet({ etherType: 0x0800, payload: F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, payload: new Uint8Array(8) }) });
    const file = concatBytes([pw.header(), pw.record({ ts: 1, data: badTcp }), pw.record({ ts: 2, data: new Uint8Array(5) }), pw.record({ ts: 3, data: F.udpFrame('10.0.0.1', '10.0.0.2', 5000, 53, enc('q')) })]);
    const stats = await readCapture({ bytes: chunks(file) });
    expect(stats.decodeErrors).toEqual({ 'tcp.truncated': 1, 'link.truncated': 1 });
    expect([stats.packets, stats.decoded, stats.flowPackets]).toEqual([3, 1, 1]);
  });

  it('records a damaged capture as a capture error with file and offset, after processing the packets before it', async () => {
    const pw = new PcapWriter();
    const good = pw.record({ ts: 1, data: F.udpFrame('10.0.0.1', '10.0.0.2', 5000, 53, enc('q')) });
    const file = concatBytes([pw.header(), good, pw.record({ ts: 2, data: new Uint8Array(100) }).subarray(0, 50)]);
    const r = recorder();
    const stats = await readCapture({ bytes: chunks(file), name: 'cut.pcap' }, r.opts);
    expect(stats.captureErrors).toEqual([{ code: 'capture.truncated', message: expect.stringContaining('cut.pcap'), byteOffset: 24 + good.length, file: 'cut.pcap' }]);
    expect(r.log).toEqual(['5000 c2s q #1', '5000 close end-of-capture']);
  });

  it('continues flows across the files of a rotated capture and numbers frames across them', async () => {
    const pw = new PcapWriter();
    const seg = (seq: number, data: string) => F.tcpFrame('10.0.0.1', '10.0.0.2', { sport: 40000, dport: 2575, seq, flags: ACK | PSH, payload: enc(data) });
    const file1 = concatBytes([pw.header(), pw.record({ ts: 1, data: seg(1, 'first ') })]);
    const file2 = concatBytes([pw.header(), pw.record({ ts: 2, data: seg(7, 'second') })]);
    const r = recorder();
    const started: string[] = [];
    const stats = await readCapture(
      { files: [{ path: 'a.pcap', chunks: chunks(file1) }, { path: 'b.pcap', chunks: chunks(file2) }] },
      { ...r.opts, onFile: (p, first) => started.push(`${p}@${first}`) },
    );
    expect(started).toEqual(['a.pcap@1', 'b.pcap@2']);
    expect(r.log).toEqual(['40000 c2s first  #1', '40000 c2s second #2', '40000 close end-of-capture']);
    expect([stats.files, stats.packets, stats.flows.flowsCreated]).toEqual([2, 2, 1]);
  });

  it('hands every decoded packet to onPacket, including ones that are not flows', async () => {
    const pw = new PcapWriter();
    const arp = F.ethernet({ src: '02:00:00:00:00:09', etherType: 0x0806, payload: F.arp({ op: 1, senderMac: '02:00:00:00:00:09', senderIp: '10.0.0.9', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.1' }) });
    const file = concatBytes([pw.header(), pw.record({ ts: 5, data: arp })]);
    const seen: string[] = [];
    await readCapture({ bytes: chunks(file) }, { onPacket: (d, p, frame) => seen.push(`${d.network} ${d.srcMac()} ${p.caplen} #${frame}`) });
    expect(seen).toEqual([`arp 02:00:00:00:00:09 ${arp.length} #1`]);
  });
});
