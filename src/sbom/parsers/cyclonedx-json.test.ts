import { describe, expect, it } from 'vitest';
import { cycloneDxJsonParser } from './cyclonedx-json.js';
import { sbomErrorOf } from './test-helpers.js';

const bom = (specVersion: string, extra: Record<string, unknown>) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion, version: 1, ...extra });
const lib = (ref: string, more: Record<string, unknown> = {}) => ({ type: 'library', 'bom-ref': ref, name: ref, version: '1.0.0', ...more });
const parse = (text: string) => cycloneDxJsonParser.parse(text, { file: 'bom.json' });

describe('CycloneDX JSON parser', () => {
  it('rejects a CycloneDX 1.5 document whose components[3].bom-ref duplicates components[1] with pointer /components/3/bom-ref', () => {
    const text = bom('1.5', { components: [lib('a'), lib('b'), lib('c'), lib('b', { version: '2.0.0' })] });
    const e = sbomErrorOf(() => parse(text));
    expect(e.code).toBe('sbom.duplicate_ref');
    expect(e.location).toEqual({ file: 'bom.json', pointer: '/components/3/bom-ref' });
    expect(e.details).toMatchObject({ ref: 'b', firstAt: '/components/1' });
  });

  it('rejects a bom-ref of a nested component that repeats metadata.component', () => {
    const text = bom('1.4', {
      metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'app' } },
      components: [lib('x', { components: [lib('app')] })],
    });
    expect(sbomErrorOf(() => parse(text)).location?.pointer).toBe('/components/0/components/0/bom-ref');
  });

  it('rejects a schema violation with the pointer of the offending value', () => {
    const text = bom('1.4', { components: [lib('a'), lib('b', { type: 'gadget' })] });
    const e = sbomErrorOf(() => parse(text));
    expect(e.code).toBe('sbom.schema_violation');
    expect(e.location?.pointer).toBe('/components/1/type');
    expect(e.message).toContain('must be one of');
  });

  it('rejects an unknown property with the pointer of that property', () => {
    const e = sbomErrorOf(() => parse(bom('1.4', { components: [lib('a', { colour: 'red' })] })));
    expect(e.location?.pointer).toBe('/components/0/colour');
  });

  it('rejects a dependency on a bom-ref that does not exist', () => {
    const text = bom('1.4', { components: [lib('a')], dependencies: [{ ref: 'a', dependsOn: ['ghost'] }] });
    const e = sbomErrorOf(() => parse(text));
    expect(e.code).toBe('sbom.dangling_ref');
    expect(e.location?.pointer).toBe('/dependencies/0/dependsOn/0');
  });

  it('rejects CycloneDX 1.1 and 1.7 as unsupported versions at /specVersion', () => {
    for (const v of ['1.1', '1.7']) {
      const e = sbomErrorOf(() => parse(bom(v, {})));
      expect(e.code).toBe('sbom.unsupported_version');
      expect(e.location?.pointer).toBe('/specVersion');
    }
  });

  it('rejects a JSON document that is not CycloneDX at /bomFormat', () => {
    expect(sbomErrorOf(() => parse('{"bomFormat":"SPDX"}')).location?.pointer).toBe('/bomFormat');
  });

  it('maps fields, flattens nested components with parentRef and keeps the product apart', () => {
    const text = bom('1.4', {
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      metadata: {
        timestamp: '2024-01-02T03:04:05Z',
        tools: [{ vendor: 'acme', name: 'scanner', version: '2.1' }],
        component: { type: 'device', 'bom-ref': 'pump', name: 'Infusion Pump', version: '4.2' },
      },
      components: [
        lib('openssl', {
          group: 'org.openssl',
          purl: 'pkg:generic/openssl@1.1.1k',
          cpe: 'cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*',
          supplier: { name: 'OpenSSL Foundation' },
          author: 'OpenSSL team',
          hashes: [{ alg: 'SHA-256', content: 'AB'.repeat(32) }],
          licenses: [{ license: { id: 'Apache-2.0' } }, { license: { name: 'Custom' } }],
          properties: [{ name: 'build', value: 'fips' }],
          components: [lib('crypto', { version: '' })],
        }),
        { type: 'firmware', name: 'bootloader' },
      ],
      dependencies: [{ ref: 'pump', dependsOn: ['openssl'] }, { ref: 'openssl', dependsOn: ['crypto'] }],
    });
    const s = parse(text);
    expect(s).toMatchObject({
      format: 'cyclonedx',
      specVersion: '1.4',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      name: 'Infusion Pump',
      created: '2024-01-02T03:04:05Z',
      tools: ['acme scanner@2.1'],
      parser: 'cyclonedx-json@1.0.0',
    });
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.metadataComponent).toMatchObject({ ref: 'pump', type: 'device', version: '4.2' });
    expect(s.components.map((c) => [c.ref, c.parentRef])).toEqual([['openssl', undefined], ['crypto', 'openssl'], ['#/components/1', undefined]]);
    expect(s.components[0]).toMatchObject({
      group: 'org.openssl',
      purl: 'pkg:generic/openssl@1.1.1k',
      ecosystem: 'generic',
      cpes: ['cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*'],
      supplier: 'OpenSSL Foundation',
      author: 'OpenSSL team',
      hashes: [{ alg: 'SHA-256', value: 'ab'.repeat(32) }],
      licenses: ['Apache-2.0', 'Custom'],
      properties: [{ name: 'build', value: 'fips' }],
      flags: ['generic-purl'],
    });
    expect(s.components[1]?.flags).toEqual(['empty-version']);
    expect(s.components[2]).toMatchObject({ name: 'bootloader', type: 'firmware', flags: ['empty-version'] });
    expect(s.dependencies).toEqual([{ ref: 'pump', dependsOn: ['openssl'] }, { ref: 'openssl', dependsOn: ['crypto'] }]);
  });

  it('reads 1.5 tool components and licence expressions', () => {
    const text = bom('1.5', {
      metadata: { tools: { components: [{ type: 'application', group: 'acme', name: 'sbomgen', version: '3' }] } },
      components: [lib('a', { licenses: [{ expression: 'MIT OR Apache-2.0' }] })],
    });
    const s = parse(text);
    expect(s.tools).toEqual(['acme sbomgen@3']);
    expect(s.components[0]?.licenses).toEqual(['MIT OR Apache-2.0']);
  });

  it('accepts a leading byte-order mark', () => {
    expect(parse('\uFEFF' + bom('1.4', { components: [lib('a')] })).components).toHaveLength(1);
  });

  it('detects CycloneDX by bomFormat, or by a .cdx.json name for JSON text', () => {
    expect(cycloneDxJsonParser.detect('{ "bomFormat" : "CycloneDX" }')).toBe(true);
    expect(cycloneDxJsonParser.detect('{ "specVersion": "1.4" }', 'x.cdx.json')).toBe(true);
    expect(cycloneDxJsonParser.detect('{ "spdxVersion": "SPDX-2.3" }', 'x.json')).toBe(false);
  });
});
