import { describe, expect, it } from 'vitest';
import { PRODUCT_SELF_REF } from './model.js';
import { componentKey, matchKeysOfTarget, productTarget, targetOfComponent, withProductContext } from './target.js';
import { component, product, target } from './testing.js';

describe('componentKey', () => {
  it('is the same for the same name/version/purl whatever the ref, qualifiers or hashes', () => {
    const a = component({ ref: 'a', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', hashes: [{ alg: 'SHA-256', value: 'aa' }] });
    const b = component({ ref: 'b', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20?foo=bar', hashes: [{ alg: 'SHA-256', value: 'bb' }] });
    expect(componentKey(a)).toBe(componentKey(b));
    expect(componentKey(a)).toBe('purl:npm/lodash@4.17.20');
  });

  it('changes when the version changes, and distinguishes ecosystems', () => {
    expect(componentKey(component({ name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }))).not.toBe('purl:npm/lodash@4.17.20');
    expect(componentKey(component({ name: 'jquery', version: '3.1.1', purl: 'pkg:nuget/jQuery@3.1.1' }))).not.toBe(componentKey(component({ name: 'jquery', version: '3.1.1', purl: 'pkg:npm/jquery@3.1.1' })));
  });

  it('falls back to the folded name and version, then the CPE, then a hash', () => {
    expect(componentKey({ name: 'OpenSSL', version: '1.0.2k', cpes: [], hashes: [] })).toBe('name:openssl@1.0.2k');
    expect(componentKey({ name: '', cpes: ['cpe:2.3:a:x:y:1:*:*:*:*:*:*:*'], hashes: [] })).toBe('cpe:cpe:2.3:a:x:y:1:*:*:*:*:*:*:*');
    expect(componentKey({ name: '', cpes: [], hashes: [{ alg: 'SHA-256', value: 'AB' }] })).toBe('hash:sha256:ab');
  });
});

describe('targets', () => {
  it('carries the component identity and flags, with the supplier normalized as vendor', () => {
    const t = targetOfComponent('p1', component({ ref: 'r1', name: 'Acme Pump Core', version: '2.0', supplier: 'Acme Medical GmbH', cpes: ['cpe:2.3:a:acme:pump_core:2.0:*:*:*:*:*:*:*'] }));
    expect(t).toMatchObject({ productId: 'p1', componentRef: 'r1', version: '2.0', normalizedVendor: 'acme medical', normalizedProduct: 'acme pump core', flags: [] });
  });

  it('makes a product version its own target with PRODUCT_SELF_REF and normalized names', () => {
    const t = productTarget({ id: 'p9', manufacturer: 'Becton, Dickinson and Company', name: 'Alaris PC Unit', version: '9.19', normalizedVendor: '', normalizedProduct: '' });
    expect(t).toMatchObject({ componentRef: PRODUCT_SELF_REF, version: '9.19', normalizedVendor: 'bd', normalizedProduct: 'alaris pc unit', componentKey: 'product:bd/alaris pc unit@9.19' });
    expect(product('BD', 'Alaris PC Unit', '').flags).toEqual(['empty-version']);
  });

  it('derives keys from purl, upstream source package, CPEs, hashes, names and (products only) vendor', () => {
    expect(matchKeysOfTarget(target({ name: 'libssl3', version: '3.0.11', purl: 'pkg:deb/debian/libssl3@3.0.11?upstream=openssl', hashes: [{ alg: 'SHA-256', value: 'AB' }] }))).toEqual([
      'purl:deb/debian/libssl3',
      'purl:deb/debian/openssl',
      'hash:sha256:ab',
      'name:libssl3',
    ]);
    expect(matchKeysOfTarget(product('Philips', 'IntelliVue MX40', 'B.06.17'))).toEqual(['vp:philips/intellivue mx40', 'v:philips', 'name:intellivue mx40']);
  });

  it('infers CPE keys for firmware components named without a CPE, but not when the CPE is stated or the component is a distribution package', () => {
    expect(matchKeysOfTarget(target({ name: 'BusyBox', version: '1.31.1' }))).toContain('cpe:busybox:busybox');
    expect(matchKeysOfTarget(target({ name: 'openssl', version: '1.1.1k', purl: 'pkg:generic/openssl@1.1.1k' }))).toContain('cpe:openssl:openssl');
    expect(matchKeysOfTarget(target({ name: 'openssl', version: '3.0.11-1~deb12u2', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2' }))).not.toContain('cpe:openssl:openssl');
    const stated = matchKeysOfTarget(target({ name: 'WolfSSL', version: '4.8.1', cpes: ['cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*'] }));
    expect(stated.filter((k) => k === 'cpe:wolfssl:wolfssl')).toHaveLength(1);
  });

  it('withProductContext gives every target the CPEs of its whole product', () => {
    const [a, b, c] = withProductContext([
      target({ name: 'esp-idf', version: '4.1', cpes: ['cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*'] }, 'p1'),
      target({ name: 'ESP32', cpes: ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*'] }, 'p1'),
      target({ name: 'other', version: '1' }, 'p2'),
    ]);
    expect(a?.productCpes).toHaveLength(2);
    expect(b?.productCpes).toEqual(a?.productCpes);
    expect(c?.productCpes).toEqual([]);
  });
});
