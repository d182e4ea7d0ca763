/**
 * Real peers on loopback (DCMTK including dcmqrscp query/retrieve, an MLLP sender, Mosquitto clients, openssl s_client/s_server, node HTTP)
 * captured with tcpdump during the test run, dissected through the real capture pipeline, and checked
 * against what was sent and against tshark's reading of the same capture.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/netmon/model.js';
import { generateLoopbackCaptures, GUESSED_AE_TITLES, missingPrerequisites, type LoopbackCaptures } from '../../fixtures/netmon/loopback-captures.js';
import { analyzeCapture } from '../../../src/netmon/report.js';
import { byKind, dissectCapture, inCi, onPort, tsharkFields } from './support/dissect-capture.js';

const missing = await missingPrerequisites();
if (missing.length > 0 && !inCi) console.warn(`skipping loopback capture tests: missing ${missing.join(', ')}`);

let dir = '';
let cap: LoopbackCaptures;
let all: Observation[] = [];
const codes = (o: Observation | undefined) => (o?.findings ?? []).map((f) => f.code);
/** tshark decodes DICOM only on the ports it is told */
const dicomPorts = () => [cap.ports.dicom, cap.ports.dicomRefused, cap.ports.dicomQr].flatMap((p) => ['-d', `tcp.port==${p},dicom`]);
/** the observations of the flow `one` belongs to */
function flowOf(obs: readonly Observation[], one: Observation | undefined): Observation[] {
  expect(one).toBeDefined();
  return obs.filter((o) => o.flow?.client.port === one?.flow?.client.port && o.flow?.server.port === one?.flow?.server.port);
}
const association = (obs: readonly Observation[], match: (rq: Observation) => boolean) => flowOf(obs, byKind(obs, 'dicom.associate-rq').find(match));
const commandWith = (obs: readonly Observation[], field: string, value: unknown) => byKind(obs, 'dicom.dimse').find((o) => o.fields[field] === value);
const dimse = (obs: readonly Observation[]) => byKind(obs, 'dicom.dimse').map((o) => o.fields);

describe.skipIf(missing.length > 0 && !inCi)('dissectors on real loopback traffic', () => {
  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`CI requires ${missing.join(', ')}`);
    dir = mkdtempSync(path.join(tmpdir(), 'careguard-dissectors-'));
    cap = await generateLoopbackCaptures(dir);
    const run = await dissectCapture(cap.pcap);
    expect(run.consumerErrors).toBe(0);
    all = run.observations;
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dissects every flow without malformed PDUs and never records a password, passcode or secret', () => {
    expect(all.filter((o) => /malformed|dissector-fault/.test(o.kind))).toEqual([]);
    const text = JSON.stringify(all);
    for (const secret of cap.secrets) expect(text).not.toContain(secret);
  });

  it('reports a DCMTK C-ECHO association with AE titles, software fingerprint and a successful echo', () => {
    const dicom = onPort(all, cap.ports.dicom);
    const echo = byKind(dicom, 'dicom.associate-rq').find((o) => o.fields.callingAe === 'INFUSION_PUMP1');
    expect(echo?.fields).toMatchObject({ calledAe: 'PACS_SCP', software: { product: 'dcmtk', version: '3.6.7' }, userIdentity: null });
    const flow = dicom.filter((o) => o.flow?.client.port === echo?.flow?.client.port);
    expect(flow.map((o) => o.kind)).toEqual(['dicom.associate-rq', 'dicom.associate-ac', 'dicom.dimse', 'dicom.dimse', 'dicom.release-rq', 'dicom.release-rp', 'dicom.association-summary']);
    expect(byKind(flow, 'dicom.dimse').map((o) => [o.fields.command, o.fields.statusCategory])).toEqual([['C-ECHO-RQ', null], ['C-ECHO-RSP', 'success']]);
  });

  it('flags DCMTK user identity with a passcode and reports the CT C-STORE with its status', () => {
    const dicom = onPort(all, cap.ports.dicom);
    const rq = byKind(dicom, 'dicom.associate-rq').find((o) => o.fields.callingAe === 'CT_SCANNER1');
    expect(rq?.fields.userIdentity).toMatchObject({ typeName: 'username-and-passcode', username: 'radtech', passcodePresent: true, passcodeLength: (cap.secrets[0] as string).length });
    expect(codes(rq)).toEqual(['dicom.cleartext-credentials']);
    const flow = dicom.filter((o) => o.flow?.client.port === rq?.flow?.client.port);
    expect(byKind(flow, 'dicom.associate-ac')[0]?.fields.acceptedContextCount).toBeGreaterThan(0);
    expect(byKind(flow, 'dicom.dimse').map((o) => [o.fields.command, o.fields.sopClassName, o.fields.statusCategory])).toEqual([
      ['C-STORE-RQ', 'CT Image Storage', null],
      ['C-STORE-RSP', 'CT Image Storage', 'success'],
    ]);
    expect(codes(byKind(flow, 'dicom.data-set')[0])).toEqual(['dicom.cleartext-phi']);
  });

  it('reports the called AE titles dcmqrscp does not serve as rejected, and the guessing as a detection', async () => {
    const guesses = byKind(onPort(all, cap.ports.dicomQr), 'dicom.associate-rq').filter((o) => o.fields.callingAe === 'GUESSER');
    expect(guesses.map((o) => o.fields.calledAe)).toEqual(GUESSED_AE_TITLES);
    for (const rq of guesses) {
      expect(byKind(flowOf(all, rq), 'dicom.associate-rj').map((o) => o.fields)).toEqual([expect.objectContaining({ sourceName: 'service-user', reasonName: 'called-AE-title-not-recognized' })]);
    }
    const report = await analyzeCapture(cap.pcap);
    const found = (report.detections ?? []).filter((d) => d.rule === 'dicom.ae-title-guessing');
    expect(found).toEqual([expect.objectContaining({ severity: 'high', deviceIp: '127.0.0.1', facts: expect.objectContaining({ distinct: 5, scp: `127.0.0.1:${cap.ports.dicomQr}` }) })]);
  });

  it('reports the association storescp --refuse rejected', () => {
    const rj = byKind(onPort(all, cap.ports.dicomRefused), 'dicom.associate-rj');
    expect(rj.map((o) => o.fields)).toEqual([expect.objectContaining({ accepted: false, resultName: 'rejected-permanent', sourceName: 'service-user' })]);
  });

  it('matches tshark on the DICOM AE titles of the generated capture', () => {
    const rows = tsharkFields(cap.pcap, [...dicomPorts(), '-Y', 'dicom.pdu.type==1', '-e', 'dicom.assoc.ae.calling', '-e', 'dicom.assoc.ae.called']);
    const ours = byKind(all, 'dicom.associate-rq').map((o) => [o.fields.callingAe, o.fields.calledAe]);
    expect(ours).toEqual(rows.map((r) => r.map((v) => v.trim())));
  });

  it('reports a findscu C-FIND against dcmqrscp: one pending match, then success', () => {
    const flow = association(onPort(all, cap.ports.dicomQr), (o) => o.fields.callingAe === 'FIND_SCU');
    expect(dimse(flow)).toEqual([
      expect.objectContaining({ command: 'C-FIND-RQ', sopClassName: 'Study Root Query/Retrieve - FIND', priorityName: 'medium', dataSetPresent: true }),
      expect.objectContaining({ command: 'C-FIND-RSP', statusCategory: 'pending', dataSetPresent: true }),
      expect.objectContaining({ command: 'C-FIND-RSP', statusCategory: 'success', dataSetPresent: false }),
    ]);
  });

  it('reports a movescu C-MOVE with its destination and counts, and the C-STORE it caused naming the originator', () => {
    const qr = onPort(all, cap.ports.dicomQr);
    const [rq, ...rsps] = dimse(flowOf(qr, commandWith(qr, 'moveDestination', 'PACS_SCP')));
    expect(rq).toMatchObject({ command: 'C-MOVE-RQ', sopClassName: 'Study Root Query/Retrieve - MOVE', moveDestination: 'PACS_SCP' });
    // one CT image in the archive: one sub-operation, completed
    expect(rsps.at(-1)).toMatchObject({
      command: 'C-MOVE-RSP', statusCategory: 'success', statusName: 'Sub-operations Complete - No Failures', subOperations: expect.objectContaining({ completed: 1, failed: 0, warning: 0 }),
    });
    const store = association(onPort(all, cap.ports.dicom), (o) => o.fields.callingAe === 'PACS_QR');
    expect(dimse(store)[0]).toMatchObject({ command: 'C-STORE-RQ', sopClassName: 'CT Image Storage', moveOriginatorAe: 'MOVE_SCU', moveOriginatorMessageId: rq?.messageId });
  });

  it('reports the C-MOVE dcmqrscp refuses for an unknown destination as a failure, named as PS3.4 names it', () => {
    const qr = onPort(all, cap.ports.dicomQr);
    expect(dimse(flowOf(qr, commandWith(qr, 'moveDestination', 'NOWHERE'))).at(-1)).toMatchObject({
      command: 'C-MOVE-RSP', statusHex: '0xa801', statusCategory: 'failure', statusName: 'Refused: Move Destination unknown',
    });
  });

  it('reports a getscu C-GET with the C-STORE back on the same association and the final count', () => {
    const flow = association(onPort(all, cap.ports.dicomQr), (o) => o.fields.callingAe === 'GET_SCU');
    const fields = dimse(flow);
    expect(fields.map((f) => [f.command, f.sopClassName])).toEqual([
      ['C-GET-RQ', 'Study Root Query/Retrieve - GET'],
      ['C-STORE-RQ', 'CT Image Storage'],
      ['C-STORE-RSP', 'CT Image Storage'],
      ...fields.slice(3).map(() => ['C-GET-RSP', 'Study Root Query/Retrieve - GET']),
    ]);
    expect(byKind(flow, 'dicom.dimse')[1]?.dir).toBe('s2c');
    expect(fields.at(-1)).toMatchObject({ statusCategory: 'success', subOperations: expect.objectContaining({ completed: 1, failed: 0 }) });
  });

  it('names the same DIMSE commands in the same frames as tshark on every DICOM port', () => {
    const expected = tsharkFields(cap.pcap, [...dicomPorts(), '-Y', 'dicom', '-e', 'frame.number', '-e', '_ws.col.Info']).flatMap(([frame, info]) =>
      // "C-FIND-RQ-DATA" is tshark's label for the identifier, not a command
      [...(info ?? '').matchAll(/\b([CN]-[A-Z-]+?-(?:RQ|RSP))\b(?!-)/g)].map((m) => `${frame} ${m[1]}`),
    );
    const ours = byKind(all, 'dicom.dimse').map((o) => `${o.frame} ${o.fields.command}`);
    expect(ours).toEqual(expect.arrayContaining(['C-FIND-RQ', 'C-MOVE-RSP', 'C-GET-RSP'].map((c) => expect.stringContaining(c))));
    expect(ours).toEqual(expected);
  });

  it('reads HL7 over MLLP on a random port with LF segment ends, a missing final CR, PHI and the ACK', () => {
    const [msg, ack] = byKind(onPort(all, cap.ports.hl7), 'hl7.message');
    expect(msg?.fields).toMatchObject({ sendingApplication: 'INFUSION_GW', sendingFacility: 'WARD3', messageType: 'ADT', triggerEvent: 'A01', controlId: 'CTRL0001', version: '2.5.1', lineEndings: ['LF'], finalTerminator: false, framing: 'mllp' });
    expect(codes(msg)).toEqual(['hl7.cleartext-phi']);
    expect(ack?.fields).toMatchObject({ messageType: 'ACK', ackCode: 'AA', ackControlId: 'CTRL0001' });
    const rows = tsharkFields(cap.pcap, ['-d', `tcp.port==${cap.ports.hl7},hl7`, '-Y', 'hl7.message.type', '-e', 'hl7.message.type']);
    expect(rows.map((r) => r[0])).toEqual(['ADT', 'ACK']);
  });

  it('reads MQTT 5 and 3.1.1 CONNECTs from mosquitto clients, their topics, and flags cleartext credentials', () => {
    const connects = byKind(all, 'mqtt.connect');
    const v5 = connects.find((o) => o.fields.clientId === cap.mqttClientIds.v5);
    const v311 = connects.find((o) => o.fields.clientId === cap.mqttClientIds.v311);
    expect(v5?.fields).toMatchObject({ protocolVersion: '5.0', username: 'pump17', passwordPresent: true, passwordLength: (cap.secrets[1] as string).length, cleanStart: true });
    expect(codes(v5)).toEqual(['mqtt.no-tls', 'mqtt.cleartext-credentials']);
    expect(v311?.fields).toMatchObject({ protocolVersion: '3.1.1', usernamePresent: false, passwordPresent: false });
    expect(codes(v311)).toEqual(['mqtt.no-tls']);
    const sub = byKind(all, 'mqtt.subscribe').find((o) => (o.fields.topics as { filter: string }[])[0]?.filter === `${cap.mqttTopic}/#`);
    expect(sub).toBeDefined();
    const published = byKind(all, 'mqtt.publish').filter((o) => o.dir === 'c2s').map((o) => [o.fields.topic, o.fields.qos]);
    expect(published).toEqual(expect.arrayContaining([[`${cap.mqttTopic}/vitals`, 0], [`${cap.mqttTopic}/status`, 1]]));
    const ids = tsharkFields(cap.pcap, ['-Y', 'mqtt.msgtype==1', '-e', 'mqtt.clientid']).map((r) => r[0]);
    expect(ids).toEqual(expect.arrayContaining(Object.values(cap.mqttClientIds)));
  });

  it('reads TLS 1.2 SNI, ALPN and the expired self-signed certificate, with JA3/JA3S equal to tshark', () => {
    const tls = onPort(all, cap.ports.tls12);
    const [ch] = byKind(tls, 'tls.client-hello');
    const [sh] = byKind(tls, 'tls.server-hello');
    const [cert] = byKind(tls, 'tls.certificate');
    expect(ch?.fields).toMatchObject({ sni: cap.sni.tls12, alpn: ['http/1.1'], maxVersion: 'TLSv1.2' });
    expect(sh?.fields.version).toBe('TLSv1.2');
    expect((cert?.fields.chain as { subjectCN: string; notAfter: string }[])[0]).toMatchObject({ subjectCN: 'pacs-expired.hospital.example', notAfter: '2021-01-01T00:00:00.000Z' });
    expect(codes(cert)).toEqual(['tls.expired-certificate', 'tls.self-signed-certificate']);
    const [row] = tsharkFields(cap.pcap, ['-Y', `tls.handshake.type==1 && tcp.dstport==${cap.ports.tls12}`, '-e', 'tls.handshake.extensions_server_name', '-e', 'tls.handshake.ja3', '-e', 'tls.handshake.ja3_full']);
    expect([ch?.fields.sni, ch?.fields.ja3, ch?.fields.ja3String]).toEqual(row);
    const [srow] = tsharkFields(cap.pcap, ['-Y', `tls.handshake.type==2 && tcp.srcport==${cap.ports.tls12}`, '-e', 'tls.handshake.ja3s']);
    expect(sh?.fields.ja3s).toBe(srow?.[0]);
  });

  it('reads a TLS 1.3 handshake (certificate encrypted) with JA3 equal to tshark and a JA4 of the right shape', () => {
    const tls = onPort(all, cap.ports.tls13);
    const [ch] = byKind(tls, 'tls.client-hello');
    expect(byKind(tls, 'tls.server-hello')[0]?.fields.version).toBe('TLSv1.3');
    expect(byKind(tls, 'tls.certificate')).toEqual([]);
    expect(String(ch?.fields.ja4)).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    const [row] = tsharkFields(cap.pcap, ['-Y', `tls.handshake.type==1 && tcp.dstport==${cap.ports.tls13}`, '-e', 'tls.handshake.extensions_server_name', '-e', 'tls.handshake.ja3']);
    expect([ch?.fields.sni, ch?.fields.ja3]).toEqual(row);
  });

  it('flags a negotiated TLS 1.0 session as a legacy version', () => {
    const [sh] = byKind(onPort(all, cap.ports.tls10), 'tls.server-hello');
    expect(sh?.fields.version).toBe('TLSv1.0');
    expect(sh?.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'tls.legacy-version', severity: 'medium' })]));
  });

  it('flags HTTP Basic credentials in cleartext with the username only', () => {
    const http = onPort(all, cap.ports.http);
    const [req] = byKind(http, 'http.request');
    expect(req?.fields).toMatchObject({ method: 'GET', path: '/config', queryPresent: true, username: 'biomed', passwordLength: (cap.secrets[2] as string).length, userAgent: 'CareGuardTest/1.0' });
    expect(codes(req)).toEqual(['http.basic-auth-cleartext']);
    expect(byKind(http, 'http.response')[0]?.fields.server).toBe('AcmeInfusionWeb/1.4');
  });
});
