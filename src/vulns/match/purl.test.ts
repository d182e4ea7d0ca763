import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityOfEcosystemPackage, identityOfPurl, parsePurl, releaseOfDistroQualifier, releaseOfEcosystem, sameRelease, upstreamName } from './purl.js';

const id = (purl: string) => {
  const p = parsePurl(purl);
  if (!p) throw new Error(`not a purl: ${purl}`);
  return identityOfPurl(p);
};

describe('purl reading', () => {
  it('splits type, namespace, name, version and qualifiers, decoding escapes', () => {
    expect(parsePurl('pkg:npm/%40angular/core@16.2.1?foo=a%20b#sub/path')).toEqual({ type: 'npm', namespace: '@angular', name: 'core', version: '16.2.1', qualifiers: { foo: 'a b' } });
    expect(parsePurl('pkg:deb/debian/openssl@1%3A3.0.11-1~deb12u2?arch=amd64&distro=debian-12')).toMatchObject({ version: '1:3.0.11-1~deb12u2', qualifiers: { arch: 'amd64', distro: 'debian-12' } });
    expect(parsePurl('pkg:golang/github.com/gin-gonic/gin@v1.4.0')).toMatchObject({ namespace: 'github.com/gin-gonic', name: 'gin', version: 'v1.4.0' });
    expect(parsePurl('pkg:nuget/Newtonsoft.Json')).toEqual({ type: 'nuget', name: 'Newtonsoft.Json', qualifiers: {} });
  });

  it.each(['', 'npm/lodash', 'pkg:', 'pkg:npm', 'pkg:npm/', 'pkg:1x/foo', 'pkg:npm/@1.0', 'x'.repeat(3000)])('rejects %j', (s) => {
    expect(parsePurl(s)).toBeUndefined();
  });

  it('keeps malformed percent-escapes verbatim instead of failing', () => {
    expect(parsePurl('pkg:npm/foo%zz@1')).toMatchObject({ name: 'foo%zz', version: '1' });
  });

  it('never throws on random or mutated input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `pkg:${s}`), fc.constantFrom('pkg:npm/%40a/b@1?x=%', 'pkg://maven/a/b@1#/')), (s) => {
        const p = parsePurl(s);
        if (p) expect(typeof identityOfPurl(p)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('package identity', () => {
  it('normalizes PyPI names per PEP 503 and folds case', () => {
    expect(id('pkg:pypi/Products.PluggableAuthService@2.6.0')).toBe('pypi/products-pluggableauthservice');
    expect(identityOfEcosystemPackage('PyPI', 'products_pluggableauthservice')).toBe('pypi/products-pluggableauthservice');
  });

  it('keeps the npm scope and Maven group as part of the identity', () => {
    expect(id('pkg:npm/%40angular/core@1')).toBe('npm/@angular/core');
    expect(identityOfEcosystemPackage('npm', '@angular/core')).toBe('npm/@angular/core');
    expect(id('pkg:npm/core@1')).not.toBe(id('pkg:npm/%40angular/core@1'));
    expect(identityOfEcosystemPackage('Maven', 'org.xwiki.commons:xwiki-commons-core')).toBe('maven/org.xwiki.commons/xwiki-commons-core');
    expect(id('pkg:maven/org.xwiki.commons/xwiki-commons-core@12.0?type=jar')).toBe('maven/org.xwiki.commons/xwiki-commons-core');
  });

  it('maps OSV ecosystems to purl types, distributions with their namespace', () => {
    expect(identityOfEcosystemPackage('Go', 'github.com/gin-gonic/gin')).toBe(id('pkg:golang/github.com/gin-gonic/gin@v1.4.0'));
    expect(identityOfEcosystemPackage('crates.io', 'tokio')).toBe('cargo/tokio');
    expect(identityOfEcosystemPackage('NuGet', 'Newtonsoft.Json')).toBe(id('pkg:nuget/Newtonsoft.Json@9.0.1'));
    expect(identityOfEcosystemPackage('Debian:12', 'openssl')).toBe('deb/debian/openssl');
    expect(identityOfEcosystemPackage('Ubuntu:22.04:LTS', 'openssl')).toBe('deb/ubuntu/openssl');
    expect(identityOfEcosystemPackage('Alpine:v3.18', 'openssl')).toBe(id('pkg:apk/alpine/openssl@3.1.4-r0'));
    expect(identityOfEcosystemPackage('Red Hat:rhel_aus:8.6::appstream', 'PyYAML')).toBe(id('pkg:rpm/redhat/PyYAML@5.4.1'));
    expect(identityOfEcosystemPackage('OSS-Fuzz', 'openssl')).toBeUndefined();
  });

  it('reads the non-standard pkg:alpine type as apk/alpine', () => {
    expect(id('pkg:alpine/mariadb')).toBe('apk/alpine/mariadb');
  });

  it('takes the source package from the upstream qualifier', () => {
    expect(upstreamName(parsePurl('pkg:deb/debian/libssl3@3.0.11?upstream=openssl')!)).toBe('openssl');
    expect(upstreamName(parsePurl('pkg:rpm/redhat/openssl-libs@3.0.7?upstream=openssl-3.0.7-24.el9.src.rpm')!)).toBe('openssl');
    expect(upstreamName(parsePurl('pkg:deb/debian/libc6@2.36?upstream=glibc%402.36-9')!)).toBe('glibc');
  });
});

describe('distribution releases', () => {
  it('reads releases from OSV ecosystems and purl distro qualifiers (numbers and code names)', () => {
    expect(releaseOfEcosystem('Debian:12')).toBe('12');
    expect(releaseOfEcosystem('Alpine:v3.18')).toBe('3.18');
    expect(releaseOfEcosystem('Ubuntu:Pro:14.04:LTS')).toBe('14.04');
    expect(releaseOfEcosystem('PyPI')).toBeUndefined();
    expect(releaseOfDistroQualifier('debian-12')).toBe('12');
    expect(releaseOfDistroQualifier('bookworm')).toBe('12');
    expect(releaseOfDistroQualifier('esm-infra-legacy/trusty')).toBe('14.04');
    expect(releaseOfDistroQualifier('alpine-3.18.4')).toBe('3.18.4');
  });

  it('compares Debian by major and Alpine/Ubuntu by major.minor', () => {
    expect(sameRelease('12', '12.4')).toBe(true);
    expect(sameRelease('11', '12')).toBe(false);
    expect(sameRelease('3.18', '3.18.4')).toBe(true);
    expect(sameRelease('3.18', '3.19.0')).toBe(false);
  });
});
