import { describe, expect, it } from 'vitest';
import { HOUR, SECOND, Sim } from '../testing.js';

const rq = (callingAe: string, calledAe: string) => ({ kind: 'dicom.associate-rq', fields: { callingAe, calledAe } });
const ac = (callingAe: string, calledAe: string) => ({ kind: 'dicom.associate-ac', dir: 's2c' as const, fields: { accepted: true, callingAe, calledAe } });
const rj = { kind: 'dicom.associate-rj', dir: 's2c' as const, fields: { accepted: false } };
const POLICY = { dicom: { aeTitles: ['MODALITY1', 'STORESCP', { title: 'CT1', hosts: ['10.0.0.5/32'] }, { title: 'PACS', hosts: ['10.0.0.9'] }] } };

function association(sim: Sim, client: string, server: string, calling: string, called: string, answer: 'ac' | 'rj' | 'none', port = 104) {
  sim.now += SECOND;
  const f = sim.open({ client, server, port, protocol: 'dicom' });
  const req = sim.observe(f.key, f.id, rq(calling, called));
  if (answer === 'ac') sim.observe(f.key, f.id, ac(calling, called));
  if (answer === 'rj') sim.observe(f.key, f.id, rj);
  return { ...f, req };
}

describe('dicom.unknown-ae', () => {
  it('flags an accepted association to a called AE title outside the policy as high, on the SCP, with RQ and AC as evidence', () => {
    const sim = new Sim({ policyJson: POLICY });
    const a = association(sim, '127.0.0.1', '127.0.0.1', 'MODALITY1', 'WRONG_AE', 'ac', 11112);
    expect(sim.of('dicom.unknown-ae')).toEqual([
      expect.objectContaining({
        severity: 'high',
        deviceIp: '127.0.0.1',
        dedupKey: 'netmon:dicom.unknown-ae:127.0.0.1:called:WRONG_AE',
        title: 'DICOM association to unknown AE title "WRONG_AE" at 127.0.0.1:11112 (accepted)',
        facts: expect.objectContaining({ role: 'called', aeTitle: 'WRONG_AE', callingAe: 'MODALITY1', outcome: 'accepted' }),
        evidence: [expect.objectContaining({ frame: a.req.frame, detail: 'A-ASSOCIATE-RQ MODALITY1 -> WRONG_AE' }), expect.objectContaining({ frame: a.req.frame + 1, detail: 'A-ASSOCIATE-AC' })],
      }),
    ]);
  });

  it('grades by the answer: rejected low, unanswered medium (at association end or end of input)', () => {
    const sim = new Sim({ policyJson: POLICY });
    association(sim, '10.0.0.7', '10.0.0.9', 'ROGUE', 'PACS', 'rj');
    const b = association(sim, '10.0.0.8', '10.0.0.9', 'ROGUE2', 'PACS', 'none');
    sim.observe(b.key, b.id, { kind: 'dicom.association-summary', fields: { accepted: false } });
    association(sim, '10.0.0.10', '10.0.0.9', 'ROGUE3', 'PACS', 'none');
    expect(sim.of('dicom.unknown-ae')).toHaveLength(2);
    sim.finish();
    expect(sim.of('dicom.unknown-ae').map((d) => [d.facts.aeTitle, d.facts.outcome, d.severity])).toEqual([
      ['ROGUE2', 'unanswered', 'medium'],
      ['ROGUE3', 'unanswered', 'medium'],
      ['ROGUE', 'rejected', 'low'],
    ]);
  });

  it('flags a known calling AE title used from an address outside its policy hosts (spoofed or moved)', () => {
    const sim = new Sim({ policyJson: POLICY });
    association(sim, '10.0.0.66', '10.0.0.9', 'CT1', 'PACS', 'ac');
    expect(sim.of('dicom.unknown-ae')).toEqual([expect.objectContaining({ deviceIp: '10.0.0.66', facts: expect.objectContaining({ role: 'calling', reason: 'unexpected-host' }) })]);
  });

  it('stays quiet for AE titles in the policy, and entirely without an AE title list', () => {
    const sim = new Sim({ policyJson: POLICY });
    association(sim, '10.0.0.5', '10.0.0.9', 'CT1', 'PACS', 'ac');
    association(sim, '127.0.0.1', '127.0.0.1', 'MODALITY1', 'STORESCP', 'ac');
    sim.finish();
    expect(sim.of('dicom.unknown-ae')).toEqual([]);
    const open = new Sim();
    association(open, '127.0.0.1', '127.0.0.1', 'WHO', 'EVER', 'ac');
    open.finish();
    expect(open.of('dicom.unknown-ae')).toEqual([]);
  });

  it('holds at most maxPendingAssociations unanswered requests and counts what it dropped', () => {
    const sim = new Sim({ policyJson: { ...POLICY, rules: { 'dicom.unknown-ae': { maxPendingAssociations: 16 } } } });
    for (let i = 0; i < 40; i++) association(sim, `10.0.1.${i}`, '10.0.0.9', `X${i}`, 'PACS', 'none');
    expect(sim.engine.stats().rules['dicom.unknown-ae']).toMatchObject({ pendingAssociations: 16, pendingEvicted: 24 });
  });
});

describe('dicom.unexpected-destination', () => {
  function learnt(policyJson: unknown = {}): Sim {
    const sim = new Sim({ baselineOptions: { learnSeconds: 3600 }, policyJson });
    for (let i = 0; i < 3; i++) association(sim, '10.0.0.5', '10.0.0.9', 'CT1', 'PACS', 'ac');
    return sim;
  }

  it('flags an association to a called AE title, address or port not learnt during the window', () => {
    const sim = learnt();
    sim.now += 2 * HOUR;
    association(sim, '10.0.0.5', '10.0.0.77', 'CT1', 'PACS', 'ac');
    association(sim, '10.0.0.5', '10.0.0.9', 'CT1', 'ARCHIVE', 'ac');
    association(sim, '10.0.0.5', '10.0.0.9', 'CT1', 'PACS', 'ac', 11112);
    expect(sim.of('dicom.unexpected-destination').map((d) => [d.facts.destination, d.facts.calledAe, d.facts.reason, d.severity])).toEqual([
      ['10.0.0.77:104', 'PACS', 'baseline', 'medium'],
      ['10.0.0.9:104', 'ARCHIVE', 'baseline', 'medium'],
      ['10.0.0.9:11112', 'PACS', 'baseline', 'medium'],
    ]);
    expect(sim.of('dicom.unexpected-destination')[0]!.explanation).toContain('sent associations to PACS@10.0.0.9:104');
  });

  it('stays quiet for learnt routes and during the window', () => {
    const sim = learnt();
    association(sim, '10.0.0.5', '10.0.0.77', 'CT1', 'OTHER', 'ac');
    sim.now += 2 * HOUR;
    association(sim, '10.0.0.5', '10.0.0.9', 'CT1', 'PACS', 'ac');
    association(sim, '10.0.0.5', '10.0.0.77', 'CT1', 'OTHER', 'ac');
    expect(sim.of('dicom.unexpected-destination')).toEqual([]);
  });

  it('uses the policy hosts of the called AE title: expected there, high anywhere else, even during the window', () => {
    const sim = learnt({ dicom: { aeTitles: [{ title: 'PACS', hosts: ['10.0.0.9', '10.0.0.10'] }, 'CT1'] } });
    association(sim, '10.0.0.5', '10.0.0.99', 'CT1', 'PACS', 'ac');
    sim.now += 2 * HOUR;
    association(sim, '10.0.0.5', '10.0.0.10', 'CT1', 'PACS', 'ac');
    expect(sim.of('dicom.unexpected-destination')).toEqual([expect.objectContaining({ severity: 'high', facts: expect.objectContaining({ reason: 'policy-hosts', destination: '10.0.0.99:104' }) })]);
  });

  it('learns only accepted associations: a rejected one during the window is still unexpected later', () => {
    const sim = learnt();
    association(sim, '10.0.0.5', '10.0.0.50', 'CT1', 'ARCH', 'rj');
    sim.now += 2 * HOUR + 10 * SECOND;
    association(sim, '10.0.0.5', '10.0.0.50', 'CT1', 'ARCH', 'ac');
    expect(sim.of('dicom.unexpected-destination')).toHaveLength(1);
  });
});
