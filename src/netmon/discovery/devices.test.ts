import { describe, expect, it } from 'vitest';
import { DiscoveryBuilder } from './builder.js';
import { describeProfile, IDENTIFIER_CONFIDENCE, toDeviceReports } from './devices.js';

const vendorOf = (mac: string) => (mac.startsWith('00:1f:29') ? 'Hewlett Packard' : undefined);
const opts = { source: 'ward3.pcap', observedAt: '2026-01-02T03:04:05.000Z' };

function lab() {
  const b = new DiscoveryBuilder();
  const flow = { transport: 'tcp' as const, client: { ip: '10.0.0.7', port: 40000, mac: '00:1f:29:00:00:07' }, server: { ip: '10.0.0.8', port: 2575, mac: '00:00:00:00:00:00' } };
  b.observe({ protocol: 'hl7', kind: 'hl7.message', producer: 't@1', ts: 1, frame: 4, flow, dir: 'c2s', fields: { sendingApplication: 'COBAS', sendingFacility: 'LAB', messageType: 'ORU', triggerEvent: 'R01' } });
  b.onFlowEnd({ id: 1, key: flow, roleGuessed: false, roleSource: 'syn', c2s: { packets: 1, bytes: 1, payloadBytes: 1 }, s2c: { packets: 1, bytes: 1, payloadBytes: 1 }, firstTs: 1, lastTs: 2, firstFrame: 1, lastFrame: 6, closeReason: 'fin' }, 'hl7');
  return b.finish().map((p) => describeProfile(p, { vendorOf }));
}

describe('toDeviceReports', () => {
  it('reports identifiers first, then each inferred attribute at its rule confidence, all with discovery provenance', () => {
    const [client, server] = lab();
    const reports = toDeviceReports([client!], opts);
    expect(reports.map((r) => [r.attributes, r.provenance.confidence])).toEqual([
      [{ name: 'COBAS^LAB' }, IDENTIFIER_CONFIDENCE],
      [{ category: 'lab-analyzer' }, 0.6],
      [{ manufacturer: 'HP' }, 0.3],
    ]);
    for (const r of reports) {
      expect(r.provenance).toMatchObject({ source: 'discovery:ward3.pcap', kind: 'discovery', observedAt: opts.observedAt });
      expect(r.network).toEqual({ macs: ['00:1f:29:00:00:07'], ips: ['10.0.0.7'], hostnames: [], aeTitles: [], hl7Applications: ['COBAS^LAB'] });
    }
    expect(server?.macs).toEqual([]);
  });

  it('never uses an all-zero MAC as identity and leaves out bare loopback endpoints', () => {
    const [, server] = lab();
    expect(server?.hasMergeKey).toBe(false);
    expect(toDeviceReports([server!], opts)[0]?.network?.macs).toEqual([]);
    const b = new DiscoveryBuilder();
    const flow = { transport: 'tcp' as const, client: { ip: '127.0.0.1', port: 5000, mac: '00:00:00:00:00:00' }, server: { ip: '127.0.0.1', port: 80, mac: '00:00:00:00:00:00' } };
    b.onFlowEnd({ id: 1, key: flow, roleGuessed: false, roleSource: 'syn', c2s: { packets: 1, bytes: 1, payloadBytes: 1 }, s2c: { packets: 1, bytes: 1, payloadBytes: 1 }, firstTs: 1, lastTs: 2, firstFrame: 1, lastFrame: 2, closeReason: 'fin' }, 'http');
    expect(toDeviceReports(b.finish().map((p) => describeProfile(p, { vendorOf })), opts)).toEqual([]);
  });
});
