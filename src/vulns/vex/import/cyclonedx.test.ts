import { describe, expect, it } from 'vitest';
import { CDX_JUSTIFICATIONS, CDX_STATES } from '../mappings.js';
import { fixtureText, only, parseDoc, vexErrorOf, withValue } from '../testing/helpers.js';
import { parseVex } from './parse.js';

const FIXTURE = 'cyclonedx-every-state.cdx-1.5.json';
const doc = parseVex(fixtureText(FIXTURE), FIXTURE);
const pump = { bomRef: 'pump', name: 'InfuseRight 3000', version: '4.2.1', vendor: 'Acme Medical', cpe: 'cpe:2.3:o:acme_medical:infuseright_3000_firmware:4.2.1:*:*:*:*:*:*:*' };

describe('CycloneDX VEX import', () => {
  it('reads document info: serial number, version, author and timestamp', () => {
    expect(doc.format).toBe('cyclonedx');
    expect(doc.specVersion).toBe('1.5');
    expect(doc.info).toEqual({ id: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', version: '2', author: 'Acme Medical PSIRT', timestamp: '2024-06-01T10:00:00.000Z' });
  });

  it('maps every CycloneDX analysis state to a VEX state and keeps the state as written', () => {
    const byState = Object.fromEntries(['CVE-2023-0001', 'CVE-2023-0002', 'CVE-2023-0003', 'CVE-2023-0004', 'CVE-2023-0005', 'CVE-2023-0101'].map((id) => [only(doc.statements, id).sourceState, only(doc.statements, id).state]));
    expect(byState).toEqual({ resolved: 'fixed', resolved_with_pedigree: 'fixed', exploitable: 'affected', in_triage: 'under_investigation', false_positive: 'not_affected', not_affected: 'not_affected' });
    expect(Object.keys(byState).sort()).toEqual([...CDX_STATES].sort());
  });

  it('keeps every CycloneDX justification as written', () => {
    const got = ['0101', '0102', '0103', '0104', '0105', '0106', '0107', '0108', '0109'].map((n) => only(doc.statements, `CVE-2023-${n}`).justification);
    expect(got).toEqual([...CDX_JUSTIFICATIONS]);
  });

  it('resolves a component ref to the BOM product with the component as subcomponent', () => {
    const s = only(doc.statements, 'CVE-2023-0001');
    expect(s.products).toEqual([pump]);
    expect(s.subcomponents).toEqual([
      { bomRef: 'openssl', name: 'openssl', version: '1.1.1k', purl: 'pkg:generic/openssl/openssl@1.1.1k', hashes: [{ algorithm: 'SHA-256', value: 'ab'.repeat(32) }] },
    ]);
    expect(s.aliases).toEqual(['GHSA-1111-2222-3333']);
    expect(s.detail).toBe('Fixed in 4.2.1.');
    expect(s.timestamp).toBe('2024-05-02T00:00:00.000Z');
    expect(s.source).toEqual({ format: 'cyclonedx', location: FIXTURE, pointer: '/vulnerabilities/0/affects/0' });
  });

  it('resolves nested components, services and the metadata component itself', () => {
    expect(only(doc.statements, 'CVE-2023-0002').subcomponents?.[0]).toMatchObject({ bomRef: 'libcrypto', vendor: 'OpenSSL Project' });
    expect(only(doc.statements, 'CVE-2023-0004').subcomponents?.[0]).toEqual({ bomRef: 'update-service', name: 'update service', version: '2' });
    const self = only(doc.statements, 'CVE-2023-0003');
    expect(self.products).toEqual([pump]);
    expect(self.subcomponents).toBeUndefined();
  });

  it('turns recommendation and workaround into the action statement and keeps responses', () => {
    const s = only(doc.statements, 'CVE-2023-0003');
    expect(s.actionStatement).toBe('Update to 4.3.\nDisable the remote console.');
    expect(s.responses).toEqual(['update', 'workaround_available']);
    expect(s.timestamp).toBe('2024-04-01T00:00:00.000Z');
  });

  it('falls back to the BOM timestamp when the analysis has none, and keeps affects versions', () => {
    const s = only(doc.statements, 'CVE-2023-0101');
    expect(s.timestamp).toBe('2024-06-01T10:00:00.000Z');
    expect(s.subcomponents?.[0]?.versions).toEqual([{ version: '1.1.1k', status: 'unaffected' }]);
  });

  it('resolves a BOM-Link into this BOM locally and keeps links into other BOMs', () => {
    const links = doc.statements.filter((s) => s.vulnerabilityId === 'CVE-2023-0200');
    expect(links.map((s) => s.subcomponents?.[0])).toEqual([
      { bomRef: 'pkg:generic/busybox/busybox@1.31.0', name: 'busybox', version: '1.31.0', purl: 'pkg:generic/busybox/busybox@1.31.0' },
      { bomLink: 'urn:cdx:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/1#pkg:npm/lodash@4.17.20', purl: 'pkg:npm/lodash@4.17.20' },
      { bomLink: 'urn:cdx:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/1' },
    ]);
  });

  it('skips vulnerability report entries without analysis, with a warning naming the pointer', () => {
    expect(doc.statements.some((s) => s.vulnerabilityId === 'CVE-2023-0300')).toBe(false);
    expect(doc.warnings).toEqual([expect.stringContaining('/vulnerabilities/15: CVE-2023-0300 has no analysis.state')]);
  });

  it('restores a CSAF label from the CareGuard property only when it agrees with the CycloneDX justification', () => {
    const bom = (justification: string, label: string) => ({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ type: 'library', 'bom-ref': 'a', name: 'a' }],
      vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'not_affected', justification }, affects: [{ ref: 'a' }], properties: [{ name: 'careguard:vex:justification', value: label }] }],
    });
    expect(parseDoc(bom('code_not_present', 'component_not_present')).statements[0]?.justification).toBe('component_not_present');
    expect(parseDoc(bom('code_not_reachable', 'component_not_present')).statements[0]?.justification).toBe('code_not_reachable');
    expect(parseDoc(bom('code_not_present', 'made_up')).statements[0]?.justification).toBe('code_not_present');
  });

  it('uses the affects ref itself as the product when the BOM has no metadata component', () => {
    const bare = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ type: 'library', 'bom-ref': 'openssl', name: 'openssl', version: '1.1.1k' }],
      vulnerabilities: [{ id: 'CVE-2023-0001', analysis: { state: 'exploitable' }, affects: [{ ref: 'openssl' }] }],
    };
    const s = parseDoc(bare).statements[0];
    expect(s?.products).toEqual([expect.objectContaining({ bomRef: 'openssl' })]);
    expect(s?.subcomponents).toBeUndefined();
  });

  it('reads a CycloneDX 1.6 and a 1.4 document the same way', () => {
    for (const v of ['1.4', '1.6']) expect(parseVex(JSON.stringify(withValue(FIXTURE, '/specVersion', v)), 'x.json').statements).toHaveLength(doc.statements.length);
  });
});

describe('CycloneDX VEX import errors', () => {
  const cases: Array<[string, string, unknown, string, string]> = [
    ['an unknown analysis state', '/vulnerabilities/0/analysis/state', 'maybe', 'vex.invalid', '/vulnerabilities/0/analysis/state'],
    ['an analysis state of the wrong type', '/vulnerabilities/0/analysis/state', 3, 'vex.invalid', '/vulnerabilities/0/analysis/state'],
    ['an unknown justification', '/vulnerabilities/5/analysis/justification', 'not_present', 'vex.invalid', '/vulnerabilities/5/analysis/justification'],
    ['an unknown response', '/vulnerabilities/5/analysis/response', ['ignore'], 'vex.invalid', '/vulnerabilities/5/analysis/response/0'],
    ['affects that is not an array', '/vulnerabilities/1/affects', { ref: 'openssl' }, 'vex.invalid', '/vulnerabilities/1/affects'],
    ['an affects ref naming no bom-ref', '/vulnerabilities/1/affects/0/ref', 'nope', 'vex.unresolved_ref', '/vulnerabilities/1/affects/0/ref'],
    ['a BOM-Link into this BOM naming no bom-ref', '/vulnerabilities/14/affects/0/ref', 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/2#missing', 'vex.unresolved_ref', '/vulnerabilities/14/affects/0/ref'],
    ['a malformed BOM-Link', '/vulnerabilities/14/affects/0/ref', 'urn:cdx:not-a-uuid#x', 'vex.unresolved_ref', '/vulnerabilities/14/affects/0/ref'],
    ['a vulnerability without id', '/vulnerabilities/2/id', undefined, 'vex.invalid', '/vulnerabilities/2/id'],
    ['a component name of the wrong type', '/components/0/components/0/name', 7, 'vex.invalid', '/components/0/components/0/name'],
    ['a duplicate bom-ref', '/components/2/bom-ref', 'openssl', 'vex.invalid', '/components/2/bom-ref'],
    ['an invalid analysis timestamp', '/vulnerabilities/0/analysis/lastUpdated', 'yesterday', 'vex.invalid', '/vulnerabilities/0/analysis/lastUpdated'],
    ['CycloneDX 1.3 (no vulnerabilities in the core spec)', '/specVersion', '1.3', 'vex.unsupported_version', '/specVersion'],
    ['a non-integer BOM version', '/version', '2', 'vex.invalid', '/version'],
  ];
  it.each(cases)('rejects %s with its JSON pointer', (_what, at, value, code, pointer) => {
    const e = vexErrorOf(withValue(FIXTURE, at, value), 'bad.cdx.json');
    expect(e.code).toBe(code);
    expect(e.pointer).toBe(pointer);
    expect(e.location?.file).toBe('bad.cdx.json');
    expect(e.message).toContain(`bad.cdx.json at ${pointer}`);
  });

  it('rejects components nested deeper than the limit', () => {
    let nested: Record<string, unknown> = { type: 'library', name: 'leaf' };
    for (let i = 0; i < 40; i++) nested = { type: 'library', name: `c${i}`, components: [nested] };
    const e = vexErrorOf({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [nested] });
    expect(e.code).toBe('vex.too_deep');
  });
});
