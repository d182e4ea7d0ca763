/**
 * @module Conformance of the SBOM parsers on every real document in ../shared/data/sbom.
 *
 * Counts were derived with jq from the raw files, not by running the parsers:
 * CycloneDX components = every entry of components[] at any nesting depth (metadata.component
 * excluded), `jq '[.components[]?|..|objects|select(has("components"))|.components|length]|add'`
 * for the nested ones; dependencies = `.dependencies|length`. SPDX components = packages minus the
 * single described package (the product), dependencies = distinct sources of DEPENDS_ON-like
 * relationships between packages. Hand-checked fields were read from the files with jq.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSbom, SbomError, type Sbom } from '../../../src/sbom/index.js';
import { sharedDataAvailable, sharedDataPath } from './shared-data.js';

const run = sharedDataAvailable('SBOM conformance');

interface Expected {
  format: 'cyclonedx' | 'spdx';
  spec: string;
  components: number;
  dependencies: number;
  product?: string;
  /** one component by ref, with fields read from the file */
  sample?: { ref: string; name: string; version?: string; purl?: string; parentRef?: string };
}

const EXPECTED: Record<string, Expected> = {
  'cyclonedx/cbom-protocol.cdx-1.6.json': { format: 'cyclonedx', spec: '1.6', components: 8, dependencies: 0, product: 'my application', sample: { ref: 'crypto/protocol/tls@1.2', name: 'TLSv1.2' } },
  'cyclonedx/cbom-with-dependencies.cdx-1.6.json': { format: 'cyclonedx', spec: '1.6', components: 3, dependencies: 4, product: 'Acme Application', sample: { ref: 'aes128gcm', name: 'AES' } },
  'cyclonedx/cern-lhc-vdm-editor.cdx-1.2.json': { format: 'cyclonedx', spec: '1.2', components: 43, dependencies: 0, product: 'lhc-vdm-editor', sample: { ref: 'pkg:npm/puppeteer@1.19.0', name: 'puppeteer', version: '1.19.0', purl: 'pkg:npm/puppeteer@1.19.0' } },
  'cyclonedx/dropwizard-1.3.15.cdx-1.2.json': { format: 'cyclonedx', spec: '1.2', components: 167, dependencies: 167, product: 'dropwizard-parent', sample: { ref: 'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10?type=jar', name: 'jackson-annotations', version: '2.9.10', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10?type=jar' } },
  'cyclonedx/hbom-pcie-sata-adapter.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 6, dependencies: 0, product: 'pcie-sata-adaptor-board', sample: { ref: 'PCIE-098-02-F-D-EMS2', name: 'PCIE-098-02-F-D-EMS2', version: '2.9.10' } },
  'cyclonedx/juice-shop-npm-bare.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 837 + 278, dependencies: 1116, product: 'juice-shop', sample: { ref: '@mapbox/node-pre-gyp@1.0.10|ansi-regex@5.0.1', name: 'ansi-regex', version: '5.0.1', purl: 'pkg:npm/ansi-regex@5.0.1', parentRef: '@mapbox/node-pre-gyp@1.0.10' } },
  'cyclonedx/juice-shop-v11.1.2.cdx-1.2.json': { format: 'cyclonedx', spec: '1.2', components: 840, dependencies: 0, product: 'juice-shop', sample: { ref: 'pkg:npm/body-parser@1.19.0', name: 'body-parser', version: '1.19.0', purl: 'pkg:npm/body-parser@1.19.0' } },
  'cyclonedx/laravel-7.12.0.cdx-1.2.json': { format: 'cyclonedx', spec: '1.2', components: 62, dependencies: 63, product: 'cyclonedx-php-composer-demo', sample: { ref: 'asm89/stack-cors-1.3.0.0', name: 'stack-cors', version: '1.3.0', purl: 'pkg:composer/asm89/stack-cors@1.3.0' } },
  'cyclonedx/laravel-7.12.0.cdx-1.3.json': { format: 'cyclonedx', spec: '1.3', components: 62, dependencies: 63, product: 'cyclonedx-php-composer-demo', sample: { ref: 'asm89/stack-cors-1.3.0.0', name: 'stack-cors', version: '1.3.0', purl: 'pkg:composer/asm89/stack-cors@1.3.0' } },
  'cyclonedx/laravel-7.12.0.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 62, dependencies: 63, product: 'cyclonedx-php-composer-demo', sample: { ref: 'asm89/stack-cors-1.3.0.0', name: 'stack-cors', version: '1.3.0', purl: 'pkg:composer/asm89/stack-cors@1.3.0' } },
  'cyclonedx/proton-bridge-v1.8.0.cdx-1.2.json': { format: 'cyclonedx', spec: '1.2', components: 201, dependencies: 202, product: 'github.com/ProtonMail/proton-bridge', sample: { ref: 'pkg:golang/github.com/0xAX/notificator@v0.0.0-20191016112426-3962a5ea8da1', name: 'github.com/0xAX/notificator', version: 'v0.0.0-20191016112426-3962a5ea8da1', purl: 'pkg:golang/github.com/0xAX/notificator@v0.0.0-20191016112426-3962a5ea8da1' } },
  'cyclonedx/saasbom-apigateway.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 5, product: 'Acme Cloud Example' },
  'cyclonedx/vex-cisa-case1-affected.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 0, product: 'DEF' },
  'cyclonedx/vex-cisa-case1-fixed.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 0, product: 'DEF' },
  'cyclonedx/vex-cisa-case1-not_affected.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 0, product: 'ABC' },
  'cyclonedx/vex-cisa-case1-under_investigation.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 0, product: 'GHI' },
  'cyclonedx/vex-cisa-case2.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 0, product: 'ABC' },
  'cyclonedx/vex-target-bom.cdx-1.3.json': { format: 'cyclonedx', spec: '1.3', components: 3, dependencies: 0, product: 'example-app', sample: { ref: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar', name: 'jackson-databind', version: '2.10.0', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar' } },
  'cyclonedx/vex.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 0, dependencies: 0 },
  'medical-device/case-study-narrow.cdx-1.4.json': { format: 'cyclonedx', spec: '1.4', components: 55, dependencies: 56, product: 'REDACTED', sample: { ref: 'BomRef.6730320963532548.7863229239413411', name: 'WolfSSL', version: '4.8.1', purl: 'pkg:github/wolfssl/wolfssl' } },
  'spdx/ACME-v2.3.spdx.json': { format: 'spdx', spec: '2.3', components: 3, dependencies: 0, product: 'Acme Applcation', sample: { ref: 'SPDXRef-npm-elliptic', name: 'elliptic', version: '6.5.2', purl: 'pkg:npm/elliptic@6.5.2', parentRef: 'SPDXRef-Acme' } },
  'spdx/example11-sbom.spdx-2.3.json': { format: 'spdx', spec: '2.3', components: 3, dependencies: 1, product: 'hello-server-src', sample: { ref: 'SPDXRef-Package-SPDXRef-Package-cargo-tokio-1', name: 'tokio', version: '1.19.2', purl: 'pkg:cargo/tokio@1.19.2' } },
  'spdx/example14-examplemaven-enriched.spdx-2.3.json': { format: 'spdx', spec: '2.3', components: 5, dependencies: 1, product: 'examplemaven', sample: { ref: 'SPDXRef-junit', name: 'JUnit', version: '3.8.1' } },
  'spdx/example6-lib.spdx-2.2.tag-value.spdx': { format: 'spdx', spec: '2.2', components: 4, dependencies: 0, product: 'go-1.15', sample: { ref: 'SPDXRef-Package-go-compiler', name: 'go', version: '1.15.4', parentRef: 'SPDXRef-Package-godist' } },
  'spdx/example7-bin.spdx-2.2.json': { format: 'spdx', spec: '2.2', components: 0, dependencies: 0, product: 'hello' },
};

/** documents that must be rejected, with the code and location */
const REJECTED: Record<string, { code: string; pointer: string }> = {
  'spdx/example11-sbom.spdx-3.0.jsonld.json': { code: 'sbom.unsupported_version', pointer: '/@context' },
};

const parseFile = (rel: string): Sbom => parseSbom(readFileSync(sharedDataPath('sbom', rel), 'utf8'), { file: rel });

describe.runIf(run)('SBOM conformance on real documents', () => {
  it('has an expectation for every file under sbom/{cyclonedx,medical-device,spdx}', () => {
    const files = ['cyclonedx', 'medical-device', 'spdx'].flatMap((d) => readdirSync(sharedDataPath('sbom', d)).map((f) => `${d}/${f}`));
    expect(files.sort()).toEqual([...Object.keys(EXPECTED), ...Object.keys(REJECTED)].sort());
  });

  for (const [rel, exp] of Object.entries(EXPECTED)) {
    it(`imports ${rel}: ${exp.components} components, ${exp.dependencies} dependency entries`, () => {
      const s = parseFile(rel);
      expect(s.format).toBe(exp.format);
      expect(s.specVersion).toBe(exp.spec);
      expect(s.components).toHaveLength(exp.components);
      expect(s.dependencies).toHaveLength(exp.dependencies);
      expect(s.metadataComponent?.name).toBe(exp.product);
      expect(new Set(s.components.map((c) => c.ref)).size).toBe(s.components.length);
      if (exp.sample) {
        const c = s.components.find((x) => x.ref === exp.sample?.ref);
        expect(c, exp.sample.ref).toBeDefined();
        expect({ name: c?.name, version: c?.version, purl: c?.purl, parentRef: c?.parentRef }).toEqual({
          name: exp.sample.name,
          version: exp.sample.version,
          purl: exp.sample.purl,
          parentRef: exp.sample.parentRef,
        });
      }
    });
  }

  for (const [rel, exp] of Object.entries(REJECTED)) {
    it(`rejects ${rel} with ${exp.code} at ${exp.pointer}`, () => {
      let error: unknown;
      try {
        parseFile(rel);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SbomError);
      expect((error as SbomError).code).toBe(exp.code);
      expect((error as SbomError).location).toMatchObject({ file: rel, pointer: exp.pointer });
    });
  }

  it('keeps and flags the weak identities of the medical-device SBOM', () => {
    const s = parseFile('medical-device/case-study-narrow.cdx-1.4.json');
    const byName = new Map(s.components.map((c) => [c.name, c]));
    // "version": "" with pkg:generic purl and a cpe:2.3:h: CPE
    expect(byName.get('Qualcomm Atheros QCA9563')?.flags).toEqual(['empty-version', 'purl-without-version', 'generic-purl', 'hardware-cpe']);
    expect(byName.get('Qualcomm Atheros QCA9563')?.type).toBe('device');
    expect(byName.get('NXP SDK')).toMatchObject({ type: 'firmware', flags: ['purl-without-version'], cpes: ['cpe:2.3:a:nxp:nxp_sdk:2.9.0:*:*:*:*:*:*:*'] });
    expect(byName.get('QMScoringAPI')?.flags).toEqual(['generic-purl']);
    expect(byName.get('Aspose.Words')).toMatchObject({ ecosystem: 'nuget', flags: [], licenses: ['MPL-2.0'] });
    const count = (flag: string) => s.components.filter((c) => (c.flags as string[]).includes(flag)).length;
    expect([count('empty-version'), count('purl-without-version'), count('generic-purl'), count('hardware-cpe')]).toEqual([1, 4, 3, 1]);
  });

  it('reads the same 62 laravel components from CycloneDX 1.2, 1.3 and 1.4', () => {
    const key = (s: Sbom) => s.components.map((c) => `${c.ref} ${c.name} ${c.version} ${c.purl}`).join('\n');
    const [a, b, c] = ['1.2', '1.3', '1.4'].map((v) => key(parseFile(`cyclonedx/laravel-7.12.0.cdx-${v}.json`)));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('flags the SPDX version "latest" as odd and versionless Maven packages as empty', () => {
    expect(parseFile('spdx/ACME-v2.3.spdx.json').components.find((c) => c.name === 'alpine')?.flags).toEqual(['odd-version']);
    const maven = parseFile('spdx/example14-examplemaven-enriched.spdx-2.3.json');
    expect(maven.components.filter((c) => c.flags.includes('empty-version')).map((c) => c.ref)).toEqual([
      'SPDXRef-log4jslf4jbinding',
      'SPDXRef-log4jslf4jApi',
      'SPDXRef-log4jApi',
      'SPDXRef-log4jImpl',
    ]);
  });
});
