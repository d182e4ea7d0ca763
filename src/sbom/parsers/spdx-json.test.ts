import { describe, expect, it } from 'vitest';
import { spdxJsonParser } from './spdx-json.js';
import { sbomErrorOf } from './test-helpers.js';

const pkg = (id: string, more: Record<string, unknown> = {}) => ({ SPDXID: `SPDXRef-${id}`, name: id, versionInfo: '1.0', downloadLocation: 'NOASSERTION', ...more });
const doc = (more: Record<string, unknown> = {}) => ({
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'pump-firmware',
  documentNamespace: 'https://example.org/spdx/pump-4.2',
  creationInfo: { created: '2024-05-06T07:08:09Z', creators: ['Tool: syft-1.2.3', 'Organization: Acme'] },
  ...more,
});
const parse = (d: unknown) => spdxJsonParser.parse(JSON.stringify(d), { file: 'sbom.spdx.json' });

describe('SPDX JSON parser', () => {
  it('maps packages, external refs, checksums, licences, supplier and relationships', () => {
    const s = parse(
      doc({
        packages: [
          pkg('pump', { primaryPackagePurpose: 'FIRMWARE', supplier: 'Organization: Acme Medical (psirt@acme.example)' }),
          pkg('openssl', {
            versionInfo: '3.0.4',
            originator: 'Person: Jane Doe (jane@example.org)',
            licenseConcluded: 'Apache-2.0',
            licenseDeclared: 'NOASSERTION',
            checksums: [{ algorithm: 'SHA256', checksumValue: 'AB'.repeat(32) }],
            externalRefs: [
              { referenceCategory: 'PACKAGE_MANAGER', referenceType: 'purl', referenceLocator: 'pkg:alpine/openssl@3.0.4' },
              { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.4:*:*:*:*:*:*:*' },
              { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://nvd.nist.gov/vuln/detail/CVE-2022-2274' },
            ],
          }),
          pkg('zlib', { versionInfo: 'NOASSERTION' }),
          pkg('modem', { externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe22Type', referenceLocator: 'cpe:/h:acme:modem:1.0' }] }),
        ],
        relationships: [
          { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-pump' },
          { spdxElementId: 'SPDXRef-pump', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-openssl' },
          { spdxElementId: 'SPDXRef-pump', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-openssl' },
          { spdxElementId: 'SPDXRef-zlib', relationshipType: 'DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-openssl' },
          { spdxElementId: 'SPDXRef-pump', relationshipType: 'STATIC_LINK', relatedSpdxElement: 'DocumentRef-other:SPDXRef-x' },
        ],
      }),
    );
    expect(s).toMatchObject({
      format: 'spdx',
      specVersion: '2.3',
      serialNumber: 'https://example.org/spdx/pump-4.2',
      name: 'pump-firmware',
      created: '2024-05-06T07:08:09Z',
      tools: ['syft-1.2.3'],
      parser: 'spdx-json@1.0.0',
    });
    expect(s.metadataComponent).toMatchObject({ ref: 'SPDXRef-pump', type: 'firmware', supplier: 'Acme Medical' });
    expect(s.components.map((c) => c.ref)).toEqual(['SPDXRef-openssl', 'SPDXRef-zlib', 'SPDXRef-modem']);
    expect(s.components[0]).toMatchObject({
      version: '3.0.4',
      purl: 'pkg:alpine/openssl@3.0.4',
      ecosystem: 'alpine',
      cpes: ['cpe:2.3:a:openssl:openssl:3.0.4:*:*:*:*:*:*:*'],
      author: 'Jane Doe',
      hashes: [{ alg: 'SHA-256', value: 'ab'.repeat(32) }],
      licenses: ['Apache-2.0'],
      parentRef: 'SPDXRef-pump',
      type: 'unknown',
      flags: [],
    });
    expect(s.components[1]?.flags).toEqual(['empty-version']);
    expect(s.components[2]?.flags).toEqual(['hardware-cpe']);
    expect(s.dependencies).toEqual([
      { ref: 'SPDXRef-pump', dependsOn: ['SPDXRef-openssl'] },
      { ref: 'SPDXRef-openssl', dependsOn: ['SPDXRef-zlib'] },
    ]);
  });

  it('keeps every package in components when the document describes several', () => {
    const s = parse(doc({ packages: [pkg('a'), pkg('b')], documentDescribes: ['SPDXRef-a', 'SPDXRef-b'] }));
    expect(s.metadataComponent).toBeUndefined();
    expect(s.components).toHaveLength(2);
  });

  it('rejects a package without a name with pointer /packages/1/name', () => {
    const e = sbomErrorOf(() => parse(doc({ packages: [pkg('a'), { SPDXID: 'SPDXRef-b', downloadLocation: 'NONE' }] })));
    expect(e.code).toBe('sbom.invalid_document');
    expect(e.location).toEqual({ file: 'sbom.spdx.json', pointer: '/packages/1/name' });
  });

  it('rejects a duplicated SPDXID with the pointer of the second one', () => {
    const e = sbomErrorOf(() => parse(doc({ packages: [pkg('a'), pkg('a')] })));
    expect(e.code).toBe('sbom.duplicate_ref');
    expect(e.location?.pointer).toBe('/packages/1/SPDXID');
  });

  it('rejects a relationship to an element that is not in the document', () => {
    const rel = { spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-ghost' };
    const e = sbomErrorOf(() => parse(doc({ packages: [pkg('a')], relationships: [rel] })));
    expect(e.code).toBe('sbom.dangling_ref');
    expect(e.location?.pointer).toBe('/relationships/0/relatedSpdxElement');
  });

  it('rejects a missing creationInfo.created and a non-string external locator by pointer', () => {
    expect(sbomErrorOf(() => parse(doc({ creationInfo: { creators: ['Tool: x'] } }))).location?.pointer).toBe('/creationInfo/created');
    const bad = pkg('a', { externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 7 }] });
    expect(sbomErrorOf(() => parse(doc({ packages: [bad] }))).location?.pointer).toBe('/packages/0/externalRefs/0/referenceLocator');
  });

  it('rejects SPDX 2.1 and SPDX 3 JSON-LD as unsupported versions', () => {
    expect(sbomErrorOf(() => parse(doc({ spdxVersion: 'SPDX-2.1' }))).code).toBe('sbom.unsupported_version');
    const v3 = { '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [] };
    const e = sbomErrorOf(() => parse(v3));
    expect(e.code).toBe('sbom.unsupported_version');
    expect(e.location?.pointer).toBe('/@context');
  });
});
