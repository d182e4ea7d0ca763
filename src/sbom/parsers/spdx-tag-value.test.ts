import { describe, expect, it } from 'vitest';
import { spdxTagValueParser } from './spdx-tag-value.js';
import { sbomErrorOf } from './test-helpers.js';

const HEADER = [
  'SPDXVersion: SPDX-2.3',
  'DataLicense: CC0-1.0',
  'SPDXID: SPDXRef-DOCUMENT',
  'DocumentName: monitor',
  'DocumentNamespace: https://example.org/spdx/monitor-1',
  'Creator: Tool: acme-sbom-2.0',
  'Created: 2024-01-01T00:00:00Z',
];
const parse = (lines: string[]) => spdxTagValueParser.parse(lines.join('\n'), { file: 'monitor.spdx' });

describe('SPDX tag-value parser', () => {
  it('maps packages, checksums, external refs, multi-line text and relationships', () => {
    const s = parse([
      ...HEADER,
      '',
      '## the product',
      'PackageName: monitor',
      'SPDXID: SPDXRef-monitor',
      'PackageVersion: 7.1',
      'PackageDownloadLocation: NOASSERTION',
      'PackageComment: <text>spans',
      'two lines: with colons</text>',
      'Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-monitor',
      'PackageName: busybox',
      'SPDXID: SPDXRef-busybox',
      'PackageVersion: 1.36.1',
      'PackageSupplier: Organization: BusyBox',
      'PackageDownloadLocation: https://busybox.net',
      'PackageChecksum: SHA1: 85ed0817af83a24ad8da68c2b5094de69833983c',
      'PackageLicenseDeclared: GPL-2.0-only',
      'ExternalRef: PACKAGE-MANAGER purl pkg:generic/busybox@1.36.1',
      'ExternalRef: SECURITY cpe23Type cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*',
      'FileName: ./bin/busybox',
      'SPDXID: SPDXRef-file-busybox',
      'Relationship: SPDXRef-monitor CONTAINS SPDXRef-busybox',
      'Relationship: SPDXRef-monitor DEPENDS_ON SPDXRef-busybox',
      'LicenseID: LicenseRef-x',
      'ExtractedText: <text>',
      'SPDXID: not-a-tag-here',
      '</text>',
    ]);
    expect(s).toMatchObject({ format: 'spdx', specVersion: '2.3', name: 'monitor', tools: ['acme-sbom-2.0'], parser: 'spdx-tag-value@1.0.0' });
    expect(s.metadataComponent).toMatchObject({ ref: 'SPDXRef-monitor', version: '7.1' });
    expect(s.components).toHaveLength(1);
    expect(s.components[0]).toMatchObject({
      ref: 'SPDXRef-busybox',
      version: '1.36.1',
      supplier: 'BusyBox',
      purl: 'pkg:generic/busybox@1.36.1',
      cpes: ['cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*'],
      hashes: [{ alg: 'SHA-1', value: '85ed0817af83a24ad8da68c2b5094de69833983c' }],
      licenses: ['GPL-2.0-only'],
      parentRef: 'SPDXRef-monitor',
      flags: ['generic-purl'],
    });
    expect(s.dependencies).toEqual([{ ref: 'SPDXRef-monitor', dependsOn: ['SPDXRef-busybox'] }]);
  });

  it('rejects a line that is not "Tag: Value" and names its line number', () => {
    const e = sbomErrorOf(() => parse([...HEADER, 'PackageName: a', 'this line has no tag']));
    expect(e.code).toBe('sbom.invalid_tag_value');
    expect(e.location).toEqual({ file: 'monitor.spdx', line: 9 });
  });

  it('rejects an unclosed <text> value at the line where it starts', () => {
    const e = sbomErrorOf(() => parse([...HEADER, 'PackageName: a', 'PackageComment: <text>never', 'closed']));
    expect(e.location?.line).toBe(9);
  });

  it('rejects a package without SPDXID at the line of its PackageName', () => {
    const e = sbomErrorOf(() => parse([...HEADER, 'PackageName: ok', 'SPDXID: SPDXRef-ok', 'PackageDownloadLocation: NONE', 'PackageName: broken', 'PackageDownloadLocation: NONE']));
    expect(e.code).toBe('sbom.invalid_document');
    expect(e.message).toContain('SPDXID is required');
    expect(e.location?.line).toBe(11);
  });

  it('rejects a malformed ExternalRef and a malformed Relationship at their lines', () => {
    const pkgLines = ['PackageName: a', 'SPDXID: SPDXRef-a', 'PackageDownloadLocation: NONE'];
    expect(sbomErrorOf(() => parse([...HEADER, ...pkgLines, 'ExternalRef: SECURITY cpe23Type'])).location?.line).toBe(11);
    expect(sbomErrorOf(() => parse([...HEADER, ...pkgLines, 'Relationship: SPDXRef-a DEPENDS_ON'])).location?.line).toBe(11);
  });

  it('points a duplicated SPDXID at the line that repeats it', () => {
    const pkgLines = (id: string) => [`PackageName: ${id}`, 'SPDXID: SPDXRef-same', 'PackageDownloadLocation: NONE'];
    const e = sbomErrorOf(() => parse([...HEADER, ...pkgLines('a'), ...pkgLines('b')]));
    expect(e.code).toBe('sbom.duplicate_ref');
    expect(e.location?.line).toBe(12);
  });

  it('rejects a missing SPDXVersion at line 1', () => {
    const e = sbomErrorOf(() => parse(HEADER.slice(1)));
    expect(e.location?.line).toBe(1);
    expect(e.message).toContain('spdxVersion');
  });
});
