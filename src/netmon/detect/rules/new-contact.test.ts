import { describe, expect, it } from 'vitest';
import { HOUR, SECOND, Sim } from '../testing.js';

/** A device that talked to 10.0.0.9:104 three times during a one-hour window. */
function learnt(policyJson?: unknown): Sim {
  const sim = new Sim({ baselineOptions: { learnSeconds: 3600 }, ...(policyJson === undefined ? {} : { policyJson }) });
  for (let i = 0; i < 3; i++) sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: i * 60 * SECOND, protocol: 'dicom' });
  return sim;
}

describe('baseline.new-peer', () => {
  it('flags a peer the device never talked to during the window, with the flow as evidence', () => {
    const sim = learnt();
    const s = sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 443, at: 2 * HOUR });
    const [d, ...rest] = sim.of('baseline.new-peer');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'low',
      deviceIp: '10.0.0.5',
      peerIp: '10.0.0.66',
      dedupKey: 'netmon:baseline.new-peer:10.0.0.5:10.0.0.66',
      firstFrame: s.firstFrame,
      facts: { direction: 'outbound', service: 'tcp/443', knownPeers: 1 },
      evidence: [{ kind: 'flow', ref: `sim.pcap#flow=${s.id}`, frame: s.firstFrame }],
    });
    expect(d!.title).toBe('10.0.0.5 contacted new peer 10.0.0.66 (tcp/443)');
  });

  it('flags an unknown client contacting a baselined server (inbound)', () => {
    const sim = learnt();
    sim.flow({ client: '10.0.0.77', server: '10.0.0.9', port: 104, at: 2 * HOUR });
    expect(sim.of('baseline.new-peer')).toEqual([expect.objectContaining({ deviceIp: '10.0.0.9', peerIp: '10.0.0.77', facts: expect.objectContaining({ direction: 'inbound' }) })]);
  });

  it('stays quiet for known peers, for new peers during the window and for devices first seen after it', () => {
    const sim = learnt();
    sim.flow({ client: '10.0.0.5', server: '10.0.0.10', port: 104, at: 30 * 60 * SECOND });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 2 * HOUR });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.10', port: 104, at: 2 * HOUR });
    sim.flow({ client: '10.0.0.200', server: '10.0.0.201', port: 80, at: 2 * HOUR });
    expect(sim.of('baseline.new-peer')).toEqual([]);
  });

  it('judges only devices with minBaselineFlows flows in the window', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 3600 } });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 0 });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 104, at: 2 * HOUR });
    expect(sim.of('baseline.new-peer')).toEqual([]);
  });

  it('ignores connection attempts nobody answered (no payload either way): that is a scan rule matter', () => {
    const sim = learnt();
    sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 23, at: 2 * HOUR, payload: { c2s: 0, s2c: 0 } });
    expect(sim.of('baseline.new-peer')).toEqual([]);
  });

  it('does not judge a device whose peer list overflowed during the window (its baseline is incomplete)', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 3600, maxPeersPerDevice: 2 } });
    for (let i = 0; i < 4; i++) sim.flow({ client: '10.0.0.5', server: `10.0.0.${10 + i}`, port: 104, at: i * SECOND });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 104, at: 2 * HOUR });
    expect(sim.of('baseline.new-peer')).toEqual([]);
  });

  it('folds repeated flows to the same new peer into one detection and raises clinical devices to medium', () => {
    const sim = learnt({ devices: [{ ip: '10.0.0.5', criticality: 'diagnostic', deviceId: 'dev_ct1', name: 'CT-1' }] });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 443, at: 2 * HOUR });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 443, at: 3 * HOUR });
    expect(sim.of('baseline.new-peer')).toEqual([expect.objectContaining({ count: 2, severity: 'medium', deviceId: 'dev_ct1', dedupKey: 'netmon:baseline.new-peer:dev_ct1:10.0.0.66', title: 'CT-1 (10.0.0.5) contacted new peer 10.0.0.66 (tcp/443)' })]);
  });

  it('does not let a long flow begun in the window and ending after it make a later flow to that peer look new', () => {
    const sim = learnt();
    const long = sim.open({ client: '10.0.0.5', server: '10.0.0.70', port: 2575, at: 50 * 60 * SECOND, durationUs: 3 * HOUR });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.70', port: 2575, at: 2 * HOUR });
    long.end();
    expect(sim.of('baseline.new-peer')).toEqual([]);
  });
});

describe('baseline.new-service', () => {
  it('flags a known peer reached on a port the device never used with it', () => {
    const sim = learnt();
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 22, at: 2 * HOUR });
    const ds = sim.of('baseline.new-service');
    expect(ds).toEqual([
      expect.objectContaining({ deviceIp: '10.0.0.5', dedupKey: 'netmon:baseline.new-service:10.0.0.5:client:tcp/22:10.0.0.9', facts: expect.objectContaining({ role: 'client', knownServicesOnPeer: 'tcp/104' }) }),
      expect.objectContaining({ deviceIp: '10.0.0.9', dedupKey: 'netmon:baseline.new-service:10.0.0.9:server:tcp/22', facts: expect.objectContaining({ role: 'server', knownServedPorts: 'tcp/104' }) }),
    ]);
  });

  it('leaves a brand-new peer to baseline.new-peer and known services alone', () => {
    const sim = learnt();
    sim.flow({ client: '10.0.0.5', server: '10.0.0.66', port: 22, at: 2 * HOUR });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 2 * HOUR });
    expect(sim.of('baseline.new-service')).toEqual([]);
  });

  it('treats UDP and TCP on one port as different services, and needs the server to answer a UDP flow', () => {
    const sim = learnt();
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, transport: 'udp', at: 2 * HOUR, payload: { c2s: 50, s2c: 0 } });
    expect(sim.of('baseline.new-service')).toEqual([]);
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, transport: 'udp', at: 2 * HOUR, payload: { c2s: 50, s2c: 20 } });
    expect(sim.of('baseline.new-service').map((d) => d.facts.service)).toEqual(['udp/104', 'udp/104']);
  });
});
