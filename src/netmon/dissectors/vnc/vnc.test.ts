import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, dissect, flowKey } from '../testing/harness.js';
import { vncDissector } from './dissector.js';

describe('vnc dissector', () => {
  it('reports versions and security types and flags no authentication', () => {
    const key = flowKey('tcp', 5900);
    const obs = dissect(vncDissector, key, [['s2c', ascii('RFB 003.008\n')], ['c2s', ascii('RFB 003.008\n')], ['s2c', Uint8Array.of(2, 1, 2)], ['c2s', Uint8Array.of(1)]], byteByByte);
    expect(obs).toHaveLength(1);
    expect(obs[0]?.fields).toEqual({ serverVersion: '003.008', clientVersion: '003.008', securityTypesOffered: ['none', 'vnc-authentication'], securityTypeChosen: 'none' });
    expect(obs[0]?.findings?.[0]).toMatchObject({ code: 'vnc.no-authentication', severity: 'critical' });
    const v33 = dissect(vncDissector, key, [['s2c', ascii('RFB 003.003\n')], ['c2s', ascii('RFB 003.003\n')], ['s2c', Uint8Array.of(0, 0, 0, 2)]]);
    expect(v33[0]?.findings?.[0]?.code).toBe('vnc.weak-authentication');
    expect(vncDissector.detect(ascii('RFB 003.0'), 's2c', key)).toBe('need-more');
    expect(vncDissector.detect(ascii('RFB 003.008\n'), 's2c', key)).toBe('yes');
  });
});
