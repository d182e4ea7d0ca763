/**
 * @module Conformance of the CVE JSON 5 and NVD API 2.0 sources on real records. The expected
 * ranges were read by hand from each file's versions[] or configurations[].cpeMatch[].
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contains, formatRange } from '../../../src/core/versions/index.js';
import type { Advisory } from '../../../src/vulns/model.js';
import { cve5Source, nvdSource } from '../../../src/vulns/sources/index.js';
import { sharedDataAvailable, sharedDataPath } from './shared-data.js';

const run = sharedDataAvailable('CVE 5 / NVD conformance');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []));
}

describe.runIf(run)('NVD API 2.0 records (real data)', () => {
  const dir = sharedDataPath('osv', 'nvd-api-2.0');
  const nvd = (id: string): Advisory => nvdSource.parse(readFileSync(`${dir}/${id}.json`, 'utf8'), `${id}.json`)[0]!;

  it('normalizes all 23 responses', () => {
    const files = readdirSync(dir);
    expect(files).toHaveLength(23);
    for (const f of files) expect(nvdSource.parse(readFileSync(`${dir}/${f}`, 'utf8'), f).map((a) => a.id)).toEqual([f.replace('.json', '')]);
  });

  it('CVE-2018-1000500: BusyBox before 1.32.0', () => {
    const a = nvd('CVE-2018-1000500');
    expect(a.affected).toHaveLength(1);
    const e = a.affected[0]!;
    expect(e).toMatchObject({ cpe: 'cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*', vendor: 'busybox', product: 'busybox', fixed: ['1.32.0'] });
    expect(formatRange(e.ranges[0]!)).toBe('< 1.32.0');
    expect(contains(e.ranges[0]!, '1.31.1')).toBe('yes');
    expect(contains(e.ranges[0]!, '1.32.0')).toBe('no');
  });

  it('CVE-2020-13595: ESP-IDF 4.0.0 through 4.2, only on ESP32 hardware', () => {
    const e = nvd('CVE-2020-13595').affected[0]!;
    expect(formatRange(e.ranges[0]!)).toBe('>= 4.0.0 and <= 4.2');
    expect(e.requires).toEqual(['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*']);
    expect(contains(e.ranges[0]!, '4.2')).toBe('yes');
    expect(contains(e.ranges[0]!, '4.2.1')).toBe('no');
  });

  it('CVE-2024-3094: xz 5.6.0 and 5.6.1 exactly', () => {
    const a = nvd('CVE-2024-3094');
    expect(a.affected.map((e) => [e.cpe, e.classification, e.versions])).toEqual([
      ['cpe:2.3:a:tukaani:xz:5.6.0:*:*:*:*:*:*:*', 'exact', ['5.6.0']],
      ['cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*', 'exact', ['5.6.1']],
    ]);
    expect(a.severity[0]).toMatchObject({ baseScore: 10, baseSeverity: 'CRITICAL' });
  });

  it('CVE-2023-4863: libwebp before 1.3.2 among the browsers and distributions', () => {
    const a = nvd('CVE-2023-4863');
    const libwebp = a.affected.find((e) => e.product === 'libwebp')!;
    expect(formatRange(libwebp.ranges[0]!)).toBe('< 1.3.2');
    const chrome = a.affected.find((e) => e.product === 'chrome')!;
    expect(formatRange(chrome.ranges[0]!)).toBe('< 116.0.5845.187');
    expect(a.affected).toHaveLength(14);
  });

  it('CVE-2022-32746: three Samba branches', () => {
    expect(nvd('CVE-2022-32746').affected.map((e) => formatRange(e.ranges[0]!))).toEqual(['>= 4.3.0 and < 4.14.14', '>= 4.15.0 and < 4.15.9', '>= 4.16.0 and < 4.16.4']);
  });

  it('CVE-2022-25761: open62541 release candidates keep their update field', () => {
    const ranges = nvd('CVE-2022-25761').affected.map((e) => formatRange(e.ranges[0]!));
    expect(ranges.slice(0, 3)).toEqual(['< 1.2.5', '1.3-rc1', '1.3-rc2']);
  });

  it('records without configurations normalize with no affected products and a warning', () => {
    for (const id of ['CVE-2023-5341', 'CVE-2024-47177']) {
      const a = nvd(id);
      expect(a.affected).toEqual([]);
      expect(a.warnings.join(' ')).toContain('no CPE configurations yet');
    }
  });
});

describe.runIf(run)('CVE JSON 5 records (real data)', () => {
  const root = sharedDataPath('osv', 'cve5');
  const files = run ? walk(root) : [];
  const cve = (id: string): Advisory => {
    const f = files.find((x) => x.endsWith(`${id}.json`) && x.includes('cvelistV5'))!;
    return cve5Source.parse(readFileSync(f, 'utf8'), path.basename(f))[0]!;
  };

  it('normalizes all 18 records with scores matching their stated values', () => {
    expect(files).toHaveLength(18);
    for (const f of files) {
      const [a] = cve5Source.parse(readFileSync(f, 'utf8'), path.basename(f));
      expect(a?.id).toBe(path.basename(f, '.json'));
      expect(a?.severity.every((s) => s.scoreMismatch !== true)).toBe(true);
    }
  });

  it('CVE-2025-21631: Linux affected only from 6.12 until 6.12.10 (complement of the unaffected list)', () => {
    const semver = cve('CVE-2025-21631').affected.filter((e) => e.ranges[0]?.scheme === 'semver');
    const affected = semver.find((e) => e.status === 'known_affected')!;
    expect(formatRange(affected.ranges.at(-1)!)).toBe('>= 6.12 and < 6.12.10');
    expect(contains(affected.ranges.at(-1)!, '6.12.5')).toBe('yes');
    expect(contains(affected.ranges.at(-1)!, '6.12.10')).toBe('no');
    expect(contains(affected.ranges.at(-1)!, '6.1.100')).toBe('no');
    expect(semver.some((e) => e.status === 'known_not_affected')).toBe(true);
  });

  it('CVE-2021-44228: Log4j2 ranges rebuilt from status changes', () => {
    const e = cve('CVE-2021-44228').affected.find((x) => x.status === 'known_affected')!;
    const r = e.ranges[0]!;
    expect(formatRange(r)).toBe('>= 2.0-beta9 and < 2.3.1 | >= 2.4 and < 2.12.2 | >= 2.13.0 and < 2.15.0');
    expect(contains(r, '2.14.1')).toBe('yes');
    expect(contains(r, '2.12.2')).toBe('no');
    expect(contains(r, '2.15.0')).toBe('no');
    expect(e.needsReview).toBe(true);
  });

  it('CVE-2023-45803: urllib3 free-text CNA versions become two ranges', () => {
    const e = cve('CVE-2023-45803').affected[0]!;
    expect(e.ranges.map(formatRange)).toEqual(['>= 2.0.0 and < 2.0.7', '< 1.26.18']);
  });

  it('CVE-2025-1110: GitLab 18.0 before 18.0.1 with its CPE', () => {
    const e = cve('CVE-2025-1110').affected[0]!;
    expect(e.cpe).toBe('cpe:2.3:a:gitlab:gitlab:*:*:*:*:*:*:*:*');
    expect(formatRange(e.ranges[0]!)).toBe('>= 18.0 and < 18.0.1');
    expect(e.fixed).toEqual(['18.0.1']);
  });

  it('CVE-2024-3094: xz 5.6.0 and 5.6.1; Red Hat products listed as not affected', () => {
    const a = cve('CVE-2024-3094');
    expect(a.affected[0]).toMatchObject({ packageName: 'xz', versions: ['5.6.0', '5.6.1'], classification: 'exact' });
    expect(a.affected.filter((e) => e.vendor === 'Red Hat').every((e) => e.status === 'known_not_affected')).toBe(true);
  });

  it('CVE-2023-23127: an "n/a" version is free text for review', () => {
    expect(cve('CVE-2023-23127').affected[0]).toMatchObject({ classification: 'free-text', needsReview: true });
  });
});
