import { describe, expect, it } from 'vitest';
import { CSAF_JUSTIFICATIONS, OPENVEX_STATUSES } from '../mappings.js';
import { fixtureText, only, vexErrorOf, withValue } from '../testing/helpers.js';
import { parseVex } from './parse.js';

const FIXTURE = 'openvex-every-status.json';
const doc = parseVex(fixtureText(FIXTURE), FIXTURE);

describe('OpenVEX import', () => {
  it('reads @id, author, version and timestamp', () => {
    expect(doc.format).toBe('openvex');
    expect(doc.specVersion).toBe('0.2.0');
    expect(doc.info).toEqual({ id: 'https://openvex.dev/docs/acme/vex-2024-001', author: 'Acme Medical PSIRT', version: '3', timestamp: '2024-06-01T00:00:00.000Z' });
  });

  it('reads every status and every justification label', () => {
    expect([...new Set(doc.statements.map((s) => s.state))].sort()).toEqual([...OPENVEX_STATUSES].sort());
    expect(doc.statements.flatMap((s) => (s.justification ? [s.justification] : []))).toEqual([...CSAF_JUSTIFICATIONS]);
  });

  it('reads the product @id, identifiers, hashes and subcomponents', () => {
    const s = only(doc.statements, 'CVE-2024-1000');
    expect(s.products).toEqual([
      { purl: 'pkg:oci/infuseright@sha256%3Aabc', cpe: 'cpe:2.3:o:acme_medical:infuseright_3000_firmware:4.2.1:*:*:*:*:*:*:*', hashes: [{ algorithm: 'sha-256', value: 'ab'.repeat(32) }] },
    ]);
    expect(s.subcomponents).toEqual([{ purl: 'pkg:generic/openssl/openssl@1.1.1k' }, { purl: 'pkg:generic/zlib/zlib@1.2.11' }]);
    expect(s.aliases).toEqual(['https://nvd.nist.gov/vuln/detail/CVE-2024-1000', 'GHSA-aaaa-bbbb-cccc']);
    expect(s.impactStatement).toBe('OpenSSL is not linked.');
    expect(s.timestamp).toBe('2024-05-01T00:00:00.000Z');
    expect(s.source.pointer).toBe('/statements/0/products/0');
  });

  it('makes one statement per product and keeps a non-purl @id as id', () => {
    const affected = doc.statements.filter((s) => s.vulnerabilityId === 'CVE-2024-2000');
    expect(affected.map((s) => s.products[0])).toEqual([{ purl: 'pkg:generic/acme/pump@4.2.1' }, { id: 'https://acme.test/products/pump-4.2.0' }]);
    expect(affected.every((s) => s.actionStatement === 'Update to 4.3.0.')).toBe(true);
  });

  it('uses last_updated over timestamp, falls back to the document time, and reads status_notes as detail', () => {
    expect(only(doc.statements, 'CVE-2024-3000').timestamp).toBe('2024-05-03T00:00:00.000Z');
    const s = only(doc.statements, 'CVE-2024-4000');
    expect(s.timestamp).toBe('2024-06-01T00:00:00.000Z');
    expect(s.detail).toBe('Vendor analysis pending.');
  });

  it('warns about a not_affected statement with neither justification nor impact statement', () => {
    expect(only(doc.statements, 'CVE-2024-5000').state).toBe('not_affected');
    expect(doc.warnings).toEqual(['/statements/8: not_affected without justification or impact_statement (required by OpenVEX)']);
  });

  it('reads the 0.0.x shape: string vulnerability, IRI products, statement-level subcomponents', () => {
    const legacy = parseVex(fixtureText('openvex-0.0.2-legacy.json'), 'legacy.json');
    expect(legacy.specVersion).toBe('0.0.1');
    expect(legacy.statements).toHaveLength(2);
    expect(legacy.statements[1]).toMatchObject({
      vulnerabilityId: 'CVE-2014-123456',
      state: 'fixed',
      products: [{ purl: 'pkg:apk/distro/git@2.39.0-r1?arch=x86_64' }],
      subcomponents: [{ purl: 'pkg:apk/distro/libcurl@7.87.0-r0' }],
      timestamp: '2023-01-09T00:02:03.647Z',
    });
  });
});

describe('OpenVEX import errors', () => {
  const cases: Array<[string, string, unknown, string, string]> = [
    ['an unknown status', '/statements/1/status', 'exploitable', 'vex.invalid', '/statements/1/status'],
    ['a CycloneDX justification (not an OpenVEX label)', '/statements/1/justification', 'code_not_present', 'vex.invalid', '/statements/1/justification'],
    ['a vulnerability without name', '/statements/0/vulnerability/name', undefined, 'vex.invalid', '/statements/0/vulnerability/name'],
    ['statements that are not an array', '/statements', {}, 'vex.invalid', '/statements'],
    ['a statement without products', '/statements/2/products', [], 'vex.unresolved_ref', '/statements/2/products'],
    ['a product with no identifier at all', '/statements/2/products/0', { subcomponents: [] }, 'vex.unresolved_ref', '/statements/2/products/0'],
    ['a subcomponent of the wrong type', '/statements/0/products/0/subcomponents/1', 42, 'vex.invalid', '/statements/0/products/0/subcomponents/1'],
    ['a hash value of the wrong type', '/statements/0/products/0/hashes/sha-256', 1, 'vex.invalid', '/statements/0/products/0/hashes/sha-256'],
    ['an invalid timestamp', '/statements/0/timestamp', 'May 2024', 'vex.invalid', '/statements/0/timestamp'],
  ];
  it.each(cases)('rejects %s with its JSON pointer', (_what, at, value, code, pointer) => {
    const e = vexErrorOf(withValue(FIXTURE, at, value), 'bad.openvex.json');
    expect(e.code).toBe(code);
    expect(e.pointer).toBe(pointer);
  });
});
