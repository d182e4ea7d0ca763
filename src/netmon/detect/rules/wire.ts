/**
 * @module `protocol.insecure` and `credentials.cleartext`: the wire findings the dissectors attach to
 * observations, turned into device detections with a subject (which side is at fault), a dedup key
 * and evidence. Insecure or legacy protocols: Telnet, FTP (without AUTH TLS), SMBv1, SNMP v1/v2c,
 * SSLv3/TLS 1.0/1.1, weak ciphers, expired certificates, RDP standard security and VNC without
 * authentication. Cleartext credentials: FTP USER/PASS, HTTP Basic and bearer tokens, a Telnet
 * login, DICOM user identity passcodes and tokens, MQTT passwords without TLS. Secrets themselves
 * never reach an observation, so never a detection: only user names and lengths.
 */
import type { Observation, WireFinding } from '../../model.js';
import { endpointText, flowEvidence, observationEvidence, type DetectionRule } from '../model.js';
import { deviceLabel, LruMap, sides } from './support.js';

/** Whose problem the finding is: the server's, the observation sender's, or (SNMP) the agent's. */
type Subject = 'server' | 'sender' | 'agent';

const INSECURE: Record<string, { label: string; subject: Subject }> = {
  'telnet.present': { label: 'Telnet', subject: 'server' },
  'smb.v1': { label: 'SMBv1', subject: 'sender' },
  'snmp.community-string': { label: 'SNMP v1/v2c', subject: 'agent' },
  'tls.legacy-version': { label: 'Legacy SSL/TLS version', subject: 'sender' },
  'tls.weak-cipher': { label: 'Weak TLS cipher suite', subject: 'sender' },
  'tls.expired-certificate': { label: 'Expired TLS certificate', subject: 'sender' },
  'rdp.standard-security': { label: 'RDP standard security', subject: 'server' },
  'vnc.no-authentication': { label: 'VNC without authentication', subject: 'server' },
};

const CREDENTIALS: Record<string, { label: string; applies: (o: Observation) => boolean }> = {
  'ftp.cleartext-credentials': { label: 'FTP USER/PASS', applies: (o) => o.fields.anonymous !== true },
  'http.basic-auth-cleartext': { label: 'HTTP Basic credentials', applies: () => true },
  'http.bearer-token-cleartext': { label: 'HTTP bearer token', applies: () => true },
  'dicom.cleartext-credentials': { label: 'DICOM user identity passcode', applies: () => true },
  'dicom.cleartext-token': { label: 'DICOM user identity token', applies: () => true },
  'mqtt.cleartext-credentials': { label: 'MQTT password', applies: (o) => o.fields.passwordPresent === true },
};

function usernameOf(o: Observation): string | undefined {
  const f = o.fields;
  if (typeof f.username === 'string' && f.username.length > 0) return f.username;
  const id = f.userIdentity;
  if (id && typeof id === 'object' && typeof (id as Record<string, unknown>).username === 'string') return (id as Record<string, string>).username;
  return undefined;
}

export const insecureProtocolRule: DetectionRule = {
  id: 'protocol.insecure',
  version: '1.0.0',
  category: 'insecure-protocol',
  title: 'Insecure or legacy protocol in use',
  description:
    'Telnet, FTP without AUTH TLS, SMBv1, SNMP v1/v2c community strings, SSLv3/TLS 1.0/1.1, weak cipher suites, expired certificates, RDP standard security, VNC without authentication. Severity is the wire finding\'s (see docs/netmon-dissectors.md).',
  params: [],
  create(ctx) {
    // FTP is judged when the flow ends: AUTH TLS may follow the cleartext banner
    const ftpTls = new LruMap<number, true>(4096);
    return {
      onObservation({ observation: o, flowId }) {
        if (o.kind === 'ftp.auth-tls' && flowId !== undefined) ftpTls.set(flowId, true);
        const s = sides(o);
        if (!s || !o.findings) return;
        for (const f of o.findings) {
          const m = INSECURE[f.code];
          if (!m) continue;
          let isServer = m.subject === 'server' || (m.subject === 'agent' ? s.key.server.port !== 162 : o.dir === 's2c');
          // an internet server with a weak cipher is nobody's device here: the internal side that used it is
          if (!ctx.topology.info(isServer ? s.key.server.ip : s.key.client.ip).internal && ctx.topology.info(isServer ? s.key.client.ip : s.key.server.ip).internal) isServer = !isServer;
          const device = isServer ? s.key.server.ip : s.key.client.ip;
          const peer = isServer ? s.key.client.ip : s.key.server.ip;
          const service = `${s.key.transport}/${s.key.server.port}`;
          ctx.emit({
            severity: f.severity,
            dedupSuffix: `${f.code}:${isServer ? service : 'client'}`,
            deviceIp: device,
            peerIp: peer,
            ts: o.ts,
            frame: o.frame,
            evidence: [observationEvidence(ctx.source, o, flowId, f.message)],
            describe: () => ({
              title: isServer ? `${m.label} on ${deviceLabel(ctx.topology, device)} (${service})` : `${m.label} used by ${deviceLabel(ctx.topology, device)} with ${endpointText(s.key.server.ip, s.key.server.port)}`,
              explanation: `${f.message}. Seen on ${s.key.client.ip}:${s.key.client.port} -> ${endpointText(s.key.server.ip, s.key.server.port)}.`,
              facts: { finding: f.code, protocol: o.protocol, role: isServer ? 'server' : 'client', service },
            }),
          });
        }
      },
      onFlowEnd({ summary: s, protocol }) {
        if (protocol !== 'ftp') return;
        if (ftpTls.delete(s.id)) return;
        const service = `${s.key.transport}/${s.key.server.port}`;
        ctx.emit({
          severity: 'medium',
          dedupSuffix: `ftp.cleartext:${service}`,
          deviceIp: s.key.server.ip,
          peerIp: s.key.client.ip,
          ts: s.firstTs,
          frame: s.firstFrame,
          evidence: [flowEvidence(ctx.source, s.id, s.firstFrame, s.firstTs, `FTP ${s.key.client.ip} -> ${service}`)],
          describe: () => ({
            title: `FTP without TLS on ${deviceLabel(ctx.topology, s.key.server.ip)} (${service})`,
            explanation: `${s.key.client.ip} used FTP on ${endpointText(s.key.server.ip, s.key.server.port)} without AUTH TLS: commands, file names and contents cross in cleartext.`,
            facts: { finding: 'ftp.cleartext', protocol: 'ftp', role: 'server', service },
          }),
        });
      },
      stats: () => ({ ftpTlsFlowsHeld: ftpTls.size }),
    };
  },
};

export const cleartextCredentialsRule: DetectionRule = {
  id: 'credentials.cleartext',
  version: '1.0.0',
  category: 'credentials',
  title: 'Credentials sent in cleartext',
  description:
    'FTP USER/PASS (not anonymous), HTTP Basic credentials or bearer tokens, a Telnet login prompt answered, DICOM user identity with passcode or token, MQTT CONNECT with a password, all without TLS. The detection is about the client whose credentials can be read off the wire.',
  params: [],
  create(ctx) {
    const raise = (o: Observation, flowId: number | undefined, label: string, code: string, f: WireFinding) => {
      const s = sides(o);
      if (!s) return;
      const client = s.key.client.ip;
      const user = usernameOf(o);
      const server = endpointText(s.key.server.ip, s.key.server.port);
      ctx.emit({
        severity: f.severity,
        dedupSuffix: `${code}:${s.key.server.ip}:${s.key.server.port}:${user ?? '-'}`,
        deviceIp: client,
        peerIp: s.key.server.ip,
        ts: o.ts,
        frame: o.frame,
        evidence: [observationEvidence(ctx.source, o, flowId, f.message)],
        describe: () => ({
          title: `${label} sent in cleartext by ${deviceLabel(ctx.topology, client)} to ${server}${user ? ` (user "${user}")` : ''}`,
          explanation: `${f.message}. Anyone on the path between ${client} and ${server} can read and replay them; move the service to TLS and change the credentials.`,
          facts: { finding: code, protocol: o.protocol, server, username: user ?? null },
        }),
      });
    };
    return {
      onObservation({ observation: o, flowId }) {
        if (o.kind === 'telnet.summary' && (o.fields.loginPrompt === true || o.fields.passwordPrompt === true)) {
          raise(o, flowId, 'Telnet login', 'telnet.login', { code: 'telnet.login', severity: 'high', message: 'A Telnet server prompted for a login: user name and password are typed in cleartext' });
          return;
        }
        for (const f of o.findings ?? []) {
          const m = CREDENTIALS[f.code];
          if (m && m.applies(o)) raise(o, flowId, m.label, f.code, f);
        }
      },
    };
  },
};
