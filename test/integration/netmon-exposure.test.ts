/**
 * Network exposure from stored conversations feeds clinical risk: a device seen talking to the
 * internet in cleartext, reached from another zone, scores higher than the same device unobserved.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { auditServiceFor } from '../../src/audit/testing.js';
import { systemClock } from '../../src/core/index.js';
import { InventoryService } from '../../src/inventory/index.js';
import { clinicalRiskScorer } from '../../src/main/vulns-risk.js';
import { parsePolicy } from '../../src/netmon/detect/index.js';
import { NetmonService } from '../../src/netmon/service.js';
import type { DatabaseHandle } from '../../src/storage/index.js';
import { createAlertRepository } from '../../src/storage/repositories/alerts.js';
import { KyselyDeviceRepository } from '../../src/storage/repositories/devices.js';
import { createNetmonRepository } from '../../src/storage/repositories/netmon.js';
import { describeEachEngine } from '../../src/storage/testing/engines.js';
import type { Finding } from '../../src/vulns/findings/model.js';
import type { Product } from '../../src/vulns/ports.js';

const policy = parsePolicy({
  version: 1,
  zones: [
    { name: 'clinical', cidrs: ['10.1.0.0/16'], securityLevel: 3 },
    { name: 'office', cidrs: ['10.2.0.0/16'], securityLevel: 1 },
  ],
});

describeEachEngine('network exposure for risk', (engine) => {
  let h: DatabaseHandle;
  beforeEach(async () => {
    h = await engine.open();
  });
  afterEach(async () => {
    await h.close();
  });

  it('derives zone, internet contact, cross-zone reach and cleartext protocols per address', async () => {
    const audit = auditServiceFor(h);
    const netmon = new NetmonService({
      store: createNetmonRepository(h.db, h.dialect),
      inventory: new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock: systemClock }),
      alerts: new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: systemClock }),
      clock: systemClock,
      policy,
    });
    const t = '2026-01-01T00:00:00.000Z';
    const conv = (client: string, server: string, port: number, protocol: string) => ({ client, server, port, transport: 'tcp' as const, protocol, flows: 1, packets: 2, bytes: 100, firstSeen: t, lastSeen: t, firstFrame: 1 });
    await createNetmonRepository(h.db, h.dialect).insertCapture(
      { id: 'cap_1', name: 'x', kind: 'capture', startedAt: t, finishedAt: t, bytes: 1, packets: 1, flows: 3, devices: 0, detections: 0, summary: {}, ingestedBy: 'test' },
      [conv('10.1.0.5', '93.184.216.34', 80, 'http'), conv('10.2.0.9', '10.1.0.5', 104, 'dicom'), conv('10.1.0.7', '10.1.0.8', 443, 'tls')],
    );
    const exposure = await netmon.exposureByIp();
    expect(exposure.get('10.1.0.5')).toEqual({ internetExposed: true, zone: { id: 'clinical', name: 'clinical', securityLevel: 3 }, reachableFromZones: ['office'], cleartextProtocols: ['http', 'dicom'], source: 'netmon' });
    expect(exposure.get('10.1.0.7')).toMatchObject({ internetExposed: false, cleartextProtocols: [], reachableFromZones: [] });
    expect(exposure.has('93.184.216.34')).toBe(false);

    const finding = { id: 'f', productId: 'p', vulnerabilityId: 'CVE-1', advisoryId: 'a', status: 'open', fixedVersions: [] } as unknown as Finding;
    const intel = { vulnerabilityId: 'CVE-1', cvss: [{ version: '3.1' as const, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5, baseSeverity: 'HIGH' as const }], remediations: [], advisoryIds: ['a'], withdrawn: false };
    const product = { id: 'p', rubric: undefined } as unknown as Product;
    const base = { id: 'd', manufacturer: 'm', model: 'x', version: '1', ips: ['10.1.0.5'], criticality: 'diagnostic' as const };
    const unobserved = clinicalRiskScorer({ finding, intel, product, device: base });
    const observed = clinicalRiskScorer({ finding, intel, product, device: { ...base, exposure: exposure.get('10.1.0.5')! } });
    expect(observed.score).toBeGreaterThan(unobserved.score);
    expect(JSON.stringify(observed.breakdown)).toMatch(/exposure/);
  });
});
