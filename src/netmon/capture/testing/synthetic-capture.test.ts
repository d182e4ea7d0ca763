import { describe, expect, it } from 'vitest';
import { readCapture } from '../../pipeline/read-capture.js';
import { PcapWriter } from './pcap-writer.js';
import { syntheticPackets, type SyntheticPacket } from './synthetic-capture.js';

function take(n: number, seed: number): SyntheticPacket[] {
  const out: SyntheticPacket[] = [];
  for (const p of syntheticPackets({ seed })) {
    out.push(p);
    if (out.length === n) break;
  }
  return out;
}

async function* asPcap(packets: SyntheticPacket[]): AsyncGenerator<Uint8Array> {
  const w = new PcapWriter();
  yield w.header();
  for (const p of packets) yield w.record(p);
}

describe('synthetic capture generator', () => {
  it('produces the same packets for the same seed and different ones for another seed', () => {
    const a = take(300, 7);
    expect(take(300, 7)).toEqual(a);
    expect(take(300, 8)).not.toEqual(a);
  });

  it('produces traffic that decodes without errors into distinct flows carrying each protocol', async () => {
    const packets = take(6000, 3);
    expect(packets.every((p, i) => i === 0 || p.ts > (packets[i - 1] as SyntheticPacket).ts)).toBe(true);
    const servers = new Set<number>();
    const starts: Record<string, number> = {};
    let finishedWithGaps = 0;
    let finished = 0;
    const stats = await readCapture(
      { bytes: asPcap(packets) },
      {
        onFlowStart: (key) => {
          servers.add(key.server.port);
          let first = true;
          let gaps = 0;
          return {
            onGap: () => gaps++,
            onClose: (reason) => {
              if (reason !== 'fin') return;
              finished++;
              if (gaps > 0) finishedWithGaps++;
            },
            onData: (dir, d) => {
              if (!first || dir !== 'c2s') return;
              first = false;
              // The first client byte tells the protocol: DICOM A-ASSOCIATE-RQ, MLLP start, MQTT CONNECT, TLS handshake.
              const tag = `${key.server.port}:${d[0]}`;
              starts[tag] = (starts[tag] ?? 0) + 1;
            },
          };
        },
      },
    );
    expect(stats.decodeErrors).toEqual({});
    // Sessions cut off by the end of the sample may miss bytes; completed ones never do.
    expect(finished).toBeGreaterThan(50);
    expect(finishedWithGaps).toBe(0);
    expect([...servers].sort((a, b) => a - b)).toEqual([53, 67, 104, 443, 1883, 2575, 11112]);
    for (const tag of Object.keys(starts)) {
      expect(['53:', '67:1', '104:1', '11112:1', '443:22', '1883:16', '2575:11'].some((t) => tag.startsWith(t))).toBe(true);
    }
    expect(stats.flows.retransmittedSegments + stats.flows.outOfOrderSegments).toBeGreaterThan(0);
  });
});
