import { describe, expect, it } from 'vitest';
import * as F from '../capture/testing/frames.js';
import { concatBytes, PcapWriter } from '../capture/testing/pcap-writer.js';
import { readCapture } from './read-capture.js';

const enc = (s: string) => new TextEncoder().encode(s);

async function* chunks(bytes: Uint8Array, size = 50): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('capture read statistics', () => {
  it('reports the first and last packet time across files and counts packets per link type across runs of each', async () => {
    const eth = new PcapWriter({ linkType: 1 });
    const raw = new PcapWriter({ linkType: 101 });
    const udp = F.udpFrame('10.0.0.1', '10.0.0.2', 40000, 53, enc('q'));
    const rawUdp = F.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: F.udp({ sport: 40000, dport: 53, payload: enc('q') }) });
    const t0 = 1_700_000_000_000_000;
    const files = [
      { path: 'a.pcap', chunks: chunks(concatBytes([raw.header(), raw.record({ ts: t0 + 5, data: rawUdp }), raw.record({ ts: t0 + 6, data: rawUdp })])) },
      { path: 'b.pcap', chunks: chunks(concatBytes([eth.header(), eth.record({ ts: t0 + 7, data: udp }), eth.record({ ts: t0 + 3, data: udp })])) },
      { path: 'c.pcap', chunks: chunks(concatBytes([raw.header(), raw.record({ ts: t0 + 9, data: rawUdp })])) },
    ];
    const stats = await readCapture({ files });
    expect(stats).toMatchObject({ files: 3, packets: 5, firstTs: t0 + 5, lastTs: t0 + 9 });
    expect(stats.linkTypes).toEqual({ '1': 2, '101': 3 });
  });

  it('leaves the packet times undefined when no packet was read', async () => {
    const stats = await readCapture({ bytes: chunks(new PcapWriter().header()) });
    expect(stats.packets).toBe(0);
    expect('firstTs' in stats && stats.firstTs === undefined && stats.lastTs === undefined).toBe(true);
    expect(stats.linkTypes).toEqual({});
  });
});
