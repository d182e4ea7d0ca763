/**
 * Detections of a checkpointed read: one detection engine runs through the whole read, so what a rule
 * holds pending carries across checkpoints. An association asked before a checkpoint and answered
 * after it is judged once, with its answer; a connection to the internet open across several
 * checkpoints is detected once, in the segment where it began; the segments' detections add up to
 * those of the same bytes read in one go.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, PcapWriter } from '../../src/netmon/capture/testing/pcap-writer.js';
import { dicomAssociate, dicomRelease, tlsAppData, tlsClientHello } from '../../src/netmon/capture/testing/synthetic-payloads.js';
import { parsePolicy } from '../../src/netmon/detect/policy-validate.js';
import type { Detection } from '../../src/netmon/detect/index.js';
import { analyzeCapture, type DetectionOptions, type NetmonReport } from '../../src/netmon/report.js';
import { analyzeInSegments } from '../../src/netmon/segments.js';
import { chunked, Connection } from './segments-support.js';

const START_US = Date.UTC(2026, 3, 1, 9, 0, 0) * 1000;
const MODALITY = '10.3.0.5';
const PACS = '10.3.0.9';
const PUMP = '10.3.0.7';
const INTERNET = '93.184.216.34';
const SCANNER = '10.3.0.66';
/** probes of the port scan, half before the checkpoint at 60 s and half after; the rule's threshold is 64 ports */
const PROBES = 80;

/**
 * 0-50 s: a modality opens an association with an AE title the policy does not list; 70 s: the PACS
 * accepts it (a checkpoint at 60 s falls between); 80 s: released. 5-190 s: a pump keeps a TLS
 * connection to an internet address open, sending every 30 s. 56-64 s: a port scan of the PACS.
 * 200 s: a packet that ends the last minute.
 */
function capture(): Uint8Array {
  const timed: Array<{ ts: number; data: Uint8Array }> = [];
  const at = (seconds: number, frames: Uint8Array[]) => frames.forEach((data, i) => timed.push({ ts: START_US + seconds * 1e6 + i * 100, data }));
  const dicom = new Connection(MODALITY, 40100, PACS, 104);
  at(0, dicom.open());
  at(50, [dicom.send(true, dicomAssociate(true, 'ROGUE_CT', 'PACS'))]);
  at(70, [dicom.send(false, dicomAssociate(false, 'ROGUE_CT', 'PACS'))]);
  at(80, [dicom.send(true, dicomRelease(true)), dicom.send(false, dicomRelease(false)), ...dicom.close()]);
  const tls = new Connection(PUMP, 40200, INTERNET, 443);
  at(5, [...tls.open(), tls.send(true, tlsClientHello('telemetry.example.com', new Uint8Array(32).fill(7)))]);
  for (let t = 35; t < 190; t += 30) at(t, [tls.send(true, tlsAppData(new Uint8Array(40).fill(t)))]);
  at(190, tls.close());
  // 56-64 s: a host probes 80 ports of the PACS, one SYN each
  for (let i = 0; i < PROBES; i++) at(56 + (i * 8) / PROBES, [new Connection(SCANNER, 50000 + i, PACS, 1000 + i).open()[0] as Uint8Array]);
  const tail = new Connection(PACS, 40300, MODALITY, 4242);
  at(200, tail.open());
  timed.sort((a, b) => a.ts - b.ts);
  const writer = new PcapWriter();
  return concatBytes([writer.header(), ...timed.map((t) => writer.record(t))]);
}

const bytes = capture();
const detection = (): DetectionOptions => ({ policy: parsePolicy({ dicom: { aeTitles: ['PACS', 'STORESCP'] } }) });

async function segmented(): Promise<NetmonReport[]> {
  const reports: NetmonReport[] = [];
  await analyzeInSegments(
    { bytes: chunked(bytes, 256), name: 'live' },
    { checkpointSeconds: 60, detection: detection(), newSinks: () => ({}), onSegment: async (r) => void reports.push(r) },
  );
  return reports;
}

const ofRule = (ds: readonly Detection[] | undefined, rule: string) => (ds ?? []).filter((d) => d.rule === rule);

describe('detections of a checkpointed read', () => {
  it('judges an association asked before a checkpoint and answered after it once, as accepted', async () => {
    const reports = await segmented();
    expect(reports.length).toBeGreaterThanOrEqual(3);
    const perSegment = reports.map((r) => ofRule(r.detections, 'dicom.unknown-ae'));
    // nothing in the first segment: the request is pending there, not "unanswered"
    expect(perSegment[0]).toEqual([]);
    const all = perSegment.flat();
    expect(all).toHaveLength(1);
    expect(all[0]?.facts).toMatchObject({ role: 'calling', aeTitle: 'ROGUE_CT', outcome: 'accepted' });
    expect(all[0]?.severity).toBe('high');
    // its evidence is the request (segment one's frames) and the answer
    expect(all[0]?.evidence.map((e) => e.detail)).toEqual(['A-ASSOCIATE-RQ ROGUE_CT -> PACS', 'A-ASSOCIATE-AC']);
  });

  it('detects a connection to the internet open across checkpoints once, in the segment it began', async () => {
    const reports = await segmented();
    const perSegment = reports.map((r) => ofRule(r.detections, 'exposure.internet'));
    expect(perSegment[0]).toHaveLength(1);
    expect(perSegment[0]?.[0]).toMatchObject({ deviceIp: PUMP, peerIp: INTERNET, count: 1 });
    expect(perSegment.slice(1).flat()).toEqual([]);
  });

  it('detects a port scan whose probes straddle a checkpoint, which neither half would make', async () => {
    const reports = await segmented();
    // the probes are split by the checkpoint: fewer than the 64-port threshold in each segment
    // (the first segment's flows: the association, the TLS connection and the probes before the checkpoint)
    const before = (reports[0]?.capture.flows ?? 0) - 2;
    expect(before).toBeGreaterThan(PROBES - 64);
    expect(before).toBeLessThan(64);
    const scans = reports.flatMap((r) => ofRule(r.detections, 'recon.port-scan'));
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ deviceIp: SCANNER, peerIp: PACS });
  });

  it('adds up to the detections of the same bytes read in one go', async () => {
    const whole = await analyzeCapture({ bytes: chunked(bytes), name: 'whole' }, { detection: detection() });
    const reports = await segmented();
    const count = (ds: readonly Detection[]) => {
      const m = new Map<string, number>();
      for (const d of ds) m.set(d.dedupKey, (m.get(d.dedupKey) ?? 0) + d.count);
      return m;
    };
    expect(count(reports.flatMap((r) => r.detections ?? []))).toEqual(count(whole.detections ?? []));
    // each segment's summary counts its own detections
    for (const r of reports) expect(r.detection?.stats.detections).toBe(r.detections?.length);
  });
});
