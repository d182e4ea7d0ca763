import { describe, expect, it } from 'vitest';
import { byteByByte, dissect, flowKey } from '../testing/harness.js';
import { smb1Negotiate, smb2Negotiate } from '../testing/tcp.js';
import { smbDissector } from './dissector.js';

describe('smb dissector', () => {
  it('flags an SMBv1-only negotiate and reports SMB2 dialect and signing', () => {
    const key = flowKey('tcp', 445);
    const v1 = dissect(smbDissector, key, [['c2s', smb1Negotiate(['PC NETWORK PROGRAM 1.0', 'LANMAN1.0', 'NT LM 0.12'])]]);
    expect(v1[0]?.fields).toMatchObject({ smbVersion: 1, dialects: ['PC NETWORK PROGRAM 1.0', 'LANMAN1.0', 'NT LM 0.12'], smb2Offered: false });
    expect(v1[0]?.findings?.[0]).toMatchObject({ code: 'smb.v1', severity: 'high' });
    const v2 = dissect(smbDissector, key, [
      ['c2s', smb1Negotiate(['NT LM 0.12', 'SMB 2.002', 'SMB 2.???'])],
      ['c2s', smb2Negotiate({ response: false, dialects: [0x0202, 0x0210, 0x0300, 0x0311], securityMode: 1 })],
      ['s2c', smb2Negotiate({ response: true, dialects: [0x0311], securityMode: 1 })],
    ], byteByByte);
    expect(v2.map((o) => o.findings?.[0]?.code ?? null)).toEqual(['smb.v1-offered', null, 'smb.signing-not-required']);
    expect(v2[1]?.fields.dialects).toEqual(['SMB 2.0.2', 'SMB 2.1', 'SMB 3.0', 'SMB 3.1.1']);
    expect(v2[2]?.fields).toMatchObject({ dialect: 'SMB 3.1.1', signingRequired: false });
  });

  it('flags a server that answers in SMBv1', () => {
    const obs = dissect(smbDissector, flowKey('tcp', 445), [['s2c', smb1Negotiate([], true)]]);
    expect(obs[0]).toMatchObject({ kind: 'smb.v1-session', findings: [expect.objectContaining({ code: 'smb.v1' })] });
  });
});
