import { describe, expect, it } from 'vitest';
import { ascii, dissect, flowKey } from '../testing/harness.js';
import { ssdpDissector } from './dissector.js';

const key = flowKey('udp', 1900);

describe('ssdp dissector', () => {
  it('reports device type, UUID, location and product tokens from a NOTIFY', () => {
    const notify = ascii(
      'NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: http://10.3.0.7:49152/desc.xml\r\n' +
        'NT: urn:schemas-upnp-org:device:MediaRenderer:1\r\nNTS: ssdp:alive\r\nSERVER: Linux/4.9 UPnP/1.0 AcmeImaging/7.2\r\n' +
        'USN: uuid:2fac1234-31f8-11b4-a222-08002b34c003::urn:schemas-upnp-org:device:MediaRenderer:1\r\n\r\n',
    );
    const [o] = dissect(ssdpDissector, key, [['c2s', notify]]);
    expect(o?.kind).toBe('ssdp.notify');
    expect(o?.fields).toMatchObject({
      targetType: { kind: 'device', name: 'MediaRenderer' },
      notificationSubType: 'ssdp:alive',
      uuid: '2fac1234-31f8-11b4-a222-08002b34c003',
      location: 'http://10.3.0.7:49152/desc.xml',
      products: [{ name: 'Linux', version: '4.9' }, { name: 'AcmeImaging', version: '7.2' }],
    });
  });

  it('detects M-SEARCH and responses but not plain HTTP', () => {
    expect(ssdpDissector.detect(ascii('M-SEARCH * HTTP/1.1\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n'), 'c2s', key)).toBe('yes');
    expect(ssdpDissector.detect(ascii('HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nUSN: uuid:x\r\n\r\n'), 's2c', key)).toBe('yes');
    expect(ssdpDissector.detect(ascii('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), 's2c', key)).toBe('no');
  });
});
