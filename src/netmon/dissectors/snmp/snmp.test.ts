import { describe, expect, it } from 'vitest';
import { dissect, flowKey } from '../testing/harness.js';
import { snmp } from '../testing/udp.js';
import { snmpDissector } from './dissector.js';

describe('snmp dissector', () => {
  it('records community presence and length, never its value, and system identity from responses', () => {
    const key = flowKey('udp', 161);
    const obs = dissect(snmpDissector, key, [
      ['c2s', snmp({ version: 1, community: 'public', pdu: 0xa0, requestId: 42, varbinds: [{ oid: '1.3.6.1.2.1.1.1.0' }, { oid: '1.3.6.1.2.1.1.5.0' }] })],
      ['s2c', snmp({ version: 1, community: 'public', pdu: 0xa2, requestId: 42, varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: 'Acme Patient Monitor PM-8 fw 2.4.1' }, { oid: '1.3.6.1.2.1.1.5.0', value: 'icu-bed-4' }] })],
    ]);
    expect(obs[0]?.fields).toMatchObject({ version: 'v2c', pduType: 'get-request', requestId: 42, communityLength: 6, communityIsDefault: true, oids: ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.5.0'] });
    expect(obs[1]?.fields.system).toEqual({ sysDescr: 'Acme Patient Monitor PM-8 fw 2.4.1', sysName: 'icu-bed-4' });
    expect(obs[0]?.findings?.[0]).toMatchObject({ code: 'snmp.community-string', severity: 'high' });
    expect(JSON.stringify(obs)).not.toContain('public');
    expect(snmpDissector.detect(snmp({ version: 0, community: 'x', pdu: 0xa1, requestId: 1, varbinds: [] }), 'c2s', key)).toBe('yes');
  });

  it('rejects indefinite BER lengths with a typed error', () => {
    expect(() => dissect(snmpDissector, flowKey('udp', 161), [['c2s', Uint8Array.of(0x30, 0x80, 2, 1, 1, 0, 0)]])).toThrow(expect.objectContaining({ code: 'netmon.snmp.bad-ber' }));
  });
});
