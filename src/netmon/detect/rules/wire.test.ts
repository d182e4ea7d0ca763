import { describe, expect, it } from 'vitest';
import type { Severity } from '../../model.js';
import { Sim } from '../testing.js';

const finding = (code: string, severity: Severity = 'high') => [{ code, severity, message: `${code} message` }];

describe('protocol.insecure', () => {
  it('flags Telnet on the server, with its port in the dedup key', () => {
    const sim = new Sim();
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 23 });
    sim.observe(f.key, f.id, { kind: 'telnet.present', dir: 'c2s', findings: finding('telnet.present') });
    expect(sim.of('protocol.insecure')).toEqual([expect.objectContaining({ deviceIp: '10.0.0.9', peerIp: '10.0.0.5', severity: 'high', title: 'Telnet on 10.0.0.9 (tcp/23)', dedupKey: 'netmon:protocol.insecure:10.0.0.9:telnet.present:tcp/23' })]);
  });

  it('attributes SMBv1, legacy TLS and weak ciphers to the side that sent them', () => {
    const sim = new Sim();
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 445 });
    sim.observe(f.key, f.id, { kind: 'smb.negotiate-request', dir: 'c2s', findings: finding('smb.v1') });
    const t = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 443 });
    sim.observe(t.key, t.id, { kind: 'tls.server-hello', dir: 's2c', findings: [...finding('tls.legacy-version', 'medium'), ...finding('tls.weak-cipher', 'critical')] });
    expect(sim.of('protocol.insecure').map((d) => [d.facts.finding, d.deviceIp, d.facts.role, d.severity])).toEqual([
      ['tls.weak-cipher', '10.0.0.9', 'server', 'critical'],
      ['smb.v1', '10.0.0.5', 'client', 'high'],
      ['tls.legacy-version', '10.0.0.9', 'server', 'medium'],
    ]);
  });

  it('puts an internet server\'s weak TLS on the internal client that used it', () => {
    const sim = new Sim();
    const t = sim.open({ client: '172.31.3.224', server: '216.58.212.100', port: 443 });
    sim.observe(t.key, t.id, { kind: 'tls.server-hello', dir: 's2c', findings: finding('tls.weak-cipher') });
    expect(sim.of('protocol.insecure')).toEqual([expect.objectContaining({ deviceIp: '172.31.3.224', peerIp: '216.58.212.100', title: 'Weak TLS cipher suite used by 172.31.3.224 with 216.58.212.100:443' })]);
  });

  it('puts SNMP v1/v2c on the agent: the server of a query, the sender of a trap', () => {
    const sim = new Sim();
    const q = sim.open({ client: '10.0.0.2', server: '10.0.0.50', port: 161, transport: 'udp' });
    sim.observe(q.key, q.id, { kind: 'snmp.message', dir: 'c2s', findings: finding('snmp.community-string', 'medium') });
    const trap = sim.open({ client: '10.0.0.51', server: '10.0.0.2', port: 162, transport: 'udp' });
    sim.observe(trap.key, trap.id, { kind: 'snmp.message', dir: 'c2s', findings: finding('snmp.community-string', 'medium') });
    expect(sim.of('protocol.insecure').map((d) => d.deviceIp)).toEqual(['10.0.0.50', '10.0.0.51']);
  });

  it('flags FTP without AUTH TLS when the flow ends, and not FTP that switched to TLS', () => {
    const sim = new Sim();
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 21, protocol: 'ftp' });
    const tls = sim.open({ client: '10.0.0.6', server: '10.0.0.8', port: 21, protocol: 'ftp' });
    sim.observe(tls.key, tls.id, { kind: 'ftp.auth-tls', dir: 's2c', fields: { accepted: true } });
    tls.end();
    expect(sim.of('protocol.insecure')).toEqual([expect.objectContaining({ deviceIp: '10.0.0.9', severity: 'medium', facts: expect.objectContaining({ finding: 'ftp.cleartext' }) })]);
  });

  it('ignores findings it does not map (self-signed certificates, MQTT without TLS) and observations without findings', () => {
    const sim = new Sim();
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 443 });
    sim.observe(f.key, f.id, { kind: 'tls.certificate', dir: 's2c', findings: finding('tls.self-signed-certificate', 'low') });
    sim.observe(f.key, f.id, { kind: 'mqtt.connect', findings: finding('mqtt.no-tls', 'medium') });
    sim.observe(f.key, f.id, { kind: 'tls.client-hello' });
    expect(sim.of('protocol.insecure')).toEqual([]);
  });
});

describe('credentials.cleartext', () => {
  it.each([
    ['ftp.credentials', 'ftp.cleartext-credentials', { username: 'admin', passwordLength: 6, anonymous: false }, 'FTP USER/PASS sent in cleartext by 10.0.0.5 to 10.0.0.9:21 (user "admin")'],
    ['http.request', 'http.basic-auth-cleartext', { username: 'biomed' }, 'HTTP Basic credentials sent in cleartext by 10.0.0.5 to 10.0.0.9:21 (user "biomed")'],
    ['dicom.associate-rq', 'dicom.cleartext-credentials', { userIdentity: { type: 2, username: 'tech' } }, 'DICOM user identity passcode sent in cleartext by 10.0.0.5 to 10.0.0.9:21 (user "tech")'],
    ['mqtt.connect', 'mqtt.cleartext-credentials', { username: 'pump', passwordPresent: true }, 'MQTT password sent in cleartext by 10.0.0.5 to 10.0.0.9:21 (user "pump")'],
  ])('flags %s carrying %s on the client, with the user name', (kind, code, fields, title) => {
    const sim = new Sim();
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 21 });
    sim.observe(f.key, f.id, { kind, fields, findings: finding(code) });
    expect(sim.of('credentials.cleartext')).toEqual([expect.objectContaining({ deviceIp: '10.0.0.5', peerIp: '10.0.0.9', title, severity: 'high', facts: expect.objectContaining({ finding: code }) })]);
  });

  it('flags a Telnet session that showed a login prompt', () => {
    const sim = new Sim();
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 23 });
    sim.observe(f.key, f.id, { kind: 'telnet.summary', fields: { loginPrompt: true, passwordPrompt: true } });
    expect(sim.of('credentials.cleartext')).toEqual([expect.objectContaining({ deviceIp: '10.0.0.5', facts: expect.objectContaining({ finding: 'telnet.login' }) })]);
  });

  it('ignores anonymous FTP, an MQTT user name without password and a Telnet session without prompts', () => {
    const sim = new Sim();
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 21 });
    sim.observe(f.key, f.id, { kind: 'ftp.credentials', fields: { username: 'anonymous', anonymous: true }, findings: finding('ftp.cleartext-credentials', 'low') });
    sim.observe(f.key, f.id, { kind: 'mqtt.connect', fields: { username: 'x', passwordPresent: false }, findings: finding('mqtt.cleartext-credentials', 'medium') });
    sim.observe(f.key, f.id, { kind: 'telnet.summary', fields: { loginPrompt: false, passwordPrompt: false } });
    expect(sim.of('credentials.cleartext')).toEqual([]);
  });

  it('keeps one detection per client, server and user, folding repeats', () => {
    const sim = new Sim();
    for (let i = 0; i < 3; i++) {
      const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 21 });
      sim.observe(f.key, f.id, { kind: 'ftp.credentials', fields: { username: i < 2 ? 'a' : 'b' }, findings: finding('ftp.cleartext-credentials') });
    }
    expect(sim.of('credentials.cleartext').map((d) => [d.facts.username, d.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
