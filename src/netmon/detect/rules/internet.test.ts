import { describe, expect, it } from 'vitest';
import { Sim } from '../testing.js';

const DEVICES = [
  { ip: '10.1.0.5', criticality: 'life-supporting', name: 'Pump-5', deviceId: 'dev_pump5' },
  { ip: '10.1.0.6', category: 'ct-scanner' },
  { ip: '10.1.0.7', criticality: 'non-clinical' },
];

describe('exposure.internet', () => {
  it('flags a life-supporting device opening a flow to an internet address as high', () => {
    const sim = new Sim({ policyJson: { devices: DEVICES } });
    const s = sim.flow({ client: '10.1.0.5', server: '8.8.8.8', port: 443 });
    expect(sim.of('exposure.internet')).toEqual([
      expect.objectContaining({
        severity: 'high',
        deviceIp: '10.1.0.5',
        deviceId: 'dev_pump5',
        peerIp: '8.8.8.8',
        dedupKey: 'netmon:exposure.internet:dev_pump5:outbound:tcp/443',
        title: 'Pump-5 (10.1.0.5) connects to the internet (8.8.8.8:443)',
        facts: expect.objectContaining({ direction: 'outbound', criticality: 'life-supporting' }),
        evidence: [expect.objectContaining({ kind: 'flow', frame: s.firstFrame })],
      }),
    ]);
  });

  it('rates a device reachable from the internet one step higher (critical for life-supporting)', () => {
    const sim = new Sim({ policyJson: { devices: DEVICES } });
    sim.flow({ client: '203.0.114.9', server: '10.1.0.5', port: 22 });
    expect(sim.of('exposure.internet')).toEqual([expect.objectContaining({ severity: 'critical', facts: expect.objectContaining({ direction: 'inbound', remote: '203.0.114.9' }) })]);
  });

  it('takes the criticality from the device category when none is set (a CT scanner is diagnostic: medium)', () => {
    const sim = new Sim({ policyJson: { devices: DEVICES } });
    sim.flow({ client: '10.1.0.6', server: '2a00:1450:4001::200e', port: 443 });
    expect(sim.of('exposure.internet')).toEqual([expect.objectContaining({ severity: 'medium', facts: expect.objectContaining({ criticality: 'diagnostic' }) })]);
  });

  it('gives devices of unknown criticality a low detection, or none when the policy says ignore', () => {
    const a = new Sim();
    a.flow({ client: '100.67.35.238', server: '51.137.28.239', port: 1883 });
    expect(a.of('exposure.internet')).toEqual([expect.objectContaining({ severity: 'low', explanation: expect.stringContaining('Add the device to the policy device map') })]);
    const b = new Sim({ policyJson: { internet: { unknownCriticality: 'ignore' } } });
    b.flow({ client: '100.67.35.238', server: '51.137.28.239', port: 1883 });
    expect(b.of('exposure.internet')).toEqual([]);
  });

  it('stays quiet for non-clinical devices, internal and multicast peers, and allowed destinations', () => {
    const sim = new Sim({ policyJson: { devices: DEVICES, internet: { allowedDestinations: ['52.10.0.0/16'] } } });
    sim.flow({ client: '10.1.0.7', server: '8.8.8.8', port: 443 });
    sim.flow({ client: '10.1.0.5', server: '10.9.9.9', port: 443 });
    sim.flow({ client: '10.1.0.5', server: '239.255.255.250', port: 1900, transport: 'udp' });
    sim.flow({ client: '10.1.0.5', server: '52.10.3.4', port: 443 });
    sim.flow({ client: '10.1.0.5', server: '192.0.2.1', port: 443 });
    expect(sim.of('exposure.internet')).toEqual([]);
  });

  it('counts a zone marked external as the internet, and public space claimed by an internal zone as internal', () => {
    const sim = new Sim({ policyJson: { devices: DEVICES, zones: [{ name: 'partner', cidrs: ['10.200.0.0/16'], external: true }, { name: 'campus', cidrs: ['130.50.0.0/16'] }] } });
    sim.flow({ client: '10.1.0.5', server: '10.200.1.1', port: 443 });
    sim.flow({ client: '10.1.0.5', server: '130.50.1.1', port: 443 });
    expect(sim.of('exposure.internet').map((d) => d.peerIp)).toEqual(['10.200.1.1']);
  });
});
