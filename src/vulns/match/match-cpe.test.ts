import { describe, expect, it } from 'vitest';
import { matchAdvisory } from './match.js';
import { nvd, product, target } from './testing.js';

const cpe23 = (vendor: string, prod: string, version = '*', part = 'a') => `cpe:2.3:${part}:${vendor}:${prod}:${version}:*:*:*:*:*:*:*`;

describe('CPE matching with version bounds (firmware and OS components)', () => {
  it('OpenSSL: letter releases order within a line (1.1.1k < 1.1.1l)', () => {
    const a = nvd('CVE-2021-3711', [[[{ criteria: cpe23('openssl', 'openssl'), versionStartIncluding: '1.1.1', versionEndExcluding: '1.1.1l' }]]]);
    const [m] = matchAdvisory(a, [target({ name: 'openssl', version: '1.1.1k', cpes: [cpe23('openssl', 'openssl', '1.1.1k')] })]);
    expect(m).toMatchObject({ rule: 'cpe', status: 'affected', confidence: 0.95, needsReview: false, fixedVersions: ['1.1.1l'] });
    expect(m?.evidence).toMatchObject({ componentField: 'cpe', advisoryValue: `${cpe23('openssl', 'openssl')}: >= 1.1.1 and < 1.1.1l` });
    expect(matchAdvisory(a, [target({ name: 'openssl', version: '1.1.1l', cpes: [cpe23('openssl', 'openssl', '1.1.1l')] })])).toEqual([]);
    expect(matchAdvisory(a, [target({ name: 'openssl', version: '1.0.2u', cpes: [cpe23('openssl', 'openssl', '1.0.2u')] })])).toEqual([]);
  });

  it('BusyBox named without a CPE matches through the curated name, for review', () => {
    const a = nvd('CVE-2018-1000500', [[[{ criteria: cpe23('busybox', 'busybox'), versionEndExcluding: '1.32.0' }]]]);
    const [m] = matchAdvisory(a, [target({ name: 'BusyBox', version: '1.31.1', purl: 'pkg:generic/busybox@1.31.1', flags: [] })]);
    expect(m).toMatchObject({ rule: 'cpe', confidence: 0.7, needsReview: true });
    expect(m?.evidence.explanation).toContain('known name for busybox:busybox');
    expect(matchAdvisory(a, [target({ name: 'BusyBox', version: '1.32.0' })])).toEqual([]);
  });

  it('Linux kernel: an SBOM writing part "a" for the kernel still matches the "o" criterion', () => {
    const a = nvd('CVE-2023-0001', [[[{ criteria: cpe23('linux', 'linux_kernel', '*', 'o'), versionStartIncluding: '5.10', versionEndExcluding: '5.10.180' }]]]);
    const [m] = matchAdvisory(a, [target({ name: 'linux', version: '5.10.179', cpes: [cpe23('linux', 'linux_kernel', '5.10.179')] })]);
    expect(m?.confidence).toBe(0.81);
    expect(m?.evidence.explanation).toContain('part "a" in the component CPE');
    expect(matchAdvisory(a, [target({ name: 'linux', version: '5.15.1', cpes: [cpe23('linux', 'linux_kernel', '5.15.1', 'o')] })])).toEqual([]);
  });

  it('wolfSSL: a "-stable" release tag is the release itself', () => {
    const a = nvd('CVE-2023-6935', [[[{ criteria: cpe23('wolfssl', 'wolfssl'), versionEndIncluding: '5.6.4' }]]]);
    const [m] = matchAdvisory(a, [target({ name: 'wolfSSL', version: '5.6.4-stable', cpes: [cpe23('wolfssl', 'wolfssl', '5.6.4-stable')] })]);
    expect(m?.status).toBe('affected');
    expect(m?.evidence.explanation).toContain('read as release 5.6.4');
    expect(matchAdvisory(a, [target({ name: 'wolfSSL', version: '5.6.6-stable', cpes: [cpe23('wolfssl', 'wolfssl', '5.6.6-stable')] })])).toEqual([]);
  });

  it('FreeRTOS: V-prefixed kernel versions against the amazon:freertos CPE', () => {
    const a = nvd('CVE-2018-16522', [[[{ criteria: cpe23('amazon', 'freertos', '*', 'o'), versionEndIncluding: '1.3.1' }]]]);
    expect(matchAdvisory(a, [target({ name: 'FreeRTOS', version: 'V1.3.0' })])[0]).toMatchObject({ needsReview: true, status: 'affected' });
    expect(matchAdvisory(a, [target({ name: 'FreeRTOS', version: 'V10.4.3' })])).toEqual([]);
  });

  it('Windows: the release product and its build number; a service-pack criterion needs that service pack', () => {
    const a = nvd('CVE-2024-21338', [[[{ criteria: 'cpe:2.3:o:microsoft:windows_10_1809:*:*:*:*:*:*:x64:*', versionEndExcluding: '10.0.17763.5458' }]]]);
    expect(matchAdvisory(a, [target({ name: 'Windows 10', version: '10.0.17763.5329', cpes: ['cpe:2.3:o:microsoft:windows_10_1809:10.0.17763.5329:*:*:*:*:*:x64:*'] })])).toHaveLength(1);
    expect(matchAdvisory(a, [target({ name: 'Windows 10', version: '10.0.17763.5329', cpes: ['cpe:2.3:o:microsoft:windows_10_1809:10.0.17763.5329:*:*:*:*:*:x86:*'] })])).toEqual([]);
    const sp = nvd('CVE-2019-0708', [[[{ criteria: 'cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*' }]]]);
    expect(matchAdvisory(sp, [target({ name: 'Windows 7', version: '-', cpes: ['cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*'] })])).toHaveLength(1);
    expect(matchAdvisory(sp, [target({ name: 'Windows 7', version: '-', cpes: ['cpe:2.3:o:microsoft:windows_7:-:-:*:*:*:*:*:*'] })])).toEqual([]);
  });

  it('a hardware criterion never matches a software CPE of the same name', () => {
    const a = nvd('CVE-2024-0002', [[[{ criteria: cpe23('acme', 'pump', '-', 'h') }]]]);
    expect(matchAdvisory(a, [target({ name: 'pump', version: '1', cpes: [cpe23('acme', 'pump', '1')] })])).toEqual([]);
  });

  describe('NVD "running on" (AND configurations)', () => {
    const a = nvd('CVE-2020-13595', [[[{ criteria: cpe23('espressif', 'esp-idf'), versionStartIncluding: '4.0.0', versionEndIncluding: '4.2' }], [{ criteria: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*', vulnerable: false }]]]);
    const idf = (productId: string) => target({ name: 'esp-idf', version: '4.1', cpes: [cpe23('espressif', 'esp-idf', '4.1')] }, productId);

    it('matches confidently when the product has the platform', () => {
      const [m] = matchAdvisory(a, [idf('p1'), target({ name: 'ESP32', cpes: ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*'], flags: ['hardware-cpe'] }, 'p1')]);
      expect(m).toMatchObject({ productId: 'p1', confidence: 0.95, needsReview: false });
      expect(m?.evidence.explanation).toContain('the product has cpe:2.3:h:espressif:esp32');
    });

    it('matches at lower confidence for review when the platform is absent', () => {
      const [m] = matchAdvisory(a, [idf('p2'), target({ name: 'ESP32', cpes: ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*'] }, 'p3')]);
      expect(m).toMatchObject({ productId: 'p2', confidence: 0.48, needsReview: true });
      expect(m?.evidence.explanation).toContain('which the product does not list');
    });

    it('uses productCpes when the target carries its product context', () => {
      const t = { ...idf('p4'), productCpes: ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*'] };
      expect(matchAdvisory(a, [t])[0]?.needsReview).toBe(false);
    });
  });

  it('a product whose own CPE is the affected firmware matches as the product itself', () => {
    const a = nvd('CVE-2023-24256', [[[{ criteria: cpe23('nio', 'aspen', '*', 'o'), versionEndExcluding: '3.3.0' }]]]);
    const [m] = matchAdvisory(a, [product('NIO', 'Aspen', '3.2.1', { cpe: cpe23('nio', 'aspen', '3.2.1', 'o') })]);
    expect(m).toMatchObject({ componentRef: '#product', rule: 'cpe', status: 'affected' });
  });
});
