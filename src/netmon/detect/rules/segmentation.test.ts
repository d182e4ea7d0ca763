import { describe, expect, it } from 'vitest';
import { judgeFlow } from '../segmentation.js';
import { Sim } from '../testing.js';
import { Topology } from '../topology.js';
import { parsePolicy } from '../policy-validate.js';

const POLICY = {
  zones: [
    { name: 'imaging', cidrs: ['10.20.0.0/16'], securityLevel: 2 },
    { name: 'pacs', cidrs: ['10.30.0.0/24'], securityLevel: 3 },
    { name: 'corporate', cidrs: ['10.0.0.0/8'], securityLevel: 1 },
    { name: 'pumps', cidrs: ['10.40.0.0/16'], securityLevel: 3 },
  ],
  conduits: [
    { name: 'modality-to-pacs', from: 'imaging', to: 'pacs', services: [{ protocol: 'dicom', ports: [104, '11112-11113'] }] },
    { name: 'pacs-viewers', from: 'pacs', to: 'corporate', bidirectional: true, services: [{ transport: 'tcp', ports: [443] }] },
    { name: 'pump-server', from: 'pumps', to: 'pumps', services: [{ protocol: 'tls' }] },
  ],
};

const key = (client: string, server: string, port: number, transport: 'tcp' | 'udp' = 'tcp') => ({ transport, client: { ip: client, port: 50000 }, server: { ip: server, port } });

describe('zones and conduits (judgeFlow)', () => {
  const topo = new Topology(parsePolicy(POLICY));

  it('picks the most specific zone block (10.20.1.1 is imaging, not corporate)', () => {
    expect(topo.info('10.20.1.1').zone?.name).toBe('imaging');
    expect(topo.info('10.99.1.1').zone?.name).toBe('corporate');
  });

  it('allows a flow a conduit carries (protocol and port range) and says which conduit', () => {
    expect(judgeFlow(topo, key('10.20.1.1', '10.30.0.5', 11113), 'dicom')).toMatchObject({ decision: 'allowed', reason: 'conduit', conduit: { name: 'modality-to-pacs' }, from: 'imaging', to: 'pacs' });
  });

  it('denies the wrong protocol or port on an existing conduit, naming it as a near miss', () => {
    const v = judgeFlow(topo, key('10.20.1.1', '10.30.0.5', 104), 'http');
    expect(v).toMatchObject({ decision: 'denied', reason: 'service-not-allowed' });
    expect(v.nearMisses.map((c) => c.name)).toEqual(['modality-to-pacs']);
    expect(judgeFlow(topo, key('10.20.1.1', '10.30.0.5', 105), 'dicom').decision).toBe('denied');
  });

  it('denies the reverse direction of a one-way conduit and allows both of a bidirectional one', () => {
    expect(judgeFlow(topo, key('10.30.0.5', '10.20.1.1', 104), 'dicom')).toMatchObject({ decision: 'denied', reason: 'no-conduit' });
    expect(judgeFlow(topo, key('10.99.0.1', '10.30.0.5', 443), 'tls')).toMatchObject({ decision: 'allowed', conduit: { name: 'pacs-viewers' } });
    expect(judgeFlow(topo, key('10.30.0.5', '10.99.0.1', 443), 'tls')).toMatchObject({ decision: 'allowed', conduit: { name: 'pacs-viewers' } });
  });

  it('allows traffic inside a zone unless intraZone is deny, where only a conduit from the zone to itself allows it', () => {
    expect(judgeFlow(topo, key('10.40.0.1', '10.40.0.2', 22), 'tcp')).toMatchObject({ decision: 'allowed', reason: 'intra-zone' });
    const strict = new Topology(parsePolicy({ ...POLICY, intraZone: 'deny' }));
    expect(judgeFlow(strict, key('10.40.0.1', '10.40.0.2', 22), 'tcp')).toMatchObject({ decision: 'denied', reason: 'intra-zone-denied' });
    expect(judgeFlow(strict, key('10.40.0.1', '10.40.0.2', 443), 'tls')).toMatchObject({ decision: 'allowed', conduit: { name: 'pump-server' } });
  });

  it('leaves unzoned addresses unjudged, or denies them under unzoned "deny", but never broadcast or multicast', () => {
    expect(judgeFlow(topo, key('10.20.1.1', '8.8.8.8', 53, 'udp'), 'dns')).toMatchObject({ decision: 'unjudged', to: '(internet)' });
    expect(judgeFlow(topo, key('10.20.1.1', '192.168.1.1', 53, 'udp'), 'dns')).toMatchObject({ decision: 'unjudged', to: '(unzoned)' });
    const strict = new Topology(parsePolicy({ ...POLICY, unzoned: 'deny' }));
    expect(judgeFlow(strict, key('10.20.1.1', '8.8.8.8', 53, 'udp'), 'dns')).toMatchObject({ decision: 'denied', reason: 'unzoned-denied' });
    expect(judgeFlow(strict, key('10.20.1.1', '255.255.255.255', 67, 'udp'), 'dhcp').decision).toBe('unjudged');
    expect(judgeFlow(strict, key('10.20.1.1', '239.255.255.250', 1900, 'udp'), 'ssdp').decision).toBe('unjudged');
  });

  it('puts a device-map zone before the CIDR zone', () => {
    const t = new Topology(parsePolicy({ ...POLICY, devices: [{ ip: '10.99.0.7', zone: 'pacs' }] }));
    expect(t.info('10.99.0.7').zone?.name).toBe('pacs');
  });
});

describe('segmentation.violation', () => {
  it('flags a denied flow on its initiator with the reason, graded by the target zone security level', () => {
    const sim = new Sim({ policyJson: POLICY });
    const s = sim.flow({ client: '10.20.1.1', server: '10.30.0.5', port: 445, protocol: 'smb', bytes: 5000 });
    sim.flow({ client: '10.30.0.5', server: '10.20.1.1', port: 104, protocol: 'dicom' });
    const ds = sim.of('segmentation.violation');
    expect(ds.map((d) => [d.deviceIp, d.severity, d.facts.reason])).toEqual([
      ['10.20.1.1', 'high', 'service-not-allowed'],
      ['10.30.0.5', 'medium', 'no-conduit'],
    ]);
    expect(ds[0]).toMatchObject({
      dedupKey: 'netmon:segmentation.violation:10.20.1.1:imaging>pacs:tcp/445:10.30.0.5',
      title: 'Zone imaging -> pacs: smb tcp/445 from 10.20.1.1 to 10.30.0.5 not allowed',
      evidence: [expect.objectContaining({ kind: 'flow', flowId: s.id }), { kind: 'policy', ref: 'policy#/conduits/0', detail: 'conduit "modality-to-pacs" imaging -> pacs' }],
      facts: expect.objectContaining({ fromZone: 'imaging', toZone: 'pacs', bytes: 5000, toSecurityLevel: 3 }),
    });
    expect(ds[0]!.explanation).toContain('Conduit(s) "modality-to-pacs" (dicom 104,11112-11113) connect "imaging" to "pacs" but do not carry smb tcp/445.');
  });

  it('stays quiet for allowed and unjudged flows and without zones', () => {
    const sim = new Sim({ policyJson: POLICY });
    sim.flow({ client: '10.20.1.1', server: '10.30.0.5', port: 104, protocol: 'dicom' });
    sim.flow({ client: '10.20.1.1', server: '8.8.8.8', port: 443, protocol: 'tls' });
    expect(sim.of('segmentation.violation')).toEqual([]);
    const none = new Sim();
    none.flow({ client: '10.20.1.1', server: '10.30.0.5', port: 445 });
    expect(none.of('segmentation.violation')).toEqual([]);
    expect(none.engine.zonePairs()).toEqual([]);
  });

  it('reports observed versus allowed traffic per zone pair: flows, bytes, conduits used, denied services', () => {
    const sim = new Sim({ policyJson: POLICY });
    sim.flow({ client: '10.20.1.1', server: '10.30.0.5', port: 104, protocol: 'dicom', bytes: 1000 });
    sim.flow({ client: '10.20.1.2', server: '10.30.0.5', port: 104, protocol: 'dicom', bytes: 3000 });
    sim.flow({ client: '10.20.1.1', server: '10.30.0.5', port: 445, protocol: 'smb', bytes: 500 });
    sim.flow({ client: '10.20.1.1', server: '10.20.1.9', port: 22, bytes: 10 });
    sim.flow({ client: '10.20.1.1', server: '8.8.8.8', port: 53, transport: 'udp', protocol: 'dns', bytes: 100 });
    expect(sim.engine.zonePairs()).toEqual([
      expect.objectContaining({ from: 'imaging', to: 'pacs', fromSecurityLevel: 2, toSecurityLevel: 3, flows: 3, bytes: 4500, allowedFlows: 2, deniedFlows: 1, allowedBytes: 4000, deniedBytes: 500, conduits: [{ name: 'modality-to-pacs', flows: 2 }], denied: [{ service: 'smb tcp/445', flows: 1, bytes: 500, firstFrame: expect.any(Number) }], protocols: [{ protocol: 'dicom', flows: 2, bytes: 4000 }, { protocol: 'smb', flows: 1, bytes: 500 }] }),
      expect.objectContaining({ from: 'imaging', to: '(internet)', flows: 1, unjudgedFlows: 1 }),
      expect.objectContaining({ from: 'imaging', to: 'imaging', flows: 1, allowedFlows: 1, conduits: [{ name: 'intra-zone', flows: 1 }] }),
    ]);
  });
});
