/**
 * Detections over the public captures in ../shared/data/pcap through the real pipeline
 * (analyzeCapture: capture -> flows -> dissectors -> engine). Absent captures skip with a printed
 * reason, except under CI=true where absence fails.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../report.js';
import { parsePolicy } from './policy-validate.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pcap = (name: string) => path.resolve(repoRoot, '../shared/data/pcap', name);
const CAPTURES = ['dicom-dcmtk-loopback.pcap', 'hl7.pcap', 'mqtt.pcap', 'google_ssl.pcap'];
const missing = CAPTURES.filter((c) => !existsSync(pcap(c)));
const inCi = process.env.CI === 'true';
if (missing.length > 0 && !inCi) console.warn(`skipping detection shared-capture tests: missing ${missing.map(pcap).join(', ')}`);

const run = async (name: string, policy: unknown = {}) => {
  if (missing.length > 0) throw new Error(`CI requires the shared captures: missing ${missing.map(pcap).join(', ')}`);
  return analyzeCapture(pcap(name), { detection: { policy: parsePolicy(policy) } });
};

describe.skipIf(missing.length > 0 && !inCi)('detections on the shared captures', () => {
  it('flags the DCMTK association to AE title WRONG_AE, which the SCP accepted, when the policy allows only the real AE titles', async () => {
    const r = await run('dicom-dcmtk-loopback.pcap', { dicom: { aeTitles: ['MODALITY1', 'STORESCP'] } });
    expect(r.detections).toEqual([
      expect.objectContaining({
        rule: 'dicom.unknown-ae',
        severity: 'high',
        deviceIp: '127.0.0.1',
        firstFrame: 52,
        facts: { role: 'called', aeTitle: 'WRONG_AE', callingAe: 'MODALITY1', outcome: 'accepted', reason: 'not-in-policy' },
        evidence: [expect.objectContaining({ frame: 52, flowId: 3 }), expect.objectContaining({ frame: 54, detail: 'A-ASSOCIATE-AC' })],
      }),
    ]);
  });

  it('raises nothing for the DCMTK capture when WRONG_AE is an allowed title too, or without an AE title list', async () => {
    expect((await run('dicom-dcmtk-loopback.pcap', { dicom: { aeTitles: ['MODALITY1', 'STORESCP', 'WRONG_AE'] } })).detections).toEqual([]);
    expect((await run('dicom-dcmtk-loopback.pcap')).detections).toEqual([]);
  });

  it('flags the HL7 ADT with PID in cleartext when sender and receiver are in different zones, with the zone-pair report', async () => {
    const zones = { zones: [{ name: 'clinical', cidrs: ['10.0.0.128/25'], securityLevel: 3 }, { name: 'ehr', cidrs: ['10.0.0.0/25'], securityLevel: 2 }], conduits: [{ name: 'adt', from: 'clinical', to: 'ehr', services: [{ protocol: 'hl7' }] }] };
    const r = await run('hl7.pcap', zones);
    expect(r.detections).toEqual([
      expect.objectContaining({
        rule: 'phi.cleartext-leaving-zone',
        severity: 'high',
        deviceIp: '10.0.0.155',
        peerIp: '10.0.0.126',
        firstFrame: 4,
        facts: expect.objectContaining({ protocol: 'hl7', message: 'HL7 ADT^A01', fromZone: 'clinical', toZone: 'ehr', conduit: 'adt', identifiers: expect.stringContaining('PID-3 identifier list') }),
      }),
    ]);
    expect(r.zonePairs).toEqual([expect.objectContaining({ from: 'clinical', to: 'ehr', flows: 1, allowedFlows: 1, deniedFlows: 0, conduits: [{ name: 'adt', flows: 1 }], protocols: [{ protocol: 'hl7', flows: 1, bytes: 1173 }] })]);
  });

  it('does not flag the HL7 capture when both ends are in one zone', async () => {
    const r = await run('hl7.pcap', { zones: [{ name: 'clinical', cidrs: ['10.0.0.0/24'] }] });
    expect(r.detections).toEqual([]);
    expect(r.zonePairs).toEqual([expect.objectContaining({ from: 'clinical', to: 'clinical', allowedFlows: 1 })]);
  });

  it('flags MQTT passwords without TLS and the IoT device publishing to an internet broker', async () => {
    const r = await run('mqtt.pcap');
    expect(r.detections?.map((d) => [d.rule, d.severity, d.deviceIp, d.peerIp])).toEqual([
      ['credentials.cleartext', 'high', '192.168.0.1', '10.10.10.1'],
      ['credentials.cleartext', 'high', '100.67.35.238', '51.137.28.239'],
      ['exposure.internet', 'low', '100.67.35.238', '51.137.28.239'],
    ]);
  });

  it('puts the RC4 cipher and TLS 1.0 an internet server negotiated on the internal client', async () => {
    const r = await run('google_ssl.pcap', { internet: { unknownCriticality: 'ignore' } });
    expect(r.detections?.map((d) => [d.rule, d.facts.finding, d.severity, d.deviceIp])).toEqual([
      ['protocol.insecure', 'tls.weak-cipher', 'high', '172.31.3.224'],
      ['protocol.insecure', 'tls.legacy-version', 'medium', '172.31.3.224'],
    ]);
    expect(r.detections?.[1]?.count).toBe(2);
  });

  it('reports the learning window and rule settings with the report', async () => {
    const r = await analyzeCapture(pcap('hl7.pcap'), { detection: { learnSeconds: 0 } });
    expect(r.detection?.baseline).toMatchObject({ learnSeconds: 0, complete: true, devices: 2, evictedDevices: 0, learnStart: '2018-01-30T01:23:42.250Z' });
    expect(r.detection?.rules.map((x) => x.id)).toContain('anomaly.volume');
    expect((await analyzeCapture(pcap('hl7.pcap'), { detection: { enabled: false } })).detection).toBeUndefined();
  });
});
