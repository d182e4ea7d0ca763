import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SbomError } from './errors.js';
import { parseSbom } from './index.js';
import { spdxTagValueParser } from './parsers/spdx-tag-value.js';
import { spdxJsonParser } from './parsers/spdx-json.js';
import { cycloneDxJsonParser } from './parsers/cyclonedx-json.js';

/** parse and require that any failure is an SbomError */
function onlySbomErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SbomError)) throw e;
  }
}

const CDX_SEED = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.4',
  version: 1,
  metadata: { component: { type: 'device', 'bom-ref': 'dev', name: 'pump' } },
  components: [
    { type: 'library', 'bom-ref': 'a', name: 'a', version: '1.0', purl: 'pkg:npm/a@1.0', cpe: 'cpe:2.3:a:x:a:1.0:*:*:*:*:*:*:*', components: [{ type: 'library', name: 'b' }] },
  ],
  dependencies: [{ ref: 'dev', dependsOn: ['a'] }],
});
const SPDX_SEED = JSON.stringify({
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'd',
  documentNamespace: 'https://x/d',
  creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: t'] },
  packages: [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NONE', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/a@1' }] }],
  relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-a' }],
});
const TV_SEED = [
  'SPDXVersion: SPDX-2.2',
  'DataLicense: CC0-1.0',
  'SPDXID: SPDXRef-DOCUMENT',
  'DocumentName: d',
  'DocumentNamespace: https://x/d',
  'Creator: Tool: t',
  'Created: 2024-01-01T00:00:00Z',
  'PackageName: a',
  'SPDXID: SPDXRef-a',
  'PackageDownloadLocation: NONE',
  'PackageComment: <text>x',
  'y</text>',
  'ExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1',
  'Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a',
].join('\n');

/** a mutation of a seed text: delete, duplicate or replace a slice, or insert arbitrary text */
const mutated = (seed: string) =>
  fc
    .tuple(fc.nat(seed.length), fc.nat(40), fc.string({ maxLength: 12 }), fc.constantFrom('delete', 'insert', 'replace', 'duplicate'))
    .map(([at, len, ins, op]) => {
      const end = Math.min(seed.length, at + len);
      if (op === 'delete') return seed.slice(0, at) + seed.slice(end);
      if (op === 'insert') return seed.slice(0, at) + ins + seed.slice(at);
      if (op === 'duplicate') return seed.slice(0, end) + seed.slice(at, end) + seed.slice(end);
      return seed.slice(0, at) + ins + seed.slice(end);
    });

/** JSON values of arbitrary shape placed where SBOM fields are expected */
const jsonish = fc.jsonValue({ maxDepth: 4 });

describe('SBOM parsers on hostile input', () => {
  it('never throw anything but SbomError on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        onlySbomErrors(() => parseSbom(text));
        onlySbomErrors(() => spdxTagValueParser.parse(text));
        onlySbomErrors(() => spdxJsonParser.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('never throw anything but SbomError on mutated CycloneDX, SPDX JSON and tag-value documents', () => {
    fc.assert(
      fc.property(mutated(CDX_SEED), mutated(SPDX_SEED), mutated(TV_SEED), (cdx, spdx, tv) => {
        onlySbomErrors(() => cycloneDxJsonParser.parse(cdx));
        onlySbomErrors(() => spdxJsonParser.parse(spdx));
        onlySbomErrors(() => spdxTagValueParser.parse(tv));
      }),
      { numRuns: 300 },
    );
  });

  it('never throw anything but SbomError when SPDX and CycloneDX fields hold arbitrary JSON', () => {
    const spdxKeys = ['packages', 'relationships', 'creationInfo', 'documentDescribes', 'files', 'name'];
    const cdxKeys = ['components', 'dependencies', 'metadata', 'services'];
    fc.assert(
      fc.property(fc.constantFrom(...spdxKeys), fc.constantFrom(...cdxKeys), jsonish, (sk, ck, value) => {
        onlySbomErrors(() => spdxJsonParser.parse(JSON.stringify({ ...JSON.parse(SPDX_SEED), [sk]: value })));
        onlySbomErrors(() => cycloneDxJsonParser.parse(JSON.stringify({ ...JSON.parse(CDX_SEED), [ck]: value })));
      }),
      { numRuns: 200 },
    );
  });

  it('still parses the unmutated seeds (so the properties exercise the mappers, not just the error paths)', () => {
    expect(cycloneDxJsonParser.parse(CDX_SEED).components).toHaveLength(2);
    expect(spdxJsonParser.parse(SPDX_SEED).metadataComponent?.ref).toBe('SPDXRef-a');
    expect(spdxTagValueParser.parse(TV_SEED).metadataComponent?.purl).toBe('pkg:npm/a@1');
  });
});
