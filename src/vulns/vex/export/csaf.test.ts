import { describe, expect, it } from 'vitest';
import { CDX_TO_CSAF_JUSTIFICATION, CSAF_JUSTIFICATIONS, type CdxJustification } from '../mappings.js';
import { NOW, base, findings, justificationComponents, product } from '../testing/sample.js';
import { csafFailures } from '../testing/validators.js';
import { exportCsafVex, type CsafVexInput } from './csaf.js';

type Obj = Record<string, unknown>;
const publisher = { category: 'vendor', name: 'Acme Medical PSIRT', namespace: 'https://psirt.acme.test' } as const;
const input: CsafVexInput = { ...base, publisher };
const doc = exportCsafVex(input);
const vulns = doc.vulnerabilities as Obj[];
const tree = doc.product_tree as Obj;
const byCve = (cve: string) => vulns.find((v) => v.cve === cve)!;
const relationships = tree.relationships as Array<{ product_reference: string; relates_to_product_reference: string; full_product_name: { product_id: string; name: string } }>;
const relIdOf = (name: string) => relationships.find((r) => r.full_product_name.name.startsWith(`${name} `))!.full_product_name.product_id;

describe('CSAF 2.0 VEX export', () => {
  it('passes the CSAF 2.0 strict schema and every mandatory test', async () => {
    expect(await csafFailures(doc)).toEqual([]);
  });

  it.each<[string, Partial<CsafVexInput>]>([
    ['without SBOM enrichment', { components: undefined }],
    ['for a product without version and with a purl', { product: { ...product, version: '', purl: 'pkg:generic/acme/infuseright@4.2.1', cpe: undefined } }],
    ['for a product version that reads like a range', { product: { ...product, version: '4.2 and prior' } }],
    ['for a third revision of an interim document with TLP', { status: 'interim', tlp: 'GREEN', previousRevisions: [{ date: '2025-01-01T00:00:00Z', number: '1', summary: 'Initial version.' }, { date: '2025-02-01T00:00:00Z', number: '2', summary: 'More findings.' }] }],
    ['with a purl and a CPE the CSAF checks would reject', { product: { ...product, purl: 'pkg:%%%/bad', cpe: 'cpe:bad' } }],
  ])('stays valid %s', async (_what, change) => {
    expect(await csafFailures(exportCsafVex({ ...input, ...change }))).toEqual([]);
  });

  it('writes document metadata: category, publisher, tracking with revision history and generator', () => {
    expect(doc.document).toMatchObject({
      category: 'csaf_vex',
      csaf_version: '2.0',
      lang: 'en',
      publisher: { category: 'vendor', name: 'Acme Medical PSIRT', namespace: 'https://psirt.acme.test' },
      title: 'VEX for Acme Medical InfuseRight 3000 4.2.1',
      tracking: {
        id: 'careguard-vex-prd_pump',
        status: 'final',
        version: '1',
        initial_release_date: NOW,
        current_release_date: NOW,
        revision_history: [{ date: NOW, number: '1', summary: 'Initial version.' }],
        generator: { date: NOW, engine: { name: 'CareGuard', version: '0.1.0-test' } },
      },
    });
  });

  it('appends revision n+1 to previous revisions and keeps the initial release date', () => {
    const next = exportCsafVex({ ...input, previousRevisions: [{ date: '2025-01-01T00:00:00Z', number: '1', summary: 'Initial version.' }], revisionSummary: 'Triage of CVE-2023-0286.' });
    expect(next.document.tracking).toMatchObject({
      version: '2',
      initial_release_date: '2025-01-01T00:00:00.000Z',
      revision_history: [
        { number: '1', date: '2025-01-01T00:00:00.000Z' },
        { number: '2', date: NOW, summary: 'Triage of CVE-2023-0286.' },
      ],
    });
  });

  it('builds vendor > product_name > product_version branches for the product with its CPE', () => {
    const branches = tree.branches as Obj[];
    expect(branches[0]).toEqual({
      category: 'vendor',
      name: 'Acme Medical',
      branches: [
        {
          category: 'product_name',
          name: 'InfuseRight 3000',
          branches: [{ category: 'product_version', name: '4.2.1', product: { name: 'Acme Medical InfuseRight 3000 4.2.1', product_id: 'CSAFPID-0001', product_identification_helper: { cpe: product.cpe } } }],
        },
      ],
    });
  });

  it('lists components under their supplier (or purl namespace) with purl and CPE helpers, related to the product', () => {
    const openssl = (tree.branches as Obj[]).find((b) => b.name === 'OpenSSL Software Foundation');
    expect(openssl).toMatchObject({
      category: 'vendor',
      branches: [{ category: 'product_name', name: 'openssl', branches: [{ category: 'product_version', name: '1.1.1k', product: { product_identification_helper: { purl: 'pkg:generic/openssl/openssl@1.1.1k', cpe: 'cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*' } } }] }],
    });
    expect((tree.branches as Obj[]).map((b) => b.name)).toEqual(['Acme Medical', 'acme', 'OpenSSL Software Foundation', 'busybox']);
    expect(relationships.every((r) => r.relates_to_product_reference === 'CSAFPID-0001')).toBe(true);
    expect(relationships.find((r) => r.full_product_name.name === 'openssl 1.1.1k as a component of Acme Medical InfuseRight 3000 4.2.1')).toBeDefined();
  });

  it('puts each decision in its product_status bucket; untriaged findings are under_investigation', () => {
    expect(byCve('CVE-2023-0286').product_status).toEqual({ known_affected: [relIdOf('openssl')] });
    expect(byCve('CVE-2022-48174').product_status).toEqual({ fixed: [relIdOf('busybox')] });
    expect(byCve('CVE-2022-28391').product_status).toEqual({ under_investigation: [relIdOf('busybox')] });
    expect(byCve('CVE-2021-42386').product_status).toEqual({ under_investigation: [relIdOf('busybox')] });
    expect(vulns.find((v) => v.cve === 'CVE-2020-0001')).toBeUndefined();
  });

  it('writes a firmware finding against the product itself, with the advisory id in ids', () => {
    const v = vulns.find((x) => x.cve === undefined)!;
    expect(v).toMatchObject({ ids: [{ system_name: 'CISA ICS Advisory', text: 'ICSMA-24-100-01' }], product_status: { known_affected: ['CSAFPID-0001'] }, cwe: { id: 'CWE-798', name: 'Use of Hard-coded Credentials' } });
    expect(v.remediations).toEqual([{ category: 'vendor_fix', details: 'Install firmware 4.3.', product_ids: ['CSAFPID-0001'] }]);
    expect(v.threats).toEqual([{ category: 'impact', details: 'Hard-coded service password.', product_ids: ['CSAFPID-0001'] }]);
  });

  it('flags every not_affected product with its label, mapping CycloneDX justifications to the nearest label', () => {
    justificationComponents.forEach((c, i) => {
      const v = byCve(`CVE-2024-10${String(i).padStart(2, '0')}`);
      const expected = (CSAF_JUSTIFICATIONS as readonly string[]).includes(c.justification) ? c.justification : CDX_TO_CSAF_JUSTIFICATION[c.justification as CdxJustification];
      expect(v.flags).toEqual([{ label: expected, product_ids: [relIdOf(c.name)] }]);
      expect(v.threats).toEqual([{ category: 'impact', details: `Not exploitable in the pump (${c.justification}).`, product_ids: [relIdOf(c.name)] }]);
    });
  });

  it('gives every known_affected product a remediation: the action, a fixed version, or none_available', () => {
    expect(byCve('CVE-2023-0286').remediations).toEqual([
      { category: 'mitigation', details: 'Disable the remote service until firmware 4.3 is installed.', product_ids: [relIdOf('openssl')] },
      { category: 'vendor_fix', details: 'Update openssl to 1.1.1t.', product_ids: [relIdOf('openssl')] },
    ]);
    expect(byCve('CVE-2023-0465').remediations).toEqual([expect.objectContaining({ category: 'none_available', product_ids: [relIdOf('openssl')] })]);
  });

  it('scores affected products with one CVSS v3 (or v2) score and writes notes, ids and references', () => {
    expect(byCve('CVE-2023-0286').scores).toEqual([
      { products: [relIdOf('openssl')], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, baseSeverity: 'CRITICAL' } },
    ]);
    expect(byCve('CVE-2023-0465')).toMatchObject({
      scores: [{ cvss_v2: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:N/A:N', baseScore: 5 } }],
      ids: [{ system_name: 'GitHub Security Advisory', text: 'GHSA-aaaa-bbbb-cccc' }],
      notes: [{ category: 'description', title: 'Vulnerability description', text: 'Summary of CVE-2023-0465' }],
      references: [{ category: 'external', summary: 'ADVISORY', url: 'https://example.test/CVE-2023-0465' }],
    });
    expect(byCve('CVE-2024-1000').scores).toBeUndefined();
  });

  it('writes one vulnerability per CVE even when findings name it by another id', () => {
    const f = findings.find((x) => x.vulnerabilityId === 'CVE-2023-0465')!;
    const viaGhsa = { ...f, id: 'fnd_g', vulnerabilityId: 'GHSA-aaaa-bbbb-cccc', componentRef: 'zlib', componentKey: 'zlib', componentName: 'zlib' };
    const out = exportCsafVex({ ...input, findings: [f, viaGhsa] });
    expect((out.vulnerabilities as Obj[]).map((v) => v.cve)).toEqual(['CVE-2023-0465']);
  });

  it('matches the reviewed snapshot', async () => {
    await expect(JSON.stringify(doc, null, 2)).toMatchFileSnapshot('./__snapshots__/infuseright.csaf.json');
  });

  it('refuses to export without vulnerabilities, with a bad publisher, or with a broken revision history', () => {
    expect(() => exportCsafVex({ ...input, findings: [] })).toThrow(/at least one vulnerability/);
    expect(() => exportCsafVex({ ...input, publisher: { ...publisher, namespace: 'not a url' } })).toThrow(/namespace URL/);
    expect(() => exportCsafVex({ ...input, previousRevisions: [{ date: '2025-01-01T00:00:00Z', number: '2', summary: 'x' }] })).toThrow(/number must be "1"/);
    expect(() => exportCsafVex({ ...input, previousRevisions: [{ date: '2026-01-01T00:00:00Z', number: '1', summary: 'x' }] })).toThrow(/not after now/);
  });
});
