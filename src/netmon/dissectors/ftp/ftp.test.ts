import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, dissect, flowKey } from '../testing/harness.js';
import { ftpDissector } from './dissector.js';

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
