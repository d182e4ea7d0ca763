import { describe, expect, it } from 'vitest';
import { VEX_JUSTIFICATIONS } from '../../findings/model.js';
import { CDX_JUSTIFICATIONS, VEX_JUSTIFICATION_PROPERTY } from '../mappings.js';
import { NOW, base, findings, justificationComponents, product } from '../testing/sample.js';
import { cycloneDx16Violation } from '../testing/validators.js';
import { exportCycloneDxVex } from './cyclonedx.js';

type Obj = Record<string, unknown>;
const doc = exportCycloneDxVex({ ...base, author: { name: 'Acme PSIRT', email: 'psirt@acme.test' } });
const vulns = doc.vulnerabilities as Obj[];
const byId = (id: string) => vulns.filter((v) => v.id === id);
const analysis = (id: string) => byId(id)[0]?.analysis as Obj;

describe('CycloneDX 1.6 VEX export', () => {
  it('validates against the CycloneDX 1.6 JSON schema', () => {
    expect(cycloneDx16Violation(doc)).toBeUndefined();
  });

  it('validates without SBOM enrichment, for a product without version and with a purl', () => {
    const bare = exportCycloneDxVex({ ...base, components: undefined, product: { ...product, version: '', purl: 'pkg:generic/acme/infuseright@4.2.1' } });
    expect(cycloneDx16Violation(bare)).toBeUndefined();
  });

  it('stays valid with an unparsable purl, a malformed CPE, a bad e-mail and odd hashes', () => {
    const odd = exportCycloneDxVex({
      ...base,
      author: { name: 'PSIRT', email: 'not an address' },
      product: { ...product, purl: 'pkg:%%%/bad', cpe: 'cpe:bad' },
      components: new Map([['openssl', { ...base.components.get('openssl')!, hashes: [{ alg: 'CRC32', value: 'abcd' }, { alg: 'sha256', value: 'AB'.repeat(32) }] }]]),
    });
    expect(cycloneDx16Violation(odd)).toBeUndefined();
    expect((odd.metadata as Obj).authors).toEqual([{ name: 'PSIRT' }]);
    expect((odd.components as Obj[]).find((c) => c['bom-ref'] === 'openssl')?.hashes).toEqual([{ alg: 'SHA-256', content: 'ab'.repeat(32) }]);
  });

  it('writes the header: format, version, deterministic urn:uuid serial, timestamp, tool, author and product', () => {
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(doc.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(exportCycloneDxVex({ ...base, author: { name: 'Acme PSIRT', email: 'psirt@acme.test' } }).serialNumber).toBe(doc.serialNumber);
    expect(doc.metadata).toMatchObject({
      timestamp: NOW,
      tools: { components: [{ type: 'application', name: 'CareGuard', version: '0.1.0-test' }] },
      authors: [{ name: 'Acme PSIRT', email: 'psirt@acme.test' }],
      component: { type: 'device', 'bom-ref': 'product:prd_pump', name: 'InfuseRight 3000', version: '4.2.1', manufacturer: { name: 'Acme Medical' }, cpe: product.cpe },
    });
  });

  it('lists each component a finding names once, by bom-ref, enriched from the SBOM', () => {
    const components = doc.components as Obj[];
    const refs = components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs).toEqual(expect.arrayContaining(['openssl', 'busybox', 'lib-0', 'lib-13']));
    expect(components.find((c) => c['bom-ref'] === 'openssl')).toEqual({
      type: 'library',
      'bom-ref': 'openssl',
      supplier: { name: 'OpenSSL Software Foundation' },
      name: 'openssl',
      version: '1.1.1k',
      hashes: [{ alg: 'SHA-256', content: 'ab'.repeat(32) }],
      cpe: 'cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*',
      purl: 'pkg:generic/openssl/openssl@1.1.1k',
    });
  });

  it('maps VEX states to CycloneDX analysis states; untriaged findings are in_triage', () => {
    expect(analysis('CVE-2023-0286')).toMatchObject({ state: 'exploitable', response: ['update', 'workaround_available'] });
    expect(analysis('CVE-2022-48174')).toMatchObject({ state: 'resolved', response: ['update'], detail: 'Patched in the vendor build.' });
    expect(analysis('CVE-2022-28391')).toMatchObject({ state: 'in_triage' });
    expect(analysis('CVE-2021-42386')).toEqual({ state: 'in_triage', firstIssued: '2025-01-10T00:00:00.000Z', lastUpdated: '2025-02-20T00:00:00.000Z' });
  });

  it('leaves out findings closed because the component was removed', () => {
    expect(byId('CVE-2020-0001')).toEqual([]);
  });

  it('exports a finding closed as fixed as resolved', () => {
    const closed = findings.find((f) => f.vulnerabilityId === 'CVE-2021-42386')!;
    const out = exportCycloneDxVex({ ...base, findings: [{ ...closed, status: 'closed', closeReason: 'fixed', closedAt: '2025-02-25T00:00:00.000Z' }] });
    expect((out.vulnerabilities as Obj[])[0]?.analysis).toMatchObject({ state: 'resolved', lastUpdated: '2025-02-25T00:00:00.000Z' });
  });

  it('writes CycloneDX justifications as they are and CSAF labels as the nearest value plus a property', () => {
    justificationComponents.forEach((c, i) => {
      const v = byId(`CVE-2024-10${String(i).padStart(2, '0')}`)[0]!;
      const a = v.analysis as Obj;
      expect(a.state).toBe('not_affected');
      if ((CDX_JUSTIFICATIONS as readonly string[]).includes(c.justification)) {
        expect(a.justification).toBe(c.justification);
        expect(v.properties).toBeUndefined();
      } else {
        expect(CDX_JUSTIFICATIONS).toContain(a.justification);
        expect(v.properties).toEqual([{ name: VEX_JUSTIFICATION_PROPERTY, value: c.justification }]);
      }
    });
    expect(justificationComponents.map((c) => c.justification)).toEqual([...VEX_JUSTIFICATIONS]);
  });

  it('points affects at component bom-refs and at the product for firmware findings', () => {
    expect(byId('CVE-2023-0286')[0]?.affects).toEqual([{ ref: 'openssl', versions: [{ version: '1.1.1k', status: 'affected' }] }]);
    expect(byId('CVE-2024-1000')[0]?.affects).toEqual([{ ref: 'lib-0', versions: [{ version: '1.0.0', status: 'unaffected' }] }]);
    expect(byId('ICSMA-24-100-01')[0]?.affects).toEqual([{ ref: 'product:prd_pump', versions: [{ version: '4.2.1', status: 'affected' }] }]);
  });

  it('carries source, aliases, ratings, CWEs, description and recommendation from the advisories', () => {
    expect(byId('CVE-2023-0465')[0]).toMatchObject({
      source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2023-0465' },
      references: [{ id: 'GHSA-aaaa-bbbb-cccc', source: { name: 'GitHub', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc' } }],
      ratings: [{ score: 5, severity: 'medium', method: 'CVSSv2', vector: 'AV:N/AC:L/Au:N/C:P/I:N/A:N' }],
      cwes: [787],
      description: 'Summary of CVE-2023-0465',
    });
    expect(byId('CVE-2023-0286')[0]).toMatchObject({ ratings: [{ source: { name: 'nvd@nist.gov' }, score: 9.8, severity: 'critical', method: 'CVSSv31' }], recommendation: 'Disable the remote service until firmware 4.3 is installed.' });
  });

  it('splits one vulnerability into entries per distinct decision and shares one entry for equal decisions', () => {
    const f = findings.find((x) => x.vulnerabilityId === 'CVE-2023-0465')!;
    const busy = { ...f, id: 'fnd_x', componentRef: 'busybox', componentKey: 'pkg:generic/busybox/busybox@1.31.0', componentName: 'busybox', componentVersion: '1.31.0' };
    const twin = { ...f, id: 'fnd_y', componentRef: 'zlib', componentKey: 'zlib@1.2.11', componentName: 'zlib', componentVersion: '1.2.11' };
    const out = exportCycloneDxVex({ ...base, findings: [f, twin, { ...busy, triage: undefined }] });
    const entries = (out.vulnerabilities as Obj[]).filter((v) => v.id === 'CVE-2023-0465');
    expect(entries.map((e) => (e.affects as Obj[]).map((a) => a.ref))).toEqual([['openssl', 'zlib'], ['busybox']]);
    expect(cycloneDx16Violation(out)).toBeUndefined();
  });

  it('matches the reviewed snapshot', async () => {
    await expect(JSON.stringify(doc, null, 2)).toMatchFileSnapshot('./__snapshots__/infuseright.cdx.json');
  });

  it('rejects a finding of another product and an invalid clock value', () => {
    expect(() => exportCycloneDxVex({ ...base, findings: [{ ...findings[0]!, productId: 'prd_other' }] })).toThrow(/belongs to product prd_other/);
    expect(() => exportCycloneDxVex({ ...base, now: 'soon' })).toThrow(/"now" is not an ISO-8601 time/);
  });
});
