import { describe, expect, it } from 'vitest';
import { dissect, flowKey } from '../testing/harness.js';
import { dhcp } from '../testing/udp.js';
import { dhcpDissector } from './dissector.js';

const key = flowKey('udp', 67, 68);

describe('dhcp dissector', () => {
  it('reports host name, vendor class, client id, FQDN and the parameter request list fingerprint', () => {
    const msg = dhcp({ mac: '00:1f:29:da:2d:79', type: 1, hostname: 'INFUSION-07', vendorClass: 'MSFT 5.0', prl: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252], clientId: Uint8Array.of(1, 0, 0x1f, 0x29, 0xda, 0x2d, 0x79), fqdn: 'infusion-07.ward3.example' });
    const [o] = dissect(dhcpDissector, key, [['c2s', msg]]);
    expect(o?.kind).toBe('dhcp.request');
    expect(o?.fields).toMatchObject({
      messageType: 'DISCOVER',
      clientMac: '00:1f:29:da:2d:79',
      hostname: 'INFUSION-07',
      vendorClass: 'MSFT 5.0',
      clientId: '01:00:1f:29:da:2d:79',
      clientFqdn: 'infusion-07.ward3.example',
      parameterRequestList: '1,3,6,15,31,33,43,44,46,47,119,121,249,252',
      optionOrder: '53,61,12,60,55,81',
      truncatedAt: null,
    });
  });

  it('keeps the options read before an option that overruns the packet and says where', () => {
    const msg = dhcp({ mac: '00:11:22:33:44:55', type: 3, hostname: 'MK03862', vendorClass: 'MSFT 5.0' });
    const cut = msg.subarray(0, msg.length - 4);
    const [o] = dissect(dhcpDissector, key, [['c2s', cut]]);
    expect(o?.fields).toMatchObject({ hostname: 'MK03862', vendorClass: null, truncatedOption: 60, truncatedAt: 240 + 3 + 9 });
  });

  it('rejects a datagram shorter than the BOOTP header with a typed error', () => {
    expect(() => dissect(dhcpDissector, key, [['c2s', new Uint8Array(100)]])).toThrow(expect.objectContaining({ code: 'netmon.dhcp.truncated' }));
  });

  it('detects BOOTP with the DHCP magic cookie only', () => {
    expect(dhcpDissector.detect(dhcp({ mac: '00:11:22:33:44:55', type: 1 }), 'c2s', key)).toBe('yes');
    expect(dhcpDissector.detect(new Uint8Array(300), 'c2s', key)).toBe('no');
  });
});
