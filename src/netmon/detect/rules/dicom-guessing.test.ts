import { describe, expect, it } from 'vitest';
import { SECOND, Sim } from '../testing.js';

const rq = (callingAe: string, calledAe: string) => ({ kind: 'dicom.associate-rq', fields: { callingAe, calledAe } });
/** A-ASSOCIATE-RJ from the service user (source 1) with `reason` (7 called, 3 calling AE title not recognized) */
const rj = (reason: number, source = 1) => ({ kind: 'dicom.associate-rj', dir: 's2c' as const, fields: { accepted: false, result: 1, source, reason } });

function attempt(sim: Sim, client: string, called: string, reason = 7, source = 1, calling = 'NMAP') {
  sim.now += SECOND;
  const f = sim.open({ client, server: '10.0.0.9', port: 104, protocol: 'dicom' });
  const req = sim.observe(f.key, f.id, rq(calling, called));
  const answer = sim.observe(f.key, f.id, rj(reason, source));
  return { req, answer };
}

describe('dicom.ae-title-guessing', () => {
  it('flags one source whose requests for five different AE titles the SCP rejected as not recognised', () => {
    const sim = new Sim();
    const tries = ['ANY-SCP', 'PACS', 'ORTHANC', 'DCM4CHEE', 'STORESCP'].map((t) => attempt(sim, '10.0.0.66', t));
    expect(sim.of('dicom.ae-title-guessing')).toEqual([
      expect.objectContaining({
        severity: 'high',
        deviceIp: '10.0.0.66',
        peerIp: '10.0.0.9',
        dedupKey: 'netmon:dicom.ae-title-guessing:10.0.0.66:10.0.0.9:104',
        title: 'DICOM AE title guessing from 10.0.0.66 at 10.0.0.9:104 (5 titles rejected in 4.0 s)',
        facts: expect.objectContaining({ distinct: 5, threshold: 5, sample: 'ANY-SCP PACS ORTHANC DCM4CHEE STORESCP' }),
        evidence: [
          expect.objectContaining({ frame: tries[0]?.req.frame, detail: 'A-ASSOCIATE-RQ NMAP -> ANY-SCP, rejected: called AE title not recognized' }),
          expect.objectContaining({ frame: tries[4]?.answer.frame, detail: 'A-ASSOCIATE-RJ of the 5th distinct title "STORESCP"' }),
        ],
      }),
    ]);
  });

  it('counts distinct titles only, within the window, and only rejections for an unrecognised AE title', () => {
    const sim = new Sim();
    // the same title again and again: a misconfigured device retrying, not guessing
    for (let i = 0; i < 10; i++) attempt(sim, '10.0.0.70', 'PACS');
    // four titles, then a pause longer than the window, then four more
    for (const t of ['A1', 'A2', 'A3', 'A4']) attempt(sim, '10.0.0.71', t);
    sim.now += 400 * SECOND;
    for (const t of ['B1', 'B2', 'B3', 'B4']) attempt(sim, '10.0.0.71', t);
    // rejected for other reasons: application context (2), congestion (presentation source 3)
    for (const t of ['C1', 'C2', 'C3', 'C4', 'C5']) attempt(sim, '10.0.0.72', t, 2);
    for (const t of ['D1', 'D2', 'D3', 'D4', 'D5']) attempt(sim, '10.0.0.73', t, 1, 3);
    expect(sim.of('dicom.ae-title-guessing')).toEqual([]);
    // calling AE titles the SCP does not know count too
    for (const t of ['E1', 'E2', 'E3', 'E4', 'E5']) attempt(sim, '10.0.0.74', 'PACS', 3, 1, t);
    expect(sim.of('dicom.ae-title-guessing').map((d) => d.deviceIp)).toEqual(['10.0.0.74']);
  });

  it('exempts the scanners the policy names', () => {
    const sim = new Sim({ policyJson: { scanners: ['10.0.0.66'] } });
    for (const t of ['A', 'B', 'C', 'D', 'E', 'F']) attempt(sim, '10.0.0.66', t);
    expect(sim.of('dicom.ae-title-guessing')).toEqual([]);
  });
});
