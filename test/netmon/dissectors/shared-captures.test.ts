/**
 * The public captures in ../shared/data/pcap dissected through the real capture pipeline and compared
 * field by field with tshark's reading of the same packets.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/netmon/model.js';
import { byKind, dissectCapture, hasTool, inCi, sharedDataDir, sharedDataPresent, tsharkFields, type DissectedCapture } from './support/dissect-capture.js';

const missing = [...(sharedDataPresent() ? [] : [`shared data at ${sharedDataDir}`]), ...(hasTool('tshark') ? [] : ['tshark'])];
if (missing.length > 0 && !inCi) console.warn(`skipping shared-capture dissector tests: missing ${missing.join(', ')}`);

const pcap = (name: string) => path.join(sharedDataDir, 'pcap', name);
const runs = new Map<string, DissectedCapture>();
const obs = (name: string): Observation[] => runs.get(name)?.observations ?? [];

describe.skipIf(missing.length > 0 && !inCi)('dissectors on the shared captures, compared with tshark', () => {
  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`CI requires ${missing.join(', ')}`);
    for (const name of ['dicom-dcmtk-loopback.pcap', 'hl7.pcap', 'mqtt.pcap', 'google_ssl.pcap', 'dhcp-fuzz.pcapng', 'http.pcapng']) runs.set(name, await dissectCapture(pcap(name)));
  });

  it('classifies every flow with payload by content, without consumer errors or malformed PDUs', () => {
    for (const [name, run] of runs) {
      expect(run.consumerErrors, name).toBe(0);
      expect(run.observations.filter((o) => /malformed|dissector-fault/.test(o.kind)), name).toEqual([]);
    }
    expect(runs.get('hl7.pcap')?.flows.map((f) => f.dispatcher.producer)).toEqual(['hl7@1.3.0']);
    expect(runs.get('mqtt.pcap')?.flows.map((f) => f.dispatcher.producer)).toEqual(['mqtt@1.3.0', 'mqtt@1.3.0']);
  });

  it('reads the same DICOM AE titles, version names and proposed SOP classes as tshark', () => {
    const file = pcap('dicom-dcmtk-loopback.pcap');
    const expected = tsharkFields(file, ['-d', 'tcp.port==11112,dicom', '-Y', 'dicom.pdu.type==1', '-e', 'dicom.assoc.ae.calling', '-e', 'dicom.assoc.ae.called', '-e', 'dicom.userinfo.version', '-e', 'dicom.pctx.abss.syntax']).map(
      ([calling, called, version, syntaxes]) => ({
        callingAe: calling?.trim(),
        calledAe: called?.trim(),
        implementationVersionName: version,
        abstractSyntaxes: [...(syntaxes ?? '').matchAll(/\(([\d.]+)\)/g)].map((m) => m[1]),
      }),
    );
    const ours = byKind(obs('dicom-dcmtk-loopback.pcap'), 'dicom.associate-rq').map((o) => ({
      callingAe: o.fields.callingAe,
      calledAe: o.fields.calledAe,
      implementationVersionName: o.fields.implementationVersionName,
      abstractSyntaxes: (o.fields.presentationContexts as { abstractSyntax: string }[]).map((c) => c.abstractSyntax),
    }));
    expect(expected).toHaveLength(3);
    expect(ours).toEqual(expected);
    expect(byKind(obs('dicom-dcmtk-loopback.pcap'), 'dicom.associate-rq')[0]?.fields.software).toEqual({ product: 'dcmtk', version: '3.6.7', source: 'implementation-version-name' });
  });

  it('names the same DIMSE commands in the same frames as tshark', () => {
    const file = pcap('dicom-dcmtk-loopback.pcap');
    const expected = tsharkFields(file, ['-d', 'tcp.port==11112,dicom', '-Y', 'dicom', '-e', 'frame.number', '-e', '_ws.col.Info'])
      .flatMap(([frame, info]) => [...(info ?? '').matchAll(/\b([CN]-[A-Z-]+-(?:RQ|RSP))\b/g)].map((m) => `${frame} ${m[1]}`));
    const ours = byKind(obs('dicom-dcmtk-loopback.pcap'), 'dicom.dimse').map((o) => `${o.frame} ${o.fields.command}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(ours).toEqual(expected);
  });

  it('reads the same HL7 MSH fields as tshark for HL7 on non-standard port 6661', () => {
    const file = pcap('hl7.pcap');
    const expected = tsharkFields(file, ['-d', 'tcp.port==6661,hl7', '-Y', 'hl7.message.type', '-e', 'ip.src', '-e', 'hl7.segment']).map(([src, segments]) => {
      const msh = (segments ?? '').split(',')[0]?.replace(/\\r$/, '').split('|') ?? [];
      return { src, sendingApplication: msh[2], sendingFacility: msh[3], receivingApplication: msh[4], receivingFacility: msh[5], type: msh[8], controlId: msh[9], version: msh[11] };
    });
    const ours = byKind(obs('hl7.pcap'), 'hl7.message').map((o) => ({
      src: o.dir === 'c2s' ? o.flow?.client.ip : o.flow?.server.ip,
      sendingApplication: o.fields.sendingApplication,
      sendingFacility: o.fields.sendingFacility,
      receivingApplication: o.fields.receivingApplication,
      receivingFacility: o.fields.receivingFacility,
      type: [o.fields.messageType, o.fields.triggerEvent].filter((x) => x !== null).join('^'),
      controlId: o.fields.controlId,
      version: o.fields.version,
    }));
    expect(expected).toHaveLength(2);
    expect(ours).toEqual(expected);
    expect(byKind(obs('hl7.pcap'), 'hl7.message')[0]?.findings?.map((f) => f.code)).toEqual(['hl7.cleartext-phi']);
    expect(byKind(obs('hl7.pcap'), 'hl7.message')[1]?.fields.ackCode).toBe('AA');
  });

  it('reads the same MQTT client ids, user names, topics and VLAN as tshark (pcapng, VLAN-tagged, mid-handshake)', () => {
    const file = pcap('mqtt.pcap');
    const rows = tsharkFields(file, ['-Y', 'mqtt', '-e', 'mqtt.msgtype', '-e', 'mqtt.clientid', '-e', 'mqtt.username', '-e', 'mqtt.topic', '-e', 'vlan.id']);
    const connects = rows.filter((r) => r[0] === '1').map((r) => ({ clientId: r[1], username: r[2], vlan: r[4] || undefined }));
    const topics = [...new Set(rows.filter((r) => r[0] === '3' || r[0] === '8').map((r) => r[3]))].sort();
    const ours = byKind(obs('mqtt.pcap'), 'mqtt.connect').map((o) => ({ clientId: o.fields.clientId, username: o.fields.username, vlan: o.flow?.vlan?.join('.') }));
    expect(ours).toEqual(connects);
    const ourTopics = [
      ...byKind(obs('mqtt.pcap'), 'mqtt.publish').map((o) => o.fields.topic),
      ...byKind(obs('mqtt.pcap'), 'mqtt.subscribe').flatMap((o) => (o.fields.topics as { filter: string }[]).map((t) => t.filter)),
    ];
    expect([...new Set(ourTopics)].sort()).toEqual(topics);
    for (const c of byKind(obs('mqtt.pcap'), 'mqtt.connect')) {
      expect(c.findings?.map((f) => f.code)).toEqual(['mqtt.no-tls', 'mqtt.cleartext-credentials']);
      expect(JSON.stringify(c)).not.toContain('SharedAccessSignature');
    }
  });

  it('reads the same TLS server hello, JA3S and certificate names as tshark on one-sided, out-of-order TLS', () => {
    const file = pcap('google_ssl.pcap');
    const sh = tsharkFields(file, ['-o', 'tcp.reassemble_out_of_order:TRUE', '-Y', 'tls.handshake.type==2', '-e', 'tls.handshake.ciphersuite', '-e', 'tls.handshake.ja3s', '-e', 'tls.handshake.extensions_server_name']);
    const sans = tsharkFields(file, ['-o', 'tcp.reassemble_out_of_order:TRUE', '-Y', 'tls.handshake.type==11', '-e', 'x509ce.dNSName']);
    const server = byKind(obs('google_ssl.pcap'), 'tls.server-hello')[0];
    expect(sh).toHaveLength(1);
    expect(`0x${(server?.fields.cipherSuite as { code: string }).code}`).toBe(sh[0]?.[0]);
    expect(server?.fields.ja3s).toBe(sh[0]?.[1]);
    expect(server?.findings?.map((f) => f.code)).toEqual(['tls.legacy-version', 'tls.weak-cipher']);
    const cert = byKind(obs('google_ssl.pcap'), 'tls.certificate')[0];
    const chain = cert?.fields.chain as { subjectCN: string; subjectAltNames: string[]; notAfter: string }[];
    expect(chain[0]?.subjectAltNames.map((s) => s.replace(/^DNS:/, ''))).toEqual(sans[0]?.[0]?.split(','));
    expect(chain.map((c) => c.subjectCN)).toEqual(['www.google.com', 'Google Internet Authority G2', 'GeoTrust Global CA']);
    // valid on the day of the capture (2015-06-16): expiry is judged at capture time
    expect(cert?.findings).toBeUndefined();
    const client = byKind(obs('google_ssl.pcap'), 'tls.client-hello')[0];
    // tshark has no SNI or JA3 for an SSLv2-compatible hello either
    expect(tsharkFields(file, ['-Y', 'frame.number==4', '-e', 'tls.handshake.extensions_server_name', '-e', 'tls.handshake.ja3'])).toEqual([['', '']]);
    expect(client?.fields).toMatchObject({ format: 'sslv2-compatible', sni: null, ja3: null, maxVersion: 'TLSv1.0' });
  });

  it('reads the DHCP host name and client MAC of a fuzzed packet like tshark and reports where options break', () => {
    const file = pcap('dhcp-fuzz.pcapng');
    const [row] = tsharkFields(file, ['-e', 'dhcp.option.hostname', '-e', 'dhcp.hw.mac_addr', '-e', 'dhcp.option.vendor_class_id', '-e', 'dhcp.option.request_list_item']);
    const [o] = byKind(obs('dhcp-fuzz.pcapng'), 'dhcp.request');
    expect(o?.fields.hostname).toBe(row?.[0]);
    expect(row?.[1]?.split(',')).toEqual([o?.fields.clientMac, (o?.fields.clientId as string).replace(/^01:/, '')]);
    // tshark stops at the malformed vendor class option too: neither side reports option 60 or 55
    expect([o?.fields.vendorClass ?? '', o?.fields.parameterRequestList ?? '']).toEqual([row?.[2], row?.[3]]);
    expect(o?.fields).toMatchObject({ messageTypeCode: 106, truncatedOption: 60 });
  });

  it('reads the same HTTP host, user agent and server as tshark from a nanosecond pcapng', () => {
    const file = pcap('http.pcapng');
    const rows = tsharkFields(file, ['-Y', 'http', '-e', 'http.host', '-e', 'http.user_agent', '-e', 'http.server']);
    const [req] = byKind(obs('http.pcapng'), 'http.request');
    const [res] = byKind(obs('http.pcapng'), 'http.response');
    expect([req?.fields.host, req?.fields.userAgent]).toEqual(rows[0]?.slice(0, 2));
    expect(res?.fields.server).toBe(rows[1]?.[2]);
  });
});
