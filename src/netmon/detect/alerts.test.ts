import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_LIMITS, AlertService } from '../../alerts/index.js';
import { auditServiceFor } from '../../audit/testing.js';
import { fixedClock } from '../../core/index.js';
import type { DatabaseHandle } from '../../storage/index.js';
import { createAlertRepository } from '../../storage/repositories/alerts.js';
import { describeEachEngine } from '../../storage/testing/engines.js';
import { detectionToAlertInput } from './alerts.js';
import type { Detection } from './model.js';
import { Sim } from './testing.js';

function telnetDetection(times = 1): Detection {
  const sim = new Sim({ policyJson: { devices: [{ ip: '10.0.0.9', deviceId: 'dev_9', name: 'Pump-9' }] } });
  for (let i = 0; i < times; i++) {
    sim.now += 1_000_000;
    const f = sim.open({ client: '10.0.0.5', server: '10.0.0.9', port: 23 });
    sim.observe(f.key, f.id, { kind: 'telnet.present', findings: [{ code: 'telnet.present', severity: 'high', message: 'Telnet (cleartext remote login) in use' }] });
  }
  return sim.engine.detections()[0]!;
}

describe('detectionToAlertInput', () => {
  it('maps a detection to an alert input: source netmon, rule as category, its dedup key, evidence and device', () => {
    const d = telnetDetection(2);
    const a = detectionToAlertInput(d);
    expect(a).toMatchObject({ title: d.title, severity: 'high', source: 'netmon', category: 'protocol.insecure', dedupKey: d.dedupKey, deviceId: 'dev_9', deviceIp: '10.0.0.9', observedAt: d.lastSeen });
    expect(a.evidence).toEqual([
      { kind: 'observation', ref: expect.stringMatching(/^sim\.pcap#frame=\d+&observation=telnet\.present$/), detail: 'Telnet (cleartext remote login) in use' },
      { kind: 'observation', ref: expect.stringMatching(/^sim\.pcap#frame=\d+&observation=telnet\.present$/), detail: 'Telnet (cleartext remote login) in use' },
    ]);
    expect(a.description).toContain(`Seen 2 times between ${d.firstSeen} and ${d.lastSeen}.`);
    expect(a.description).toContain('Facts: finding=telnet.present, protocol=telnet, role=server, service=tcp/23.');
    expect(a.description).toContain('Rule protocol.insecure@1.0.0.');
  });

  it('clips text to the alert limits and calls frame evidence "packet"', () => {
    const d: Detection = { ...telnetDetection(), title: 'x'.repeat(1000), dedupKey: 'k'.repeat(900), evidence: [{ kind: 'frame', ref: 'c#frame=1', frame: 1, detail: 'd'.repeat(5000) }] };
    const a = detectionToAlertInput(d);
    expect(a.title).toHaveLength(ALERT_LIMITS.title);
    expect(a.dedupKey).toHaveLength(ALERT_LIMITS.dedupKey);
    expect(a.evidence).toEqual([{ kind: 'packet', ref: 'c#frame=1', detail: expect.any(String) }]);
    expect(a.evidence![0]!.detail).toHaveLength(ALERT_LIMITS.evidenceDetail);
  });
});

describeEachEngine('detections raised as alerts', ({ open }) => {
  let h: DatabaseHandle;
  let alerts: AlertService;
  beforeEach(async () => {
    h = await open();
    alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit: auditServiceFor(h), clock: fixedClock('2026-01-05T10:00:00.000Z', 1000) });
  });
  afterEach(async () => h.close());

  it('is accepted by AlertService.raise, and a second run of the same detection folds into the open alert', async () => {
    const { deviceIp: _ip, ...input } = detectionToAlertInput(telnetDetection());
    const first = await alerts.raise(input);
    const again = await alerts.raise(input);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.alert).toMatchObject({ count: 2, deviceId: 'dev_9', category: 'protocol.insecure', dedupKey: first.alert.dedupKey });
  });
});
