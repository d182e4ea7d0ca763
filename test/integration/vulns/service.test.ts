/**
 * End to end through the vulnerability service on both engines: SBOM import, advisory ingest with
 * incremental re-matching, KEV enrichment re-scoring and alerting, triage carried over to a new
 * SBOM version, withdrawal closing findings, idempotent re-import.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';
import { actor, addDevices, firmwareSbom, nvdBundle, parse, vulnStack, type VulnStack } from './stack.js';

const OPENSSL = 'CVE-2099-9001';
const ZLIB = 'CVE-2099-9002';

const sbomV1 = firmwareSbom('Acme Medical', 'InfuseOne', '1.0', [
  ['openssl', '1.1.1k', 'openssl', 'openssl'],
  ['zlib', '1.2.11', 'zlib', 'zlib'],
  ['busybox', '1.36.1', 'busybox', 'busybox'],
]);
const sbomV2SameOpenssl = firmwareSbom('Acme Medical', 'InfuseOne', '1.1', [
  ['openssl', '1.1.1k', 'openssl', 'openssl'],
  ['zlib', '1.2.13', 'zlib', 'zlib'],
]);
const advisories = nvdBundle([
  { id: OPENSSL, vendor: 'openssl', product: 'openssl', fixed: '1.1.1n' },
  { id: ZLIB, vendor: 'zlib', product: 'zlib', fixed: '1.2.12', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' },
]);
const kev = JSON.stringify({
  title: 'test',
  catalogVersion: '1',
  dateReleased: '2099-03-01T00:00:00.000Z',
  count: 1,
  vulnerabilities: [{ cveID: ZLIB, vendorProject: 'zlib', product: 'zlib', vulnerabilityName: 'zlib', dateAdded: '2099-03-01', shortDescription: 'x', requiredAction: 'patch', dueDate: '2099-03-21', knownRansomwareCampaignUse: 'Unknown', notes: '' }],
});

describeEachEngine('vulnerability service', (engine) => {
  let h: DatabaseHandle;
  let s: VulnStack;
  beforeEach(async () => {
    h = await engine.open();
    s = vulnStack(h);
    await addDevices(s, [
      { name: 'Pump 1', manufacturer: 'Acme Medical', model: 'InfuseOne', firmwareVersion: '1.0', criticality: 'life-sustaining', unit: 'ICU', site: 'North', mac: '00:11:22:33:44:01' },
      { name: 'Pump 2', manufacturer: 'Acme Medical', model: 'InfuseOne', firmwareVersion: '1.0', criticality: 'therapeutic-non-critical', unit: 'Ward 3', site: 'North', mac: '00:11:22:33:44:02' },
    ]);
  });
  afterEach(async () => {
    await h.close();
  });

  it('matches a new advisory against stored SBOM components only (incremental), with evidence, risk and alerts', async () => {
    const imported = await s.vulns.service.importSbom(sbomV1, { file: 'v1.cdx.json' }, actor);
    expect(imported).toMatchObject({ created: true, opened: 0 });
    expect(imported.product).toMatchObject({ manufacturer: 'Acme Medical', name: 'InfuseOne', version: '1.0' });

    const r = await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: advisories }), actor, 'nvd.json');
    expect(r).toMatchObject({ inserted: 2, opened: 2, productsRematched: 1 });
    const page = await s.vulns.queries.findings({ productId: imported.product.id, status: 'open' }, 'risk', undefined, 50);
    expect(page.items.map((f) => f.vulnerabilityId).sort()).toEqual([OPENSSL, ZLIB]);
    const openssl = page.items.find((f) => f.vulnerabilityId === OPENSSL)!;
    expect(openssl).toMatchObject({ componentName: 'openssl', componentVersion: '1.1.1k', rule: 'cpe', advisorySource: 'nvd' });
    expect(openssl.evidence.explanation).toMatch(/1\.1\.1k/);
    expect(openssl.riskScore).toBeGreaterThan(0);
    expect(openssl.alertId).toBeDefined(); // life-sustaining pump: always alerts
    expect(openssl.advisoryPublished).toMatch(/^2099-02-01/);
    const detail = await s.vulns.queries.finding(openssl.id);
    expect(detail.perDevice).toHaveLength(2);
    expect(detail.deviceId).toBeDefined();
    const alerts = await s.alerts.list({ source: 'vulns' } as never);
    expect(alerts.items.length).toBeGreaterThanOrEqual(2);

    // A full re-match from the preloaded index agrees with what incremental matching found.
    const full = await s.vulns.service.rematchAll(actor);
    expect(full).toMatchObject({ products: 1, opened: 0, closed: 0, refreshed: 2 });

    // Ingesting the same advisories again changes nothing.
    const again = await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: advisories }), actor, 'nvd.json');
    expect(again).toMatchObject({ inserted: 0, changed: 0, unchanged: 2, opened: 0 });
  });

  it('closes a finding when a changed advisory no longer covers the component, and when it is withdrawn', async () => {
    const imported = await s.vulns.service.importSbom(sbomV1, { file: 'v1.cdx.json' }, actor);
    await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: advisories }), actor);
    expect((await s.vulns.queries.findings({ productId: imported.product.id, status: 'open' }, 'risk', undefined, 10)).total).toBe(2);
    // the corrected record says 1.1.1k was never affected (fixed in 1.1.1j)
    const corrected = await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: nvdBundle([{ id: OPENSSL, vendor: 'openssl', product: 'openssl', fixed: '1.1.1j' }]) }), actor);
    expect(corrected).toMatchObject({ changed: 1, closed: 1, opened: 0 });
    const [closed] = (await s.vulns.queries.findings({ vulnerabilityId: OPENSSL, status: 'closed' }, 'lastSeen', undefined, 10)).items;
    expect(closed).toMatchObject({ closeReason: 'no-longer-matches' });
    const rejected = await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: nvdBundle([{ id: ZLIB, vendor: 'zlib', product: 'zlib', fixed: '1.2.12', withdrawn: true }]) }), actor);
    expect(rejected.closed).toBe(1);
    expect((await s.vulns.queries.findings({ vulnerabilityId: ZLIB, status: 'closed' }, 'lastSeen', undefined, 10)).items[0]).toMatchObject({ closeReason: 'advisory-withdrawn' });
    expect((await s.vulns.queries.findings({ productId: imported.product.id, status: 'open' }, 'risk', undefined, 10)).total).toBe(0);
  });

  it('re-scores findings when KEV lists their vulnerability', async () => {
    const imported = await s.vulns.service.importSbom(sbomV1, { file: 'v1.cdx.json' }, actor);
    await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: advisories }), actor);
    const before = (await s.vulns.queries.findings({ vulnerabilityId: ZLIB }, 'risk', undefined, 10)).items[0]!;
    const r = await s.vulns.service.ingestAdvisories(parse({ name: 'known_exploited_vulnerabilities.json', text: kev }), actor);
    expect(r.findingsRescored).toBe(1);
    const after = (await s.vulns.queries.findings({ vulnerabilityId: ZLIB, productId: imported.product.id }, 'risk', undefined, 10)).items[0]!;
    expect(after.riskScore).toBeGreaterThan(before.riskScore);
    const detail = await s.vulns.queries.finding(after.id);
    expect(detail.intel.kev?.dueDate).toBe('2099-03-21');
  });

  it('closes findings a new SBOM no longer contains and carries triage over for unchanged components', async () => {
    await s.vulns.service.ingestAdvisories(parse({ name: 'nvd.json', text: advisories }), actor);
    const v1 = await s.vulns.service.importSbom(sbomV1, { file: 'v1.cdx.json' }, actor);
    expect(v1.opened).toBe(2);
    const openssl = (await s.vulns.queries.findings({ vulnerabilityId: OPENSSL }, 'risk', undefined, 10)).items[0]!;
    const updated = await s.vulns.triage.triage(openssl.id, { state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', detail: 'TLS client never parses peer certificates' }, actor);
    expect(updated.map((f) => f.id)).toEqual([openssl.id]);
    expect(openssl.riskScore).toBeGreaterThan(0);
    expect(updated[0]!.riskScore).toBe(0); // not_affected scores 0, so lists sorted by risk drop it
    expect((await s.vulns.queries.findings({ minRisk: 1, vulnerabilityId: OPENSSL }, 'risk', undefined, 10)).items).toEqual([]);

    // a new firmware version of the same product line: openssl unchanged, zlib upgraded past the fix
    const v2 = await s.vulns.service.importSbom(sbomV2SameOpenssl, { file: 'v2.cdx.json' }, actor);
    expect(v2.product.version).toBe('1.1');
    expect(v2.opened).toBe(1);
    const carried = (await s.vulns.queries.findings({ productId: v2.product.id }, 'risk', undefined, 10)).items;
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({ vulnerabilityId: OPENSSL, triage: { state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', origin: 'analyst' } });

    // the same product version gets a new SBOM without zlib: its zlib finding closes
    const v1b = await s.vulns.service.importSbom(firmwareSbom('Acme Medical', 'InfuseOne', '1.0', [['openssl', '1.1.1k', 'openssl', 'openssl']]), { file: 'v1b.cdx.json' }, actor);
    expect(v1b).toMatchObject({ created: true, closed: 1, opened: 0 });
    const closed = (await s.vulns.queries.findings({ productId: v1.product.id, status: 'closed' }, 'lastSeen', undefined, 10)).items;
    expect(closed).toMatchObject([{ vulnerabilityId: ZLIB, closeReason: 'component-removed' }]);

    // re-importing the same document is a no-op
    const same = await s.vulns.service.importSbom(firmwareSbom('Acme Medical', 'InfuseOne', '1.0', [['openssl', '1.1.1k', 'openssl', 'openssl']]), { file: 'again.json' }, actor);
    expect(same).toMatchObject({ created: false, opened: 0, closed: 0 });
  });

  it('matches vendor advisories to inventory products without an SBOM (CSAF product tree)', async () => {
    const sync = await s.vulns.service.syncProductsFromInventory(actor);
    expect(sync).toMatchObject({ products: 1, created: 1 });
    const csaf = JSON.stringify({
      document: {
        category: 'csaf_security_advisory',
        csaf_version: '2.0',
        title: 'Acme InfuseOne',
        publisher: { category: 'vendor', name: 'Acme Medical', namespace: 'https://acme.invalid' },
        tracking: { id: 'ACME-2099-01', status: 'final', version: '1', revision_history: [{ number: '1', date: '2099-02-01T00:00:00Z', summary: 'x' }], initial_release_date: '2099-02-01T00:00:00Z', current_release_date: '2099-02-01T00:00:00Z' },
      },
      product_tree: {
        branches: [{ category: 'vendor', name: 'Acme Medical', branches: [{ category: 'product_name', name: 'InfuseOne', branches: [
          { category: 'product_version', name: '1.0', product: { product_id: 'P10', name: 'Acme InfuseOne 1.0' } },
          { category: 'product_version', name: '1.2', product: { product_id: 'P12', name: 'Acme InfuseOne 1.2' } },
        ] }] }],
      },
      vulnerabilities: [{ cve: 'CVE-2099-9100', product_status: { known_affected: ['P10'], fixed: ['P12'] }, remediations: [{ category: 'vendor_fix', details: 'Update to 1.2', product_ids: ['P10'] }] }],
    });
    const r = await s.vulns.service.ingestAdvisories(parse({ name: 'acme-2099-01.json', text: csaf }), actor);
    expect(r.opened).toBe(1);
    const [f] = (await s.vulns.queries.findings({ vulnerabilityId: 'CVE-2099-9100' }, 'risk', undefined, 10)).items;
    expect(f).toMatchObject({ componentRef: '#product', advisorySource: 'csaf' });
    const detail = await s.vulns.queries.finding(f!.id);
    expect(JSON.stringify(detail.risk.recommendedAction)).toMatch(/Update to 1\.2/);
  });
});
