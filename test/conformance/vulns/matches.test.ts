/**
 * @module Hand-checked matches and non-matches on real data (../shared/data): CISA ICSMA CSAF
 * advisories against device product versions, OSV / NVD API 2.0 / CVE JSON 5 records against SBOM
 * components (several taken from the real SBOMs in sbom/). Every expectation was derived by reading
 * the source document named in its comment (the field and value quoted there), not by running the
 * matcher; the matcher must agree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSbom, type Component } from '../../../src/sbom/index.js';
import type { Advisory } from '../../../src/vulns/index.js';
import { csafSource, cve5Source, nvdSource, osvSource } from '../../../src/vulns/index.js';
import { matchAdvisory, productTarget, targetOfComponent, withProductContext, type Match, type MatchTarget } from '../../../src/vulns/match/index.js';
import { sharedDataAvailable, sharedDataPath } from './shared-data.js';

const run = sharedDataAvailable('vulnerability matching conformance');
const read = (...p: string[]) => readFileSync(sharedDataPath(...p), 'utf8');

const icsma = (id: string, vuln = 0): Advisory => csafSource.parse(read('csaf', 'icsma', `icsma-${id}.json`), `icsma-${id}.json`)[vuln] as Advisory;
const osvRecord = (file: string): Advisory => osvSource.parse(read('osv', 'osv-records', file), file)[0] as Advisory;
const nvdRecord = (id: string): Advisory => nvdSource.parse(read('osv', 'nvd-api-2.0', `${id}.json`), `${id}.json`)[0] as Advisory;
const cve5Record = (...p: string[]): Advisory => cve5Source.parse(read('osv', 'cve5', ...p), p.join('/'))[0] as Advisory;

let seq = 0;
const device = (manufacturer: string, name: string, version: string, cpe?: string): MatchTarget =>
  productTarget({ id: `product-${++seq}`, manufacturer, name, version, normalizedVendor: '', normalizedProduct: '', ...(cpe ? { cpe } : {}) });

const pkg = (name: string, version: string | undefined, purl?: string, cpes: string[] = []): MatchTarget => {
  const c: Component = { ref: `ref-${++seq}`, name, cpes, type: 'library', hashes: [], licenses: [], properties: [], flags: version ? [] : ['empty-version'] };
  if (version) c.version = version;
  if (purl) c.purl = purl;
  return targetOfComponent('sbom-product', c);
};

function sbomTargets(...p: string[]): MatchTarget[] {
  const sbom = parseSbom(read('sbom', ...p), { file: p.join('/') });
  return sbom.components.map((c) => targetOfComponent(p.join('/'), c));
}

const only = (ms: Match[]): Match => {
  expect(ms).toHaveLength(1);
  return ms[0] as Match;
};

describe.runIf(run)('matching on real advisories (hand-checked)', () => {
  describe('CISA ICSMA CSAF advisories against device product versions', () => {
    it('BD Alaris PC Unit 9.19 is affected by ICSMA-20-170-06 (exact firmware list) and 9.20 is not', () => {
      // icsma-20-170-06.json: vendor "Becton, Dickinson and Company (BD)" / product_name "Alaris PC Unit" /
      // product_version "9.13 | 9.19 | 9.33 | 12.1" (CSAFPID-0001), product_status.known_affected [CSAFPID-0001].
      const m = only(matchAdvisory(icsma('20-170-06'), [device('BD', 'Alaris PC Unit', '9.19')]));
      expect(m).toMatchObject({ vulnerabilityId: 'CVE-2019-11479', status: 'affected', advisoryStatus: 'known_affected', rule: 'vendor-product', needsReview: false });
      expect(m.evidence.advisoryField).toContain('CSAFPID-0001');
      expect(matchAdvisory(icsma('20-170-06'), [device('Becton, Dickinson and Company', 'Alaris PC Unit', '9.20')])).toEqual([]);
    });

    it('another manufacturer with the same product name does not match ICSMA-20-170-06', () => {
      // icsma-20-170-06.json: the only vendor branch is "Becton, Dickinson and Company (BD)".
      expect(matchAdvisory(icsma('20-170-06'), [device('Philips', 'Alaris PC Unit', '9.19')])).toEqual([]);
    });

    it('Alaris PC Unit Model 8015: "<= 9.33.1" includes 9.33.1 and excludes 9.33.2 (ICSMA-20-317-01)', () => {
      // icsma-20-317-01.json: product_name "Alaris PC Unit Model 8015" / product_version_range "<= 9.33.1" (CSAFPID-0001).
      expect(only(matchAdvisory(icsma('20-317-01'), [device('BD', 'Alaris PC Unit Model 8015', '9.33.1')]))).toMatchObject({ status: 'affected', needsReview: false });
      expect(matchAdvisory(icsma('20-317-01'), [device('BD', 'Alaris PC Unit Model 8015', '9.33.2')])).toEqual([]);
    });

    it('an inventory name that is a shorter wording of the advisory product is matched for review', () => {
      // icsma-20-317-01.json: "Alaris PC Unit Model 8015" contains every word of the inventory name "Alaris PC Unit".
      expect(only(matchAdvisory(icsma('20-317-01'), [device('BD', 'Alaris PC Unit', '9.33.1')]))).toMatchObject({ status: 'affected', needsReview: true, confidence: 0.5 });
    });

    it('Welch Allyn Connex Spot Monitor: "< 1.52" (Hillrom, ICSMA-21-152-01) but "<=1.52" (Baxter, ICSMA-24-151-02)', () => {
      // icsma-21-152-01.json: vendor "Hillrom" / "Welch Allyn Connex Spot Monitor (CSM)" / product_version_range "< 1.52".
      // icsma-24-151-02.json: vendor "Baxter" / "Welch Allyn Connex Spot Monitor (CSM)" / product_version_range "<=1.52".
      expect(only(matchAdvisory(icsma('21-152-01'), [device('Hillrom', 'Welch Allyn Connex Spot Monitor (CSM)', '1.51')])).status).toBe('affected');
      expect(matchAdvisory(icsma('21-152-01'), [device('Hill-Rom', 'Welch Allyn Connex Spot Monitor (CSM)', '1.52')])).toEqual([]);
      expect(only(matchAdvisory(icsma('24-151-02'), [device('Baxter', 'Welch Allyn Connex Spot Monitor (CSM)', '1.52')])).status).toBe('affected');
    });

    it('IntelliBridge EC 40 Hub "<= C.00.04": C.00.04 matches, C.00.05 does not, B.00.05 (another letter line) needs review', () => {
      // icsma-21-322-01.json: product_name "IntelliBridge EC 40 Hub" / product_version_range "<= C.00.04".
      expect(only(matchAdvisory(icsma('21-322-01'), [device('Philips', 'IntelliBridge EC 40 Hub', 'C.00.04')])).status).toBe('affected');
      expect(matchAdvisory(icsma('21-322-01'), [device('Philips', 'IntelliBridge EC 40 Hub', 'C.00.05')])).toEqual([]);
      const other = only(matchAdvisory(icsma('21-322-01'), [device('Philips', 'IntelliBridge EC 40 Hub', 'B.00.05')]));
      expect(other.needsReview).toBe(true);
      expect(other.confidence).toBeLessThanOrEqual(0.4);
    });

    it('IntelliSpace Perinatal "<= K": K itself matches; J cannot be ordered by the firmware comparator and goes to review', () => {
      // icsma-19-297-01.json: product_name "IntelliSpace Perinatal" / product_version_range "<= K" ("Versions K and prior").
      expect(only(matchAdvisory(icsma('19-297-01'), [device('Philips', 'IntelliSpace Perinatal', 'K')]))).toMatchObject({ status: 'affected', needsReview: true });
      expect(only(matchAdvisory(icsma('19-297-01'), [device('Philips', 'IntelliSpace Perinatal', 'J')]))).toMatchObject({ needsReview: true, confidence: 0.4 });
    });

    it('B. Braun SpaceStation "< 012U000040": 012U000039 matches, 012U000040 does not', () => {
      // icsma-17-082-02.json: product_name "SpaceStation with SpaceCom module (integrated as part number 8713142U)" /
      // product_version_range "< 012U000040" ("software versions prior to Version 012U000040").
      const name = 'SpaceStation with SpaceCom module (integrated as part number 8713142U)';
      expect(only(matchAdvisory(icsma('17-082-02'), [device('B. Braun Melsungen AG', name, '012U000039')])).status).toBe('affected');
      expect(matchAdvisory(icsma('17-082-02'), [device('B. Braun', name, '012U000040')])).toEqual([]);
    });

    it('GE B450 "2.X" covers 2.1 but not 3.0; CIC "4.X | 5.X" covers 5.2 (ICSMA-20-023-01)', () => {
      // icsma-20-023-01.json: vendor "General Electric (GE)" / "B450" / product_version "2.X" (CSAFPID-0001);
      // "Clinical Information Center (CIC)" / product_version "4.X | 5.X" (CSAFPID-00011).
      expect(only(matchAdvisory(icsma('20-023-01'), [device('GE Healthcare', 'B450', '2.1')])).status).toBe('affected');
      expect(matchAdvisory(icsma('20-023-01'), [device('GE Healthcare', 'B450', '3.0')])).toEqual([]);
      expect(only(matchAdvisory(icsma('20-023-01'), [device('GE Healthcare', 'Clinical Information Center (CIC)', '5.2')])).affectedIndex).toBe(10);
    });

    it('Philips MRI 1.5T "5.x.x" covers 5.3.1, not 4.9 (ICSMA-21-313-01)', () => {
      // icsma-21-313-01.json: product_name "MRI 1.5T" / product_version "5.x.x".
      expect(only(matchAdvisory(icsma('21-313-01'), [device('Philips', 'MRI 1.5T', '5.3.1')])).status).toBe('affected');
      expect(matchAdvisory(icsma('21-313-01'), [device('Philips', 'MRI 1.5T', '4.9')])).toEqual([]);
    });

    it('Alaris Gateway Workstation: "1.3.1 Build 13" is listed; 1.3.2 is not, and the pump lines "Alaris GS ... 2.3.6 and below" do not apply to it', () => {
      // icsma-19-164-01.json: product_name "Alaris Gateway Workstation" / product_version "1.3.1 Build 13" (CSAFPID-0006),
      // and separate products "Alaris Gateway Workstation Alaris GS" / "2.3.6 and  below" (CSAFPID-0001).
      expect(only(matchAdvisory(icsma('19-164-01'), [device('BD', 'Alaris Gateway Workstation', '1.3.1 Build 13')])).evidence.advisoryField).toContain('CSAFPID-0006');
      expect(matchAdvisory(icsma('19-164-01'), [device('BD', 'Alaris Gateway Workstation', '1.3.2')])).toEqual([]);
    });

    it('DICOM viewers: Sante DICOM Viewer Pro "<=12.2.4" and MicroDicom DICOM Viewer "<2024.2" stop at their bounds', () => {
      // icsma-23-285-01.json: vendor "Santesoft" / "Sante DICOM Viewer Pro" / product_version_range "<=12.2.4".
      // icsma-24-163-01.json: vendor "MicroDicom" / "DICOM Viewer" / product_version_range "<2024.2".
      expect(only(matchAdvisory(icsma('23-285-01'), [device('Santesoft', 'Sante DICOM Viewer Pro', '12.2.4')])).status).toBe('affected');
      expect(matchAdvisory(icsma('23-285-01'), [device('Santesoft', 'Sante DICOM Viewer Pro', '12.2.5')])).toEqual([]);
      expect(only(matchAdvisory(icsma('24-163-01'), [device('MicroDicom', 'DICOM Viewer', '2024.1')])).status).toBe('affected');
      expect(matchAdvisory(icsma('24-163-01'), [device('MicroDicom', 'DICOM Viewer', '2024.2')])).toEqual([]);
    });

    it('"all versions" (vers:all/*) matches any firmware of the product (ICSMA-17-017-01)', () => {
      // icsma-17-017-01.json: "Alaris 8000 PC unit" / product_version "vers:all/*" ("all versions").
      expect(only(matchAdvisory(icsma('17-017-01'), [device('BD', 'Alaris 8000 PC Unit', '7.0')]))).toMatchObject({ status: 'affected', needsReview: false });
    });

    it('BD Synapsys "4.20 | 4.20 SR1 | 4.30": 4.20 SR1 matches, 4.20 SR2 does not (ICSMA-22-151-02)', () => {
      // icsma-22-151-02.json: product_name "BD Synapsys" / product_version "4.20 | 4.20 SR1 | 4.30".
      expect(only(matchAdvisory(icsma('22-151-02'), [device('BD', 'BD Synapsys', '4.20 SR1')])).status).toBe('affected');
      expect(matchAdvisory(icsma('22-151-02'), [device('BD', 'Synapsys', '4.20 SR2')])).toEqual([]);
    });

    it('a date-based range ("<  november 29 2017") is matched for review at low confidence, never silently', () => {
      // icsma-17-332-01.json: vendor "Johnson & Johnson" / "Ethicon Endo-Surgery Generator Gen11" /
      // product_version_range "<  november 29 2017" ("all versions released before November 29 2017").
      const m = only(matchAdvisory(icsma('17-332-01'), [device('Johnson & Johnson', 'Ethicon Endo-Surgery Generator Gen11', '2017.10')]));
      expect(m).toMatchObject({ status: 'affected', needsReview: true });
      expect(m.confidence).toBeLessThanOrEqual(0.2);
      expect(m.evidence.advisoryValue).toContain('november 29 2017');
    });

    it('the real medical-device SBOM matches none of the 94 ICSMA advisories (they name devices, not its libraries)', () => {
      // sbom/medical-device/case-study-narrow.cdx-1.4.json: 55 library/firmware components without suppliers;
      // csaf/icsma/*: every product is a vendor/product_name branch naming a medical device or its software.
      const targets = sbomTargets('medical-device', 'case-study-narrow.cdx-1.4.json');
      const files = readdirSync(sharedDataPath('csaf', 'icsma')).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(94);
      const matches = files.flatMap((f) => csafSource.parse(read('csaf', 'icsma', f), f).flatMap((a) => matchAdvisory(a, targets)));
      expect(matches).toEqual([]);
    });
  });

  describe('OSV records against SBOM components', () => {
    it('gin v1.4.0 from the proton-bridge SBOM is affected by GO-2020-0001 (fixed 1.6.0)', () => {
      // osv-records/GO-2020-0001.json: package Go "github.com/gin-gonic/gin", SEMVER introduced "0", fixed "1.6.0".
      // sbom/cyclonedx/proton-bridge-v1.8.0.cdx-1.2.json: purl "pkg:golang/github.com/gin-gonic/gin@v1.4.0".
      const gin = sbomTargets('cyclonedx', 'proton-bridge-v1.8.0.cdx-1.2.json').filter((t) => t.purl?.startsWith('pkg:golang/github.com/gin-gonic/gin@'));
      const m = only(matchAdvisory(osvRecord('GO-2020-0001.json'), gin));
      expect(m).toMatchObject({ vulnerabilityId: 'CVE-2020-36567', rule: 'osv-package', status: 'affected', confidence: 1, fixedVersions: ['1.6.0'] });
    });

    it('mixin-deep 1.3.2 in the juice-shop SBOM is the fixed version of GHSA-fhjf-83wg-r2j9 and must not match; 1.3.1 does', () => {
      // osv-records/GHSA-fhjf-83wg-r2j9...json: npm "mixin-deep", events introduced 0, introduced 2.0.0, fixed 2.0.1, fixed 1.3.2.
      // sbom/cyclonedx/juice-shop-v11.1.2.cdx-1.2.json: "pkg:npm/mixin-deep@1.3.2".
      const a = osvRecord('GHSA-fhjf-83wg-r2j9.ghsa-converter-equals_with_patch.osv.json');
      const juice = sbomTargets('cyclonedx', 'juice-shop-v11.1.2.cdx-1.2.json');
      expect(juice.some((t) => t.purl === 'pkg:npm/mixin-deep@1.3.2')).toBe(true);
      expect(matchAdvisory(a, juice)).toEqual([]);
      expect(only(matchAdvisory(a, [pkg('mixin-deep', '1.3.1', 'pkg:npm/mixin-deep@1.3.1')])).status).toBe('affected');
      expect(only(matchAdvisory(a, [pkg('mixin-deep', '2.0.0', 'pkg:npm/mixin-deep@2.0.0')])).status).toBe('affected');
    });

    it('the NuGet jQuery 3.1.1 of the medical-device SBOM is not the npm jquery of GHSA-mhpp-875w-9cpv', () => {
      // osv-records/GHSA-mhpp-875w-9cpv...json: npm "jquery", introduced "2.1.1-0", fixed "3.0.0".
      // sbom/medical-device/case-study-narrow.cdx-1.4.json: "pkg:nuget/jQuery@3.1.1".
      const a = osvRecord('GHSA-mhpp-875w-9cpv.ghsa-converter-npm_greater_than.osv.json');
      expect(matchAdvisory(a, sbomTargets('medical-device', 'case-study-narrow.cdx-1.4.json'))).toEqual([]);
      expect(matchAdvisory(a, [pkg('jQuery', '2.2.4', 'pkg:nuget/jQuery@2.2.4')])).toEqual([]);
      expect(only(matchAdvisory(a, [pkg('jquery', '2.2.4', 'pkg:npm/jquery@2.2.4')])).status).toBe('affected');
    });

    it('PyPI cryptography 3.1.1 is affected by PYSEC-2021-63; 3.3.2 is the fix', () => {
      // osv-records/PYSEC-2021-63.json: PyPI "cryptography", ranges introduced 3.1 fixed 3.1.2, introduced 3.2 fixed 3.3.2.
      expect(only(matchAdvisory(osvRecord('PYSEC-2021-63.json'), [pkg('cryptography', '3.1.1', 'pkg:pypi/cryptography@3.1.1')])).status).toBe('affected');
      expect(matchAdvisory(osvRecord('PYSEC-2021-63.json'), [pkg('cryptography', '3.3.2', 'pkg:pypi/cryptography@3.3.2')])).toEqual([]);
    });

    it('Maven xwiki-commons-core 12.6.6 is affected, 12.6.7 is not, and another group is never matched', () => {
      // osv-records/GHSA-76mp-659p-rw65...json: Maven "org.xwiki.commons:xwiki-commons-core", introduced 12.0 fixed 12.6.7 (among others).
      const a = osvRecord('GHSA-76mp-659p-rw65.ghsa-converter-maven_greater_than.osv.json');
      expect(only(matchAdvisory(a, [pkg('xwiki-commons-core', '12.6.6', 'pkg:maven/org.xwiki.commons/xwiki-commons-core@12.6.6')])).status).toBe('affected');
      expect(matchAdvisory(a, [pkg('xwiki-commons-core', '12.6.7', 'pkg:maven/org.xwiki.commons/xwiki-commons-core@12.6.7')])).toEqual([]);
      expect(matchAdvisory(a, [pkg('xwiki-commons-core', '12.6.6', 'pkg:maven/org.example/xwiki-commons-core@12.6.6')])).toEqual([]);
    });

    it('Debian 7 nginx: +wheezy2 is affected by DSA-3029-1, +wheezy3 is the fix', () => {
      // osv-records/DSA-3029-1.json: ecosystem "Debian:7", package "nginx", introduced 0, fixed "1.2.1-2.2+wheezy3".
      const a = osvRecord('DSA-3029-1.json');
      expect(only(matchAdvisory(a, [pkg('nginx', '1.2.1-2.2+wheezy2', 'pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy2?distro=debian-7')])).status).toBe('affected');
      expect(matchAdvisory(a, [pkg('nginx', '1.2.1-2.2+wheezy3', 'pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy3?distro=debian-7')])).toEqual([]);
    });

    it('Alpine openssl 1.0.2p-r0: affected on v3.8 (listed release), not on v3.9 (not listed) (CVE-2018-5407)', () => {
      // osv-records/CVE-2018-5407.json: openssl in ecosystems Alpine:v3.3 … Alpine:v3.8, each fixed "1.0.2q-r0".
      const a = osvRecord('CVE-2018-5407.json');
      expect(only(matchAdvisory(a, [pkg('openssl', '1.0.2p-r0', 'pkg:apk/alpine/openssl@1.0.2p-r0?distro=alpine-3.8.1')])).affectedIndex).toBe(5);
      expect(matchAdvisory(a, [pkg('openssl', '1.0.2p-r0', 'pkg:apk/alpine/openssl@1.0.2p-r0?distro=alpine-3.9.0')])).toEqual([]);
    });

    it('RHEL git-lfs 2.13.3-3.el8_6 is below the fixed 0:2.13.3-3.el8_6.1 of RHSA-2024:4546', () => {
      // osv-records/RHSA-2024_4546.json: "git-lfs" in "Red Hat:rhel_aus:8.6::appstream", fixed "0:2.13.3-3.el8_6.1".
      expect(only(matchAdvisory(osvRecord('RHSA-2024_4546.json'), [pkg('git-lfs', '2.13.3-3.el8_6', 'pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6')]))).toMatchObject({ status: 'affected', vulnerabilityId: 'RHSA-2024:4546' });
    });

    it('a withdrawn advisory matches nothing (GHSA-35c4-f3rq-f9g3)', () => {
      // osv-records/GHSA-35c4-f3rq-f9g3...withdrawn.osv.json: withdrawn "2018-10-11T17:29:49Z"; activesupport 4.2.0 ≤ v < 4.2.2.
      expect(matchAdvisory(osvRecord('GHSA-35c4-f3rq-f9g3.ghsa-converter-withdrawn.osv.json'), [pkg('activesupport', '4.2.1', 'pkg:gem/activesupport@4.2.1')])).toEqual([]);
    });

    it('Ubuntu 14.04 linux is affected by UBUNTU-CVE-2025-38094 (all versions); 16.04 is not listed', () => {
      // osv-records/UBUNTU-CVE-2025-38094.json: ecosystem "Ubuntu:Pro:14.04:LTS", package "linux", events [introduced 0] only.
      const a = osvRecord('UBUNTU-CVE-2025-38094.json');
      expect(only(matchAdvisory(a, [pkg('linux', '3.13.0-100.147', 'pkg:deb/ubuntu/linux@3.13.0-100.147?distro=ubuntu-14.04')])).status).toBe('affected');
      expect(matchAdvisory(a, [pkg('linux', '3.13.0-100.147', 'pkg:deb/ubuntu/linux@3.13.0-100.147?distro=ubuntu-16.04')])).toEqual([]);
    });
  });

  describe('NVD API 2.0 CPE configurations', () => {
    it('BusyBox 1.31.1 is below versionEndExcluding 1.32.0 (CVE-2018-1000500); 1.32.0 is not', () => {
      // nvd-api-2.0/CVE-2018-1000500.json: criteria "cpe:2.3:a:busybox:busybox:*:…", versionEndExcluding "1.32.0".
      const a = nvdRecord('CVE-2018-1000500');
      expect(only(matchAdvisory(a, [pkg('busybox', '1.31.1', undefined, ['cpe:2.3:a:busybox:busybox:1.31.1:*:*:*:*:*:*:*'])]))).toMatchObject({ rule: 'cpe', confidence: 0.95, fixedVersions: ['1.32.0'] });
      expect(matchAdvisory(a, [pkg('busybox', '1.32.0', undefined, ['cpe:2.3:a:busybox:busybox:1.32.0:*:*:*:*:*:*:*'])])).toEqual([]);
    });

    it('GitLab Enterprise 14.4.4 matches the enterprise criterion of CVE-2022-0090, not the community one', () => {
      // nvd-api-2.0/CVE-2022-0090.json: cpeMatch[1] "cpe:2.3:a:gitlab:gitlab:*:*:*:*:enterprise:*:*:*" versionEndExcluding "14.4.5".
      expect(only(matchAdvisory(nvdRecord('CVE-2022-0090'), [pkg('gitlab', '14.4.4', undefined, ['cpe:2.3:a:gitlab:gitlab:14.4.4:*:*:*:enterprise:*:*:*'])])).affectedIndex).toBe(1);
    });

    it('xz 5.6.1 is one of the two exact versions of CVE-2024-3094; 5.4.6 is not', () => {
      // nvd-api-2.0/CVE-2024-3094.json: criteria "cpe:2.3:a:tukaani:xz:5.6.0:…" and "cpe:2.3:a:tukaani:xz:5.6.1:…".
      expect(only(matchAdvisory(nvdRecord('CVE-2024-3094'), [pkg('xz', '5.6.1', undefined, ['cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*'])])).affectedIndex).toBe(1);
      expect(matchAdvisory(nvdRecord('CVE-2024-3094'), [pkg('xz', '5.4.6', undefined, ['cpe:2.3:a:tukaani:xz:5.4.6:*:*:*:*:*:*:*'])])).toEqual([]);
    });

    it('open62541 1.3 update rc1 matches its own criterion; the 1.3.0 release matches none (CVE-2022-25761)', () => {
      // nvd-api-2.0/CVE-2022-25761.json: "cpe:2.3:a:open62541:open62541:1.3:rc1:…" and versionEndExcluding "1.2.5" for the rest.
      expect(only(matchAdvisory(nvdRecord('CVE-2022-25761'), [pkg('open62541', '1.3-rc1', undefined, ['cpe:2.3:a:open62541:open62541:1.3:rc1:*:*:*:*:*:*'])])).affectedIndex).toBe(1);
      expect(matchAdvisory(nvdRecord('CVE-2022-25761'), [pkg('open62541', '1.3.0', undefined, ['cpe:2.3:a:open62541:open62541:1.3.0:*:*:*:*:*:*:*'])])).toEqual([]);
    });

    it('esp-idf 4.1 is affected by CVE-2020-13595 only as stated "running on" an ESP32: confident with it, for review without', () => {
      // nvd-api-2.0/CVE-2020-13595.json: AND of esp-idf (vulnerable, 4.0.0 ≤ v ≤ 4.2) and "cpe:2.3:h:espressif:esp32:-:…" (not vulnerable).
      const a = nvdRecord('CVE-2020-13595');
      const idf = pkg('esp-idf', '4.1', undefined, ['cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*']);
      const chip = pkg('ESP32', undefined, undefined, ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*']);
      expect(only(matchAdvisory(a, withProductContext([idf, chip])))).toMatchObject({ needsReview: false, confidence: 0.95 });
      expect(only(matchAdvisory(a, [{ ...idf, productId: 'no-esp32' }]))).toMatchObject({ needsReview: true, confidence: 0.48 });
    });

    it('a device whose own CPE is the vulnerable NIO Aspen firmware matches as the product itself (CVE-2023-24256)', () => {
      // nvd-api-2.0/CVE-2023-24256.json: AND of "cpe:2.3:o:nio:aspen:*" versionEndExcluding "3.3.0" and "cpe:2.3:h:nio:ec6:-" (platform).
      const car = device('NIO', 'Aspen', '3.2.0', 'cpe:2.3:o:nio:aspen:3.2.0:*:*:*:*:*:*:*');
      expect(only(matchAdvisory(nvdRecord('CVE-2023-24256'), [{ ...car, productCpes: [...car.cpes, 'cpe:2.3:h:nio:ec6:-:*:*:*:*:*:*:*'] }]))).toMatchObject({ componentRef: '#product', needsReview: false });
    });
  });

  describe('CVE JSON 5 records', () => {
    it('Log4j2 2.14.1 is affected by CVE-2021-44228; 2.15.0 and 2.12.2 are reported not_affected', () => {
      // cvelistV5/…/CVE-2021-44228.json: "Apache Software Foundation" / "Apache Log4j2", version "2.0-beta9" affected with changes
      // at 2.3.1 unaffected, 2.4 affected, 2.12.2 unaffected, 2.13.0 affected, 2.15.0 unaffected.
      const a = cve5Record('cvelistV5', 'cves', '2021', '44xxx', 'CVE-2021-44228.json');
      const at = (v: string) => only(matchAdvisory(a, [device('Apache Software Foundation', 'Apache Log4j2', v)]));
      expect(at('2.14.1')).toMatchObject({ status: 'affected', advisoryStatus: 'known_affected' });
      expect(at('2.15.0')).toMatchObject({ status: 'not_affected', advisoryStatus: 'known_not_affected' });
      expect(at('2.12.2')).toMatchObject({ status: 'not_affected' });
    });

    it('log4j-over-slf4j in the dropwizard SBOM is not Log4j2', () => {
      // sbom/cyclonedx/dropwizard-1.3.15.cdx-1.2.json: "pkg:maven/org.slf4j/log4j-over-slf4j@1.7.26?type=jar" (no log4j-core).
      expect(matchAdvisory(cve5Record('cvelistV5', 'cves', '2021', '44xxx', 'CVE-2021-44228.json'), sbomTargets('cyclonedx', 'dropwizard-1.3.15.cdx-1.2.json'))).toEqual([]);
    });

    it('Linux 6.12.5 is affected by CVE-2025-21631; 6.1.130 and 6.12.10 are unaffected stable lines (not_affected)', () => {
      // cvelistV5/…/CVE-2025-21631.json: affected[1] "Linux"/"Linux", version "6.12" affected (defaultStatus affected),
      // unaffected "6.1.125" ≤ v ≤ "6.1.*" and "6.12.10" ≤ v ≤ "6.12.*".
      const a = cve5Record('cvelistV5', 'cves', '2025', '21xxx', 'CVE-2025-21631.json');
      expect(only(matchAdvisory(a, [pkg('Linux kernel', '6.12.5')]))).toMatchObject({ status: 'affected', needsReview: true });
      expect(only(matchAdvisory(a, [pkg('Linux kernel', '6.1.130')])).status).toBe('not_affected');
      expect(only(matchAdvisory(a, [pkg('linux', '6.12.10')])).status).toBe('not_affected');
    });

    it('urllib3 named without an ecosystem (CVE-2023-45803) matches by name only, for review; 1.26.18 is outside', () => {
      // cvelistV5/…/CVE-2023-45803.json: vendor "urllib3", product "urllib3", versions ">= 2.0.0, < 2.0.7" and "< 1.26.18".
      const a = cve5Record('cvelistV5', 'cves', '2023', '45xxx', 'CVE-2023-45803.json');
      expect(only(matchAdvisory(a, [pkg('urllib3', '1.26.17', 'pkg:pypi/urllib3@1.26.17')]))).toMatchObject({ status: 'affected', needsReview: true, confidence: 0.5 });
      expect(matchAdvisory(a, [pkg('urllib3', '1.26.18', 'pkg:pypi/urllib3@1.26.18')])).toEqual([]);
    });

    it('libdwarf 0.9.2 is stated unaffected (not_affected) and 0.1.0 affected (CVE-2024-2002)', () => {
      // vulnfeeds-cve5/CVE-2024-2002.json: packageName "libdwarf", versions {affected "0.1.0"}, {unaffected "0.9.2"}.
      const a = cve5Record('vulnfeeds-cve5', 'CVE-2024-2002.json');
      expect(only(matchAdvisory(a, [pkg('libdwarf', '0.1.0')])).status).toBe('affected');
      expect(only(matchAdvisory(a, [pkg('libdwarf', '0.9.2')])).status).toBe('not_affected');
    });

    it('protobuf of protocolbuffers (CVE-2025-4565) is not github.com/golang/protobuf from the proton-bridge SBOM', () => {
      // vulnfeeds-cve5/CVE-2025-4565.json: vendor "protocolbuffers", packageName "protobuf", no registry collectionURL.
      // sbom/cyclonedx/proton-bridge-v1.8.0.cdx-1.2.json: "pkg:golang/github.com/golang/protobuf@v1.3.1".
      const a = cve5Record('vulnfeeds-cve5', 'CVE-2025-4565.json');
      expect(matchAdvisory(a, sbomTargets('cyclonedx', 'proton-bridge-v1.8.0.cdx-1.2.json'))).toEqual([]);
    });
  });
});
