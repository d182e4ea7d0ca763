import { describe, expect, it } from 'vitest';
import { SECOND, Sim } from '../testing.js';

const probe = (sim: Sim, client: string, server: string, port: number, atSeconds: number, transport: 'tcp' | 'udp' = 'tcp') =>
  sim.flow({ client, server, port, transport, at: atSeconds * SECOND, payload: { c2s: 0, s2c: 0 }, packets: 2, bytes: 120 });

describe('recon.port-scan', () => {
  it('flags one source reaching distinctPorts ports of one host within the window, with a sample and the first flow', () => {
    const sim = new Sim();
    const first = probe(sim, '10.0.0.66', '10.0.0.9', 1, 0);
    for (let p = 2; p <= 64; p++) probe(sim, '10.0.0.66', '10.0.0.9', p, p * 0.5);
    const [d, ...rest] = sim.of('recon.port-scan');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'high',
      deviceIp: '10.0.0.66',
      peerIp: '10.0.0.9',
      dedupKey: 'netmon:recon.port-scan:10.0.0.66:10.0.0.9/tcp',
      firstFrame: first.firstFrame,
      facts: { distinct: 64, threshold: 64, windowSeconds: 60, seconds: 32 },
      evidence: [expect.objectContaining({ flowId: first.id, detail: 'first port 1' }), expect.objectContaining({ detail: '64th distinct port 64' })],
    });
    expect(d!.facts.sample).toBe('1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20');
  });

  it('does not flag 63 ports, ports spread wider than the window, repeated ports, or scanners the policy exempts', () => {
    const sim = new Sim({ policyJson: { scanners: ['10.0.0.250/32'] } });
    for (let p = 1; p <= 63; p++) probe(sim, '10.0.0.66', '10.0.0.9', p, p * 0.1);
    for (let p = 1; p <= 100; p++) probe(sim, '10.0.0.67', '10.0.0.9', p, 100 + p * 2);
    for (let i = 0; i < 200; i++) probe(sim, '10.0.0.68', '10.0.0.9', 443, 400 + i * 0.1);
    for (let p = 1; p <= 100; p++) probe(sim, '10.0.0.250', '10.0.0.9', p, 500 + p * 0.1);
    expect(sim.of('recon.port-scan')).toEqual([]);
  });

  it('counts TCP and UDP apart and folds a long scan into one detection counting each threshold crossed', () => {
    const sim = new Sim();
    for (let p = 1; p <= 200; p++) probe(sim, '10.0.0.66', '10.0.0.9', p, p * 0.1);
    for (let p = 1; p <= 40; p++) probe(sim, '10.0.0.66', '10.0.0.9', p, 30 + p * 0.1, 'udp');
    expect(sim.of('recon.port-scan')).toEqual([expect.objectContaining({ count: 3 })]);
  });

  it('keeps at most maxTrackers trackers and reports evictions', () => {
    const sim = new Sim({ policyJson: { rules: { 'recon.port-scan': { maxTrackers: 16 } } } });
    for (let h = 0; h < 50; h++) probe(sim, '10.0.0.66', `10.0.1.${h}`, 80, h * 0.01);
    expect(sim.engine.stats().rules['recon.port-scan']).toEqual({ trackers: 16, trackersEvicted: 34 });
  });
});

describe('recon.host-sweep', () => {
  it('flags one source reaching distinctHosts hosts on one port within the window', () => {
    const sim = new Sim({ policyJson: { rules: { 'recon.host-sweep': { distinctHosts: 10, windowSeconds: 5 } } } });
    for (let h = 1; h <= 10; h++) probe(sim, '10.0.0.66', `10.0.1.${h}`, 104, h * 0.2);
    expect(sim.of('recon.host-sweep')).toEqual([
      expect.objectContaining({ dedupKey: 'netmon:recon.host-sweep:10.0.0.66:tcp/104', facts: expect.objectContaining({ distinct: 10, port: 'tcp/104', sample: '10.0.1.1 10.0.1.10 10.0.1.2 10.0.1.3 10.0.1.4 10.0.1.5 10.0.1.6 10.0.1.7 10.0.1.8 10.0.1.9' }) }),
    ]);
  });

  it('does not count multicast or broadcast destinations, nor hosts outside the window', () => {
    const sim = new Sim({ policyJson: { rules: { 'recon.host-sweep': { distinctHosts: 5, windowSeconds: 5 } } } });
    for (let h = 1; h <= 10; h++) probe(sim, '10.0.0.66', `239.1.1.${h}`, 5353, h * 0.1, 'udp');
    probe(sim, '10.0.0.66', '255.255.255.255', 67, 2, 'udp');
    for (let h = 1; h <= 10; h++) probe(sim, '10.0.0.67', `10.0.1.${h}`, 443, 10 + h * 2);
    expect(sim.of('recon.host-sweep')).toEqual([]);
  });

  it('rates a sweep from the internet medium (background noise at a perimeter), an internal one high', () => {
    const sim = new Sim({ policyJson: { rules: { 'recon.host-sweep': { distinctHosts: 3 } } } });
    for (let h = 1; h <= 3; h++) probe(sim, '45.1.2.3', `10.0.1.${h}`, 3389, h);
    for (let h = 1; h <= 3; h++) probe(sim, '10.0.0.66', `10.0.1.${h}`, 3389, h);
    expect(sim.of('recon.host-sweep').map((d) => [d.deviceIp, d.severity])).toEqual([
      ['10.0.0.66', 'high'],
      ['45.1.2.3', 'medium'],
    ]);
  });
});
