import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AFFECTED_STATUSES, type Advisory } from '../model.js';
import { matchKeysOfAdvisory, matchStatusOf, vulnerabilityIdOf } from './advisory.js';
import { matchAdvisory } from './match.js';
import { matchKeysOfTarget } from './target.js';
import { csaf, csafTree, nvd, osv, semverRange, target } from './testing.js';

const bare = (id: string, aliases: string[]): Advisory => ({ id, source: 'osv', sourceId: id, aliases, severity: [], cwes: [], affected: [], remediations: [], references: [], provenance: { parser: 't', location: 't', pointer: '' }, warnings: [] });

describe('vulnerabilityIdOf', () => {
  it('is the CVE when exactly one is named, else the advisory id', () => {
    expect(vulnerabilityIdOf(bare('GHSA-1', ['CVE-2024-1234']))).toBe('CVE-2024-1234');
    expect(vulnerabilityIdOf(bare('CVE-2024-1234', ['GHSA-1', 'cve-2024-1234']))).toBe('CVE-2024-1234');
    expect(vulnerabilityIdOf(bare('RHSA-2024:1', ['CVE-2024-1234', 'CVE-2024-5678']))).toBe('RHSA-2024:1');
    expect(vulnerabilityIdOf(bare('GHSA-2', []))).toBe('GHSA-2');
  });
});

describe('matchStatusOf', () => {
  it('maps every CSAF product_status category', () => {
    expect(Object.fromEntries(AFFECTED_STATUSES.map((s) => [s, matchStatusOf(s)]))).toEqual({
      first_affected: 'affected',
      first_fixed: 'fixed',
      fixed: 'fixed',
      known_affected: 'affected',
      known_not_affected: 'not_affected',
      last_affected: 'affected',
      recommended: 'fixed',
      under_investigation: 'under_investigation',
    });
  });
});

describe('matchKeysOfAdvisory', () => {
  it('keys OSV packages by purl identity, NVD by CPE vendor:product and vendor names', () => {
    expect(matchKeysOfAdvisory(osv([{ package: { ecosystem: 'Maven', name: 'org.apache.any23:apache-any23' }, ranges: [semverRange('0', '2.5')] }]))).toEqual(['purl:maven/org.apache.any23/apache-any23']);
    expect(matchKeysOfAdvisory(nvd('CVE-2018-1000500', [[[{ criteria: 'cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*', versionEndExcluding: '1.32.0' }]]]))).toEqual(['cpe:busybox:busybox', 'vp:busybox/busybox', 'v:busybox']);
  });

  it('adds the CPEs a configuration requires, so the platform components are fetched too', () => {
    const a = nvd('CVE-2020-13595', [[[{ criteria: 'cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*', versionEndIncluding: '4.2' }], [{ criteria: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*', vulnerable: false }]]]);
    expect(matchKeysOfAdvisory(a)).toContain('cpe:espressif:esp32');
  });

  it('keys CSAF products by hashes, purl and CPE helpers and vendor/product, never by bare name', () => {
    const keys = matchKeysOfAdvisory(csaf(csafTree('Acme', 'PumpOS', [['2.0', 'P1', { purl: 'pkg:generic/acme/pumpos@2.0', cpe: 'cpe:2.3:o:acme:pumpos:2.0:*:*:*:*:*:*:*', hashes: [{ file_hashes: [{ algorithm: 'sha256', value: 'AB' }] }] }]]), { known_affected: ['P1'] }));
    expect(keys.sort()).toEqual(['cpe:acme:pumpos', 'hash:sha256:ab', 'purl:generic/acme/pumpos', 'v:acme', 'vp:acme/pumpos']);
  });

  it('shares a key with every target it matches (the key space is complete)', () => {
    const advisories = [
      osv([{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [semverRange('0', '4.17.21', 'SEMVER')] }]),
      nvd('CVE-2021-3711', [[[{ criteria: 'cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*', versionEndExcluding: '1.1.1l' }]]]),
      csaf(csafTree('Acme', 'PumpOS', [['<= 2.6A', 'P1']]), { known_affected: ['P1'] }),
    ];
    const targets = [
      target({ name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }),
      target({ name: 'OpenSSL', version: '1.1.1k' }),
      target({ name: 'openssl', version: '1.1.1k', cpes: ['cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*'] }),
      target({ name: 'PumpOS', version: '2.6', supplier: 'Acme' }),
    ];
    let matched = 0;
    for (const a of advisories) {
      for (const m of matchAdvisory(a, targets)) {
        matched++;
        const t = targets.find((x) => x.componentRef === m.componentRef && x.componentKey === m.componentKey)!;
        expect(matchKeysOfTarget(t).some((k) => matchKeysOfAdvisory(a).includes(k))).toBe(true);
      }
    }
    expect(matched).toBe(4);
  });
});

describe('robustness', () => {
  it('matching arbitrary component strings never throws and every match shares a key', () => {
    const advisories = [
      osv([{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [semverRange('0', '4.17.21')] }]),
      nvd('CVE-2021-3711', [[[{ criteria: 'cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*', versionEndExcluding: '1.1.1l' }]]]),
      csaf(csafTree('Acme', 'PumpOS', [['<= U61 |<= L81', 'P1']]), { known_affected: ['P1'] }),
    ];
    const text = fc.oneof(fc.string(), fc.constantFrom('lodash', 'openssl', 'PumpOS', 'pkg:npm/lodash@', 'cpe:2.3:a:openssl:openssl:', 'U60', '1.1.1k'));
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), fc.array(text, { maxLength: 2 }), fc.option(text, { nil: undefined }), (name, version, purl, cpes, supplier) => {
        const t = target({ name, ...(version !== undefined ? { version } : {}), ...(purl !== undefined ? { purl } : {}), cpes, ...(supplier !== undefined ? { supplier } : {}) });
        for (const a of advisories) {
          for (const m of matchAdvisory(a, [t])) {
            expect(matchKeysOfTarget(t).some((k) => matchKeysOfAdvisory(a).includes(k))).toBe(true);
            expect(m.confidence).toBeGreaterThanOrEqual(0);
            expect(m.confidence).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
