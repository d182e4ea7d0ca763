import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, dissect, flowKey } from '../testing/harness.js';
import { rdpConfirm, rdpRequest, smb1Negotiate, smb2Negotiate } from '../testing/tcp.js';
import { snmp } from '../testing/udp.js';
import { ftpDissector } from './ftp.js';
import { rdpDissector } from './rdp.js';
import { smbDissector } from './smb.js';
import { snmpDissector } from './snmp.js';
import { telnetDissector } from './telnet.js';
import { vncDissector } from './vnc.js';

describe('telnet dissector', () => {
  it('reports telnet at once and the options, banner and prompts at the end, never keystrokes', () => {
    const key = flowKey('tcp', 23);
    const obs = dissect(telnetDissector, key, [
      ['s2c', Uint8Array.of(0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0)],
      ['s2c', ascii('\r\nAcme Ventilator V500 Service Console\r\nlogin: ')],
      ['c2s', ascii('service\r\n')],
      ['s2c', ascii('Password: ')],
      ['c2s', ascii('TopSecret1\r\n')],
    ], byteByByte);
    expect(obs[0]?.findings?.[0]).toMatchObject({ code: 'telnet.present', severity: 'high' });
    expect(obs.at(-1)?.fields).toMatchObject({ options: ['echo', 'terminal-type'], banner: 'Acme Ventilator V500 Service Console', loginPrompt: true, passwordPrompt: true });
    expect(JSON.stringify(obs)).not.toContain('TopSecret1');
    expect(telnetDissector.detect(Uint8Array.of(0xff, 0xfd, 0x18), 's2c', key)).toBe('yes');
    expect(telnetDissector.detect(ascii('hello'), 's2c', key)).toBe('no');
  });
});

describe('ftp dissector', () => {
  it('reports the banner, USER/PASS in cleartext without the password, and the login result', () => {
    const key = flowKey('tcp', 21);
    const obs = dissect(ftpDissector, key, [
      ['s2c', ascii('220 (vsFTPd 3.0.3)\r\n')],
      ['c2s', ascii('USER pacsadmin\r\n')],
      ['s2c', ascii('331 Please specify the password.\r\n')],
      ['c2s', ascii('PASS Winter2024!\r\n')],
      ['s2c', ascii('230 Login successful.\r\n')],
    ], byteByByte);
    expect(obs.map((o) => o.kind)).toEqual(['ftp.banner', 'ftp.credentials', 'ftp.login-result']);
    expect(obs[0]?.fields.banner).toBe('(vsFTPd 3.0.3)');
    expect(obs[1]?.fields).toEqual({ username: 'pacsadmin', passwordLength: 11, anonymous: false });
    expect(obs[1]?.findings?.[0]).toMatchObject({ code: 'ftp.cleartext-credentials', severity: 'high' });
    expect(obs[2]?.fields).toEqual({ username: 'pacsadmin', success: true });
    expect(JSON.stringify(obs)).not.toContain('Winter2024');
  });

  it('stops reading after AUTH TLS is accepted and tells FTP from SMTP greetings', () => {
    const obs = dissect(ftpDissector, flowKey('tcp', 21), [['s2c', ascii('220 FTP ready\r\n')], ['c2s', ascii('AUTH TLS\r\n')], ['s2c', ascii('234 Proceed\r\n')], ['c2s', ascii('\x16\x03\x01USER x\r\nPASS y\r\n')]]);
    expect(obs.map((o) => o.kind)).toEqual(['ftp.banner', 'ftp.auth-tls']);
    expect(ftpDissector.detect(ascii('220 ProFTPD Server ready\r\n'), 's2c', flowKey('tcp', 2100))).toBe('yes');
    expect(ftpDissector.detect(ascii('220 mail.example ESMTP Postfix\r\n'), 's2c', flowKey('tcp', 21))).toBe('no');
    expect(ftpDissector.detect(ascii('220 ready\r\n'), 's2c', flowKey('tcp', 2100))).toBe('no');
  });
});

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
