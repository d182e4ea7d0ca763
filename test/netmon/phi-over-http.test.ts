/**
 * Patient data over cleartext HTTP, through the whole capture pipeline. HL7 v2 posted in bodies: the
 * messages are observed like MLLP ones, their sending application reaches discovery, and patient
 * identifiers sent from one zone to another raise the cleartext-PHI detection. DICOMweb: a STOW-RS
 * store and a QIDO-RS search by patient ID are recognised, flagged as wire findings and detected.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, PcapWriter } from '../../src/netmon/capture/testing/pcap-writer.js';
import { parsePolicy } from '../../src/netmon/detect/policy-validate.js';
import type { Observation } from '../../src/netmon/model.js';
import { analyzeCapture } from '../../src/netmon/report.js';
import { chunked, Connection } from './segments-support.js';

const T0 = Date.UTC(2026, 4, 1, 10, 0, 0) * 1000;
const enc = (s: string) => new TextEncoder().encode(s);
const ORU = 'MSH|^~\\&|LABSYS|HOSP|EMR|HOSP|20260501100000||ORU^R01|LAB7781|P|2.5.1\rPID|||MRN-0042^^^HOSP^MR||DOE^JANE||19700101|F\rOBR|1||7781|CBC\r';
const ACK = 'MSH|^~\\&|EMR|HOSP|LABSYS|HOSP|20260501100001||ACK^R01|ACK7781|P|2.5.1\rMSA|AA|LAB7781\r';

/** one HTTP connection's exchanges, in order */
function capture(exchanges: Array<[request: string, response: string]>, server = '10.2.0.9', port = 8080): Uint8Array {
  const c = new Connection('10.1.0.20', 43000, server, port);
  const frames = [...c.open(), ...exchanges.flatMap(([req, res]) => [c.send(true, enc(req)), c.send(false, enc(res))]), ...c.close()];
  const w = new PcapWriter();
  return concatBytes([w.header(), ...frames.map((data, i) => w.record({ ts: T0 + i * 1000, data }))]);
}

const ZONES = { zones: [{ name: 'lab', cidrs: ['10.1.0.0/16'] }, { name: 'ehr', cidrs: ['10.2.0.0/16'] }] };

describe('HL7 over HTTP through the capture pipeline', () => {
  it('observes the messages, discovers the sending application and detects PID leaving its zone in cleartext', async () => {
    const observations: Observation[] = [];
    const bytes = capture([
      [`POST /interfaces/lab HTTP/1.1\r\nHost: emr\r\nContent-Type: x-application/hl7-v2+er7\r\nContent-Length: ${ORU.length}\r\n\r\n${ORU}`, `HTTP/1.1 200 OK\r\nContent-Type: x-application/hl7-v2+er7\r\nContent-Length: ${ACK.length}\r\n\r\n${ACK}`],
    ]);
    const report = await analyzeCapture({ bytes: chunked(bytes, 100), name: 'http-hl7' }, { onObservation: (o) => observations.push(o), detection: { policy: parsePolicy(ZONES) } });
    expect(observations.map((o) => `${o.protocol} ${o.kind}`)).toEqual(['http http.request', 'hl7 hl7.message', 'http http.response', 'hl7 hl7.message']);
    expect(report.protocols.find((p) => p.protocol === 'http')?.flows).toBe(1);
    const lab = report.devices.find((d) => d.ips.includes('10.1.0.20'));
    expect(lab?.hl7Applications).toEqual(['LABSYS^HOSP']);
    const phi = (report.detections ?? []).filter((d) => d.rule === 'phi.cleartext-leaving-zone');
    expect(phi).toHaveLength(1);
    expect(phi[0]).toMatchObject({ deviceIp: '10.1.0.20', peerIp: '10.2.0.9', severity: 'high' });
    expect(phi[0]?.title).toContain('HL7 ORU^R01');
  });

  it('recognises a DICOMweb store and a search by patient ID, flags them without TLS and detects the patient data leaving its zone', async () => {
    const study = '1.2.826.0.1.3680043.8.498.1';
    const bytes = capture(
      [
        [`POST /dicom-web/studies/${study} HTTP/1.1\r\nHost: pacs\r\nContent-Type: multipart/related; type="application/dicom"; boundary=XX\r\nContent-Length: 8\r\n\r\nDICMDICM`, 'HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: 2\r\n\r\n{}'],
        ['GET /dicom-web/studies?PatientID=MRN-0042&limit=10 HTTP/1.1\r\nHost: pacs\r\nAccept: application/dicom+json\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: 2\r\n\r\n[]'],
      ],
      '10.2.0.9',
      8042,
    );
    const observations: Observation[] = [];
    const report = await analyzeCapture({ bytes: chunked(bytes, 100), name: 'dicomweb' }, { onObservation: (o) => observations.push(o), detection: { policy: parsePolicy(ZONES) } });
    expect(observations.map((o) => `${o.kind} ${String(o.fields.dicomweb)}`)).toEqual(['http.request stow-rs', 'http.response stow-rs', 'http.request qido-rs', 'http.response qido-rs']);
    expect(report.findings.filter((f) => f.code === 'http.dicomweb-cleartext').map((f) => f.count)).toEqual([2]);
    const phi = (report.detections ?? []).filter((d) => d.rule === 'phi.cleartext-leaving-zone');
    // the viewer's store and search (one detection, two occurrences), the PACS's search results
    expect(phi).toHaveLength(2);
    expect(phi.map((d) => [d.deviceIp, d.count])).toEqual(
      expect.arrayContaining([
        ['10.1.0.20', 2],
        ['10.2.0.9', 1],
      ]),
    );
    expect(JSON.stringify(report)).not.toContain('MRN-0042');
  });

  it('recognises FHIR reads and searches of patient resources and detects them leaving their zone', async () => {
    const patient = '{"resourceType":"Patient","id":"42"}';
    const bytes = capture([
      ['GET /fhir/Patient?identifier=MRN-0042 HTTP/1.1\r\nHost: ehr\r\nAccept: application/fhir+json\r\n\r\n', `HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: ${patient.length}\r\n\r\n${patient}`],
    ]);
    const report = await analyzeCapture({ bytes: chunked(bytes, 100), name: 'fhir' }, { detection: { policy: parsePolicy(ZONES) } });
    expect(report.findings.filter((f) => f.code === 'http.fhir-cleartext').map((f) => f.count)).toEqual([1]);
    // the client's search by identifier, the server's answer with the patient
    const phi = (report.detections ?? []).filter((d) => d.rule === 'phi.cleartext-leaving-zone');
    expect(phi.map((d) => d.deviceIp).sort()).toEqual(['10.1.0.20', '10.2.0.9']);
    expect(JSON.stringify(report)).not.toContain('MRN-0042');
  });
});
