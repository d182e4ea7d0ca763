/** @module Test stack for vulnerability intelligence: real storage (either engine), audit, alerts, inventory and the clinical risk scorer. */
import { AlertService } from '../../../src/alerts/index.js';
import { auditServiceFor } from '../../../src/audit/testing.js';
import type { AuditService } from '../../../src/audit/index.js';
import { fixedClock } from '../../../src/core/index.js';
import { InventoryService, type DeviceAttributes } from '../../../src/inventory/index.js';
import { provenance, report, testActor } from '../../../src/inventory/testing.js';
import { clinicalRiskScorer } from '../../../src/main/vulns-risk.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { createVulnRepository } from '../../../src/storage/repositories/vulns.js';
import { createVulnCapability, type VulnCapability } from '../../../src/vulns/capability.js';
import { parseDemoDocument } from '../../../src/vulns/demo/seed.js';

export interface VulnStack {
  vulns: VulnCapability;
  inventory: InventoryService;
  alerts: AlertService;
  audit: AuditService;
  clock: ReturnType<typeof fixedClock>;
}

export function vulnStack(h: DatabaseHandle, threshold = 70): VulnStack {
  const clock = fixedClock('2099-03-01T00:00:00Z', 1);
  const audit = auditServiceFor(h);
  const inventory = new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock });
  const alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock });
  const vulns = createVulnCapability({ repo: createVulnRepository(h.db, h.dialect), audit, alerts, inventory, clock, scorer: clinicalRiskScorer, policy: { alertThreshold: threshold } });
  return { vulns, inventory, alerts, audit, clock };
}

export async function addDevices(s: VulnStack, devices: Array<DeviceAttributes & { mac: string }>): Promise<void> {
  const p = provenance('import:test.csv', '2099-01-01T00:00:00Z');
  await s.inventory.applyReports(
    devices.map(({ mac, ...attrs }) => report(attrs, p, { macs: [mac] })),
    testActor,
  );
}

export const actor = testActor;
export const parse = parseDemoDocument;

/** A CycloneDX 1.6 firmware SBOM with CPE-identified components. */
export function firmwareSbom(vendor: string, product: string, version: string, components: Array<[name: string, version: string, cpeVendor: string, cpeProduct: string]>): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { component: { type: 'firmware', 'bom-ref': 'fw', name: product, version, supplier: { name: vendor } } },
    components: components.map(([name, v, cv, cp], i) => ({ type: 'library', 'bom-ref': `c${i}`, name, version: v, cpe: `cpe:2.3:a:${cv}:${cp}:${v}:*:*:*:*:*:*:*` })),
  });
}

/** An NVD API 2.0 bundle with one CPE range per CVE. */
export function nvdBundle(cves: Array<{ id: string; vendor: string; product: string; fixed: string; vector?: string; withdrawn?: boolean }>): string {
  return JSON.stringify({
    resultsPerPage: cves.length,
    startIndex: 0,
    totalResults: cves.length,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2099-01-20T00:00:00.000',
    vulnerabilities: cves.map((c) => ({
      cve: {
        id: c.id,
        sourceIdentifier: 'test@example.invalid',
        published: '2099-02-01T00:00:00.000',
        lastModified: '2099-02-02T00:00:00.000',
        vulnStatus: c.withdrawn ? 'Rejected' : 'Analyzed',
        descriptions: [{ lang: 'en', value: `${c.withdrawn ? '** REJECT ** ' : ''}test vulnerability in ${c.product}` }],
        metrics: { cvssMetricV31: [{ source: 'test', type: 'Primary', cvssData: { version: '3.1', vectorString: c.vector ?? 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 } }] },
        configurations: [{ nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: `cpe:2.3:a:${c.vendor}:${c.product}:*:*:*:*:*:*:*:*`, versionEndExcluding: c.fixed, matchCriteriaId: `00000000-0000-4000-8000-${c.id.replace(/\D/g, '').padStart(12, '0').slice(-12)}` }] }] }],
        references: [],
      },
    })),
  });
}
