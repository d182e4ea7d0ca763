import { describe, expect, it } from 'vitest';
import { concat, dissect, flowKey, u16be } from '../testing/harness.js';
import { dnsMessage, dnsName, rr, txt } from '../testing/udp.js';
import { mdnsDissector } from './dissector.js';

describe('mdns dissector', () => {
  it('extracts device names, services, model and HINFO from mDNS / DNS-SD answers', () => {
    const instance = dnsName('Infusion Pump 7._ipp._tcp.local');
    const msg = dnsMessage({
      id: 0,
      flags: 0x8400,
      answers: [
        rr({ name: dnsName('_ipp._tcp.local'), type: 12, data: instance }),
        rr({ name: instance, type: 33, cls: 0x8001, data: concat(u16be(0), u16be(0), u16be(631), dnsName('pump7.local')) }),
        rr({ name: instance, type: 16, data: txt('txtvers=1', 'ty=Acme Infusion 9000', 'md=AIP-9000') }),
        rr({ name: dnsName('pump7.local'), type: 13, data: txt('ARM', 'ACME-RTOS 4.2') }),
        rr({ name: dnsName('pump7.local'), type: 1, data: Uint8Array.of(10, 3, 0, 7) }),
      ],
    });
    const key = flowKey('udp', 5353, 5353);
    expect(mdnsDissector.detect(msg, 's2c', key)).toBe('yes');
    expect(mdnsDissector.detect(msg, 's2c', flowKey('udp', 53))).toBe('no');
    const [o] = dissect(mdnsDissector, key, [['s2c', msg]]);
    expect(o?.protocol).toBe('mdns');
    expect(o?.fields).toMatchObject({
      deviceNames: ['Infusion Pump 7'],
      services: ['_ipp._tcp'],
      hostnames: ['pump7.local'],
      models: { ty: 'Acme Infusion 9000', md: 'AIP-9000' },
      hinfo: { cpu: 'ARM', os: 'ACME-RTOS 4.2' },
    });
  });
});
