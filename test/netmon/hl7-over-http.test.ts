/**
 * HL7 v2 posted over cleartext HTTP, through the whole capture pipeline: the messages in the request
 * and response bodies are observed like MLLP ones, their sending application reaches discovery, and
 * patient identifiers sent from one zone to another raise the cleartext-PHI detection.
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

function capture(): Uint8Array {
  const c = new Connection('10.1.0.20', 43000, '10.2.0.9', 8080);
  const frames = [
    ...c.open(),
    c.send(true, enc(`POST /interfaces/lab HTTP/1.1\r\nHost: emr\r\nContent-Type: x-application/hl7-v2+er7\r\nContent-Length: ${ORU.length}\r\n\r\n${ORU}`)),
    c.send(false, enc(`HTTP/1.1 200 OK\r\nContent-Type: x-application/hl7-v2+er7\r\nContent-Length: ${ACK.length}\r\n\r\n${ACK}`)),
    ...c.close(),
  ];
  const w = new PcapWriter();
  return concatBytes([w.header(), ...frames.map((data, i) => w.record({ ts: T0 + i * 1000, data }))]);
}

describe('HL7 over HTTP through the capture pipeline', () => {
  it('observes the messages, discovers the sending application and detects PID leaving its zone in cleartext', async () => {
    const observations: Observation[] = [];
    const report = await analyzeCapture(
      { bytes: chunked(capture(), 100), name: 'http-hl7' },
      {
        onObservation: (o) => observations.push(o),
        detection: { policy: parsePolicy({ zones: [{ name: 'lab', cidrs: ['10.1.0.0/16'] }, { name: 'ehr', cidrs: ['10.2.0.0/16'] }] }) },
      },
    );
    expect(observations.map((o) => `${o.protocol} ${o.kind}`)).toEqual(['http http.request', 'hl7 hl7.message', 'http http.response', 'hl7 hl7.message']);
    expect(report.protocols.find((p) => p.protocol === 'http')?.flows).toBe(1);
    const lab = report.devices.find((d) => d.ips.includes('10.1.0.20'));
    expect(lab?.hl7Applications).toEqual(['LABSYS^HOSP']);
    const phi = (report.detections ?? []).filter((d) => d.rule === 'phi.cleartext-leaving-zone');
    expect(phi).toHaveLength(1);
    expect(phi[0]).toMatchObject({ deviceIp: '10.1.0.20', peerIp: '10.2.0.9', severity: 'high' });
    expect(phi[0]?.title).toContain('HL7 ORU^R01');
  });
});
