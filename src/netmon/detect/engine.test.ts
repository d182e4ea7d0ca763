import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Detection } from './model.js';
import { HOUR, SECOND, Sim } from './testing.js';

const telnet = (sim: Sim, server: string) => {
  const f = sim.open({ client: '10.0.0.5', server, port: 23 });
  sim.observe(f.key, f.id, { kind: 'telnet.present', findings: [{ code: 'telnet.present', severity: 'high', message: 'Telnet' }] });
  return f;
};

describe('DetectionEngine', () => {
  it('folds occurrences with one dedup key: count, first and last time, evidence up to maxEvidence', () => {
    const sim = new Sim({ maxEvidence: 3 });
    for (let i = 0; i < 5; i++) {
      sim.now += SECOND;
      telnet(sim, '10.0.0.9');
    }
    const [d] = sim.of('protocol.insecure');
    expect(d).toMatchObject({ count: 5, lastTs: d!.firstTs + 4 * SECOND });
    expect(d!.evidence).toHaveLength(3);
    expect(d!.firstSeen).toBe(new Date(d!.firstTs / 1000).toISOString());
  });

  it('calls onDetection once per dedup key, at its first occurrence', () => {
    const seen: Detection[] = [];
    const sim = new Sim({ onDetection: (d) => seen.push(d) });
    telnet(sim, '10.0.0.9');
    telnet(sim, '10.0.0.9');
    telnet(sim, '10.0.0.10');
    expect(seen.map((d) => d.deviceIp)).toEqual(['10.0.0.9', '10.0.0.10']);
  });

  it('keys detections by the inventory device id the device map gives, and names the device and its zone', () => {
    const sim = new Sim({ policyJson: { zones: [{ name: 'ward', cidrs: ['10.0.0.0/24'] }], devices: [{ ip: '10.0.0.9', deviceId: 'dev_42', name: 'Monitor-9' }] } });
    telnet(sim, '10.0.0.9');
    expect(sim.of('protocol.insecure')[0]).toMatchObject({ deviceId: 'dev_42', deviceName: 'Monitor-9', zone: 'ward', dedupKey: 'netmon:protocol.insecure:dev_42:telnet.present:tcp/23', title: 'Telnet on Monitor-9 (10.0.0.9) (tcp/23)' });
  });

  it('applies policy rule settings: disabled rules do not run, severity overrides, parameters reported', () => {
    const sim = new Sim({ policyJson: { rules: { 'protocol.insecure': { severity: 'critical' }, 'credentials.cleartext': { enabled: false }, 'recon.port-scan': { distinctPorts: 10 } } } });
    const f = telnet(sim, '10.0.0.9');
    sim.observe(f.key, f.id, { kind: 'telnet.summary', fields: { loginPrompt: true } });
    expect(sim.of('protocol.insecure')[0]?.severity).toBe('critical');
    expect(sim.of('credentials.cleartext')).toEqual([]);
    const status = Object.fromEntries(sim.engine.ruleStatus.map((r) => [r.id, r]));
    expect(status['credentials.cleartext']).toMatchObject({ enabled: false });
    expect(status['recon.port-scan']).toMatchObject({ enabled: true, version: '1.0.0', params: { distinctPorts: 10, windowSeconds: 60, maxTrackers: 8192 } });
  });

  it('checkpoint: hands over the detections of the period, its counters and zone pairs, and keeps what rules hold pending', () => {
    const sim = new Sim({ policyJson: { zones: [{ name: 'ward', cidrs: ['10.0.0.0/24'] }], dicom: { aeTitles: ['PACS'] } } });
    telnet(sim, '10.0.0.9').end();
    telnet(sim, '10.0.0.9').end();
    // an association request whose answer comes in the next period
    const assoc = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 104 });
    sim.observe(assoc.key, assoc.id, { kind: 'dicom.associate-rq', protocol: 'dicom', fields: { callingAe: 'ROGUE', calledAe: 'PACS' } });
    expect(sim.engine.zonePairs().map((z) => z.flows)).toEqual([2]);
    const first = sim.engine.checkpoint();
    expect(first.map((d) => [d.rule, d.count])).toEqual([['protocol.insecure', 2]]);
    expect(sim.engine.stats()).toMatchObject({ detections: 0, occurrences: 0, droppedDetections: 0 });
    expect(sim.engine.zonePairs()).toEqual([]);
    sim.now += SECOND;
    telnet(sim, '10.0.0.9').end();
    sim.observe(assoc.key, assoc.id, { kind: 'dicom.associate-ac', protocol: 'dicom', fields: { callingAe: 'ROGUE', calledAe: 'PACS' } });
    assoc.end();
    const second = sim.engine.finish();
    // the same dedup key again, with this period's occurrence only; the association judged with its answer
    expect(second.map((d) => [d.rule, d.count, d.facts.outcome ?? null])).toEqual([
      ['dicom.unknown-ae', 1, 'accepted'],
      ['protocol.insecure', 1, null],
    ]);
    expect(second[1]?.dedupKey).toBe(first[0]?.dedupKey);
    expect(sim.engine.zonePairs().map((z) => z.flows)).toEqual([2]);
  });

  it('keeps at most maxDetections detections and counts the dropped ones', () => {
    const sim = new Sim({ maxDetections: 3 });
    for (let i = 0; i < 10; i++) telnet(sim, `10.0.0.${20 + i}`);
    expect(sim.engine.detections()).toHaveLength(3);
    expect(sim.engine.stats()).toMatchObject({ detections: 3, droppedDetections: 7, occurrences: 10 });
  });

  it('sorts detections most severe first, then by time', () => {
    const sim = new Sim();
    sim.flow({ client: '10.0.0.5', server: '8.8.8.8', port: 443 });
    sim.now += SECOND;
    telnet(sim, '10.0.0.9');
    expect(sim.engine.detections().map((d) => d.severity)).toEqual(['high', 'low']);
  });

  it('does not profile internet, multicast or broadcast addresses as devices', () => {
    const sim = new Sim();
    sim.flow({ client: '10.0.0.5', server: '8.8.8.8', port: 53, transport: 'udp' });
    sim.flow({ client: '10.0.0.5', server: '224.0.0.251', port: 5353, transport: 'udp' });
    sim.flow({ client: '0.0.0.0', server: '255.255.255.255', port: 67, transport: 'udp' });
    expect([...sim.engine.baseline.devices()].map((d) => d.ip)).toEqual(['10.0.0.5']);
  });

  it('finish() is idempotent', () => {
    const sim = new Sim({ policyJson: { dicom: { aeTitles: ['A'] } } });
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 104 });
    sim.observe(f.key, f.id, { kind: 'dicom.associate-rq', fields: { callingAe: 'B', calledAe: 'A' } });
    expect(sim.finish()).toHaveLength(1);
    expect(sim.finish()).toHaveLength(1);
    expect(sim.of('dicom.unknown-ae')[0]?.count).toBe(1);
  });

  it('never throws and keeps every state within its caps for arbitrary flows and observations (property)', () => {
    const ip = fc.oneof(fc.constantFrom('10.0.0.1', '10.0.0.2', '8.8.8.8', '224.0.0.1', '::1', 'fd00::5', '255.255.255.255', 'garbage'), fc.ipV4(), fc.ipV6());
    const event = fc.record({
      client: ip,
      server: ip,
      port: fc.integer({ min: 0, max: 65535 }),
      transport: fc.constantFrom('tcp' as const, 'udp' as const),
      gap: fc.integer({ min: 0, max: 2 * HOUR }),
      duration: fc.integer({ min: 0, max: 3 * HOUR }),
      bytes: fc.nat({ max: 1e9 }),
      kind: fc.constantFrom('hl7.message', 'dicom.dimse', 'dicom.associate-rq', 'dicom.associate-ac', 'telnet.summary', 'mqtt.connect', 'tls.server-hello', 'x.y'),
      fields: fc.dictionary(fc.constantFrom('callingAe', 'calledAe', 'pidPresent', 'patientIdentifiersPresent', 'command', 'username', 'passwordPresent', 'loginPrompt'), fc.jsonValue()),
      findings: fc.array(fc.record({ code: fc.constantFrom('telnet.present', 'tls.weak-cipher', 'mqtt.cleartext-credentials', 'ftp.cleartext-credentials', 'x'), severity: fc.constantFrom('high' as const, 'low' as const), message: fc.string() }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const sim = new Sim({
          baselineOptions: { learnSeconds: 3600, maxDevices: 8, maxPeersPerDevice: 4, maxServicesPerDevice: 4, maxTotalEntries: 20 },
          maxDetections: 10,
          policyJson: { zones: [{ name: 'a', cidrs: ['10.0.0.0/8'] }], dicom: { aeTitles: ['X'] }, rules: { 'recon.port-scan': { maxTrackers: 16, distinctPorts: 3 }, 'recon.host-sweep': { maxTrackers: 16, distinctHosts: 3 }, 'dicom.unknown-ae': { maxPendingAssociations: 16 }, 'anomaly.volume': { minHistoryBuckets: 3, minExcessBytes: 0 } } },
        });
        for (const e of events) {
          sim.now += e.gap;
          const f = sim.open({ client: e.client, server: e.server, port: e.port, transport: e.transport, durationUs: e.duration, bytes: e.bytes });
          sim.observe(f.key, f.id, { kind: e.kind, fields: e.fields, findings: e.findings });
          f.end();
        }
        sim.finish();
        const st = sim.engine.baseline.stats();
        expect(st.devices).toBeLessThanOrEqual(8);
        expect(st.entries).toBeLessThanOrEqual(20 + 8);
        expect(sim.engine.detections().length).toBeLessThanOrEqual(10);
        for (const d of sim.engine.baseline.devices()) {
          expect(d.peers.size).toBeLessThanOrEqual(4);
          expect(d.volume.count).toBeLessThanOrEqual(168 + 4);
          expect(d.volume.bytes.length).toBeLessThanOrEqual(168 + 4);
        }
        const rules = sim.engine.stats().rules;
        expect(rules['recon.port-scan']!.trackers).toBeLessThanOrEqual(16);
        expect(rules['dicom.unknown-ae']!.pendingAssociations).toBeLessThanOrEqual(16);
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150) },
    );
  });
});
