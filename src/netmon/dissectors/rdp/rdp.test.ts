import { describe, expect, it } from 'vitest';
import { byteByByte, dissect, flowKey } from '../testing/harness.js';
import { rdpConfirm, rdpRequest } from '../testing/tcp.js';
import { rdpDissector } from './dissector.js';

describe('rdp dissector', () => {
  it('reports the cookie user, requested and selected protocols and flags sessions without NLA', () => {
    const key = flowKey('tcp', 3389);
    const obs = dissect(rdpDissector, key, [['c2s', rdpRequest('nurse1', 0x3)], ['s2c', rdpConfirm(0x1)]], byteByByte);
    expect(obs[0]?.fields).toEqual({ cookieUsername: 'nurse1', routingTokenPresent: false, requestedProtocols: ['tls', 'credssp-nla'] });
    expect(obs[1]?.fields).toMatchObject({ selectedProtocol: ['tls'] });
    expect(obs[1]?.findings?.[0]?.code).toBe('rdp.no-nla');
    const legacy = dissect(rdpDissector, key, [['c2s', rdpRequest(undefined, undefined)], ['s2c', rdpConfirm(0)]]);
    expect(legacy[1]?.findings?.[0]).toMatchObject({ code: 'rdp.standard-security', severity: 'high' });
    expect(rdpDissector.detect(rdpRequest('a', 3), 'c2s', key)).toBe('yes');
    expect(rdpDissector.detect(rdpRequest('a', 3), 's2c', key)).toBe('no');
  });
});
