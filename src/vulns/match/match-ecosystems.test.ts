import { describe, expect, it } from 'vitest';
import { matchAdvisory } from './match.js';
import { osv, semverRange, target } from './testing.js';

const pkg = (ecosystem: string, name: string, ...ranges: unknown[]) => osv([{ package: { ecosystem, name }, ranges }]);
const one = (a: ReturnType<typeof osv>, spec: Parameters<typeof target>[0]) => matchAdvisory(a, [target(spec)]);

describe('OSV package matching per ecosystem', () => {
  it('npm (semver): in range matches with full confidence and readable evidence', () => {
    const a = pkg('npm', 'lodash', semverRange('0', '4.17.21', 'SEMVER'));
    const [m, ...rest] = one(a, { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' });
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ rule: 'osv-package', status: 'affected', advisoryStatus: 'known_affected', confidence: 1, needsReview: false, fixedVersions: ['4.17.21'], vulnerabilityId: a.id });
    expect(a.id).toMatch(/^CVE-/);
    expect(m?.evidence).toMatchObject({ advisoryField: 'affected[0].ranges[0]', advisoryValue: 'npm/lodash: < 4.17.21', componentField: 'purl', componentValue: 'pkg:npm/lodash@4.17.20' });
    expect(m?.evidence.explanation).toContain('4.17.20 satisfies < 4.17.21 (npm)');
  });

  it('a component at the fixed version, or just outside the range, does not match', () => {
    const a = pkg('npm', 'mixin-deep', semverRange('0', '1.3.2'), semverRange('2.0.0', '2.0.1'));
    expect(one(a, { name: 'mixin-deep', version: '1.3.2', purl: 'pkg:npm/mixin-deep@1.3.2' })).toEqual([]);
    expect(one(a, { name: 'mixin-deep', version: '2.0.1', purl: 'pkg:npm/mixin-deep@2.0.1' })).toEqual([]);
    expect(one(a, { name: 'mixin-deep', version: '2.0.0', purl: 'pkg:npm/mixin-deep@2.0.0' })).toHaveLength(1);
  });

  it('npm scope matters: @angular/core is not core', () => {
    const a = pkg('npm', '@angular/core', semverRange('0', '11.0.5'));
    expect(one(a, { name: 'core', version: '11.0.0', purl: 'pkg:npm/core@11.0.0' })).toEqual([]);
    expect(one(a, { name: 'core', version: '11.0.0', purl: 'pkg:npm/%40angular/core@11.0.0' })).toHaveLength(1);
  });

  it('the same name in another ecosystem never matches, not even by name', () => {
    const a = pkg('npm', 'jquery', semverRange('2.1.1-0', '3.0.0', 'SEMVER'));
    expect(one(a, { name: 'jQuery', version: '2.2.0', purl: 'pkg:nuget/jQuery@2.2.0' })).toEqual([]);
    expect(one(a, { name: 'jquery', version: '2.2.0', purl: 'pkg:pypi/jquery@2.2.0' })).toEqual([]);
    expect(one(a, { name: 'jquery', version: '2.2.0', purl: 'pkg:npm/jquery@2.2.0' })).toHaveLength(1);
  });

  it('PyPI (PEP 440): normalized names, pre-releases ordered before the release', () => {
    const a = pkg('PyPI', 'Products.PluggableAuthService', semverRange('0', '2.6.1'));
    expect(one(a, { name: 'products-pluggableauthservice', version: '2.6.1rc1', purl: 'pkg:pypi/products-pluggableauthservice@2.6.1rc1' })).toHaveLength(1);
    expect(one(a, { name: 'products-pluggableauthservice', version: '2.6.1', purl: 'pkg:pypi/products_pluggableauthservice@2.6.1' })).toEqual([]);
  });

  it('Maven: the group is part of the identity; ComparableVersion ordering', () => {
    const a = pkg('Maven', 'org.apache.logging.log4j:log4j-core', semverRange('2.0-beta9', '2.15.0'));
    expect(one(a, { name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar' })).toHaveLength(1);
    expect(one(a, { name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/com.example.fork/log4j-core@2.14.1' })).toEqual([]);
    expect(one(a, { name: 'log4j-core', version: '2.0-alpha1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.0-alpha1' })).toEqual([]);
  });

  it('Go: module path identity, v-prefixed versions', () => {
    const a = pkg('Go', 'github.com/gin-gonic/gin', semverRange('0', '1.6.0', 'SEMVER'));
    expect(one(a, { name: 'github.com/gin-gonic/gin', version: 'v1.4.0', purl: 'pkg:golang/github.com/gin-gonic/gin@v1.4.0' })[0]).toMatchObject({ status: 'affected', confidence: 1 });
    expect(one(a, { name: 'github.com/gin-gonic/gin', version: 'v1.6.0', purl: 'pkg:golang/github.com/gin-gonic/gin@v1.6.0' })).toEqual([]);
  });

  it('crates.io and NuGet', () => {
    expect(one(pkg('crates.io', 'tokio', semverRange('1.7.0', '1.18.4', 'SEMVER')), { name: 'tokio', version: '1.18.3', purl: 'pkg:cargo/tokio@1.18.3' })).toHaveLength(1);
    const nuget = pkg('NuGet', 'Newtonsoft.Json', semverRange('0', '13.0.1'));
    expect(one(nuget, { name: 'Newtonsoft.Json', version: '9.0.1', purl: 'pkg:nuget/Newtonsoft.Json@9.0.1' })).toHaveLength(1);
    expect(one(nuget, { name: 'Newtonsoft.Json', version: '13.0.1', purl: 'pkg:nuget/Newtonsoft.Json@13.0.1' })).toEqual([]);
  });

  it('Debian (dpkg): epoch and tilde ordering; the release must agree when both state one', () => {
    const a = pkg('Debian:12', 'openssl', semverRange('0', '3.0.11-1~deb12u2'));
    const at = (version: string, q = '?distro=debian-12') => one(a, { name: 'openssl', version, purl: `pkg:deb/debian/openssl@${encodeURIComponent(version)}${q}` });
    expect(at('3.0.11-1~deb12u1')).toHaveLength(1);
    expect(at('3.0.11-1~deb12u2')).toEqual([]);
    expect(at('1:3.0.0-1')).toEqual([]);
    expect(at('3.0.9-1', '?distro=debian-11')).toEqual([]);
    const [m] = at('3.0.9-1', '');
    expect(m).toMatchObject({ confidence: 0.9, needsReview: false });
    expect(m?.evidence.explanation).toContain('the advisory is for release 12');
  });

  it('Debian binary packages match their source package through the upstream qualifier', () => {
    const a = pkg('Debian:12', 'openssl', semverRange('0', '3.0.11-1~deb12u2'));
    const [m] = one(a, { name: 'libssl3', version: '3.0.9-1', purl: 'pkg:deb/debian/libssl3@3.0.9-1?upstream=openssl&distro=debian-12' });
    expect(m).toMatchObject({ confidence: 0.95, rule: 'osv-package' });
  });

  it('Ubuntu packages are not Debian packages', () => {
    const a = pkg('Debian:12', 'openssl', semverRange('0', '3.0.11-1~deb12u2'));
    expect(one(a, { name: 'openssl', version: '3.0.2-0ubuntu1', purl: 'pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1' })).toEqual([]);
  });

  it('RPM (rpmvercmp with epoch) and Alpine apk', () => {
    const rh = pkg('Red Hat:rhel_aus:8.6::appstream', 'git-lfs', semverRange('0', '0:2.13.3-3.el8_6.1'));
    expect(one(rh, { name: 'git-lfs', version: '2.13.3-2.el8', purl: 'pkg:rpm/redhat/git-lfs@2.13.3-2.el8' })).toHaveLength(1);
    expect(one(rh, { name: 'git-lfs', version: '2.13.3-3.el8_6.1', purl: 'pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1' })).toEqual([]);
    const apk = pkg('Alpine:v3.18', 'openssl', semverRange('0', '3.1.4-r1'));
    expect(one(apk, { name: 'openssl', version: '3.1.4-r0', purl: 'pkg:apk/alpine/openssl@3.1.4-r0?distro=alpine-3.18.4' })).toHaveLength(1);
    expect(one(apk, { name: 'openssl', version: '3.1.4-r0', purl: 'pkg:apk/alpine/openssl@3.1.4-r0?distro=alpine-3.19.0' })).toEqual([]);
  });

  it('explicit affected versions match even outside the ranges; GIT ranges never decide release versions', () => {
    const a = osv([{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'GIT', repo: 'https://github.com/psf/requests', events: [{ introduced: '0' }, { fixed: '74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5' }] }, semverRange('2.3.0', '2.31.0')], versions: ['2.2.9'] }]);
    expect(one(a, { name: 'requests', version: '2.2.9', purl: 'pkg:pypi/requests@2.2.9' })[0]?.evidence.explanation).toContain('listed as an affected version');
    expect(one(a, { name: 'requests', version: '2.31.0', purl: 'pkg:pypi/requests@2.31.0' })).toEqual([]);
  });

  it('an ecosystem without a comparator is matched at lower confidence and marked for review', () => {
    const a = pkg('RubyGems', 'passenger', semverRange('0', '3.0.21'));
    const [m] = one(a, { name: 'passenger', version: '3.0.20', purl: 'pkg:gem/passenger@3.0.20' });
    expect(m).toMatchObject({ needsReview: true, confidence: 0.6 });
  });

  it('a withdrawn advisory matches nothing', () => {
    const a = osv([{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [semverRange('0', '4.17.21')] }], { withdrawn: '2024-02-01T00:00:00Z' });
    expect(one(a, { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' })).toEqual([]);
  });

  it('weak component identities never give confident matches', () => {
    const a = pkg('npm', 'lodash', semverRange('0', '4.17.21'));
    const [noVersion] = one(a, { name: 'lodash', purl: 'pkg:npm/lodash' });
    expect(noVersion).toMatchObject({ needsReview: true, confidence: 0.3 });
    expect(noVersion?.evidence.explanation).toContain('states no version');
    const [odd] = one(a, { name: 'lodash', version: 'latest', purl: 'pkg:npm/lodash@latest', flags: ['odd-version'] });
    expect(odd).toMatchObject({ needsReview: true });
    expect(odd!.confidence).toBeLessThanOrEqual(0.4);
  });

  it('an OSV package with a purl is matched on the ecosystem identity, every range considered', () => {
    const a = osv([{ package: { ecosystem: 'npm', name: 'minimist', purl: 'pkg:npm/minimist' }, ranges: [semverRange('0', '0.2.1'), semverRange('1.0.0', '1.2.3')] }]);
    expect(one(a, { name: 'minimist', version: '1.2.2', purl: 'pkg:npm/minimist@1.2.2' })).toHaveLength(1);
    expect(one(a, { name: 'minimist', version: '0.2.1', purl: 'pkg:npm/minimist@0.2.1' })).toEqual([]);
  });
});
