import { describe, expect, it } from 'vitest';
import { CSAF_JUSTIFICATIONS } from '../mappings.js';
import { NOW, base, product } from '../testing/sample.js';
import { exportOpenVex } from './openvex.js';

type Obj = Record<string, unknown>;
const doc = exportOpenVex({ ...base, author: 'Acme Medical PSIRT', role: 'Product security team' });
const statements = doc.statements as Obj[];
const of = (id: string) => statements.filter((s) => (s.vulnerability as Obj).name === id);

describe('OpenVEX 0.2.0 export', () => {
  it('writes the document header with a deterministic urn:uuid id', () => {
    expect(doc).toMatchObject({ '@context': 'https://openvex.dev/ns/v0.2.0', author: 'Acme Medical PSIRT', role: 'Product security team', timestamp: NOW, version: 1, tooling: 'CareGuard 0.1.0-test' });
    expect(doc['@id']).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(exportOpenVex({ ...base, author: 'Acme Medical PSIRT', role: 'Product security team' })['@id']).toBe(doc['@id']);
  });

  it('names the product by its CPE (no purl) and the component as a subcomponent purl', () => {
    expect(of('CVE-2023-0286')[0]).toMatchObject({
      products: [{ '@id': product.cpe, subcomponents: [{ '@id': 'pkg:generic/openssl/openssl@1.1.1k', identifiers: { cpe23: 'cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*' } }] }],
      status: 'affected',
      action_statement: 'Disable the remote service until firmware 4.3 is installed.',
    });
    expect(of('ICSMA-24-100-01')[0]?.products).toEqual([{ '@id': product.cpe }]);
  });

  it('writes only OpenVEX justification labels and the statements OpenVEX requires', () => {
    for (const s of statements) {
      if (s.justification !== undefined) expect(CSAF_JUSTIFICATIONS).toContain(s.justification);
      if (s.status === 'not_affected') expect(s.justification ?? s.impact_statement).toBeDefined();
      if (s.status === 'affected') expect(typeof s.action_statement).toBe('string');
    }
    expect(of('CVE-2023-0465')[0]?.action_statement).toMatch(/^No fix is available yet/);
  });

  it('writes untriaged findings as under_investigation with the aliases of their advisories', () => {
    expect(of('CVE-2021-42386')[0]).toMatchObject({ status: 'under_investigation', timestamp: '2025-02-20T00:00:00.000Z' });
    expect(of('CVE-2023-0465')[0]?.vulnerability).toEqual({ name: 'CVE-2023-0465', aliases: ['GHSA-aaaa-bbbb-cccc'] });
  });

  it('falls back to a CareGuard URN for a product with neither purl nor CPE', () => {
    const out = exportOpenVex({ ...base, author: 'a', product: { ...product, cpe: undefined } });
    expect(((out.statements as Obj[])[0]?.products as Obj[])[0]?.['@id']).toBe('urn:careguard:product:prd_pump');
  });
});
