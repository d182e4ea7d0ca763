/**
 * @module Conformance of the OSV source on real records (osv-schema and osv.dev test data) and the
 * osv-linter's deliberately broken variants. Expected values below were read from the JSON files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contains, formatRange } from '../../../src/core/versions/index.js';
import { AdvisoryParseError, createOsvSource, osvSource } from '../../../src/vulns/sources/index.js';
import { sharedDataAvailable, sharedDataPath } from './shared-data.js';

const run = sharedDataAvailable('OSV conformance');
const records = sharedDataPath('osv', 'osv-records');
const invalid = sharedDataPath('osv', 'osv-invalid-variants');
const parse = (f: string) => osvSource.parse(readFileSync(`${records}/${f}`, 'utf8'), f)[0]!;

/** A registry snapshot standing in for the ecosystem lookup port (PEP 503 names). */
const pypiSnapshot = new Set(['gradio', 'requests', 'cryptography', 'products-pluggableauthservice']);
const packageExists = (ecosystem: string, name: string) =>
  ecosystem === 'PyPI' ? pypiSnapshot.has(name.toLowerCase().replace(/[-_.]+/g, '-')) : undefined;

describe.runIf(run)('OSV records (real data)', () => {
  it('normalizes every valid record, keeping the OSV id as sourceId', () => {
    const files = readdirSync(records).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(26);
    for (const f of files) {
      const raw = JSON.parse(readFileSync(`${records}/${f}`, 'utf8')) as { id: string; affected?: unknown[] };
      const a = osvSource.parse(readFileSync(`${records}/${f}`, 'utf8'), f)[0]!;
      expect(a.sourceId).toBe(raw.id);
      expect(a.affected).toHaveLength(raw.affected?.length ?? 0);
      expect(a.provenance).toEqual({ parser: 'osv@1.0.0', location: f, pointer: '' });
    }
  });

  it('orders Maven events before pairing them (GHSA-76mp-659p-rw65: three branches)', () => {
    const a = parse('GHSA-76mp-659p-rw65.ghsa-converter-maven_greater_than.osv.json');
    expect(a.id).toBe('CVE-2021-32620');
    const range = a.affected[0]!.ranges[0]!;
    expect(formatRange(range)).toBe('>= 11.6.1 and < 11.10.13 | >= 12.0 and < 12.6.7 | >= 12.10.0 and < 12.10.2');
    expect(contains(range, '12.6.6')).toBe('yes');
    expect(contains(range, '12.8')).toBe('no');
    expect(a.affected[0]!.fixed).toEqual(['11.10.13', '12.6.7', '12.10.2']);
  });

  it('reads Go stdlib ranges with a pre-release introduction (GO-2024-2963)', () => {
    const r = parse('GO-2024-2963.json').affected[0]!.ranges[0]!;
    expect(formatRange(r)).toBe('< 1.21.12 | >= 1.22.0-0 and < 1.22.5');
    expect(contains(r, '1.22.0-rc.1')).toBe('yes');
    expect(contains(r, '1.21.12')).toBe('no');
  });

  it('uses the apk order for Alpine (CVE-2018-5407) and dpkg for Debian (DSA-3029-1)', () => {
    const alpine = parse('CVE-2018-5407.json').affected[0]!;
    expect(alpine).toMatchObject({ ecosystem: 'Alpine:v3.3', packageName: 'openssl', fixed: ['1.0.2q-r0'] });
    expect(contains(alpine.ranges[0]!, '1.0.2p-r0')).toBe('yes');
    expect(contains(alpine.ranges[0]!, '1.0.2q-r0')).toBe('no');
    const debian = parse('DSA-3029-1.json');
    expect(debian.id).toBe('CVE-2014-3616');
    expect(contains(debian.affected[0]!.ranges[0]!, '1.2.1-2.2+wheezy2')).toBe('yes');
    expect(contains(debian.affected[0]!.ranges[0]!, '1.2.1-2.2+wheezy3')).toBe('no');
  });

  it('carries withdrawn time, explicit versions and the invalid-version warning', () => {
    expect(parse('GHSA-35c4-f3rq-f9g3.ghsa-converter-withdrawn.osv.json').withdrawn).toBe('2018-10-11T17:29:49.000Z');
    const gradio = parse('GHSA-9v2f-6vcg-3hgv.json');
    expect(gradio.affected[0]).toMatchObject({ versions: ['4.36.1', '4.36.-1'], classification: 'exact' });
    expect(gradio.warnings.join(' ')).toContain('not valid PyPI versions: 4.36.-1');
    expect(gradio.severity[0]).toMatchObject({ version: '3.1', baseScore: 9.8, baseSeverity: 'CRITICAL' });
    expect(gradio.cwes).toEqual(['CWE-94']);
  });

  it('accepts records without affected packages (RHSA-2022:0216, SUSE-FU-2022:0444-1)', () => {
    expect(parse('RHSA-2022_0216.json').affected).toEqual([]);
    expect(parse('SUSE-FU-2022_0444-1.json').affected).toEqual([]);
  });

  it('keeps GIT-only entries without a package (CVE-2023-41045)', () => {
    const e = parse('CVE-2023-41045.json').affected[0]!;
    expect(e.packageName).toBeUndefined();
    expect(e.ranges[0]?.scheme).toBe('git');
  });
});

describe.runIf(run)('OSV invalid variants (osv-linter negative tests)', () => {
  const osv = createOsvSource({ packageExists });
  const reject = (f: string) => {
    try {
      osv.parse(readFileSync(`${invalid}/${f}`, 'utf8'), f);
    } catch (e) {
      if (e instanceof AdvisoryParseError) return e;
      throw e;
    }
    throw new Error(`${f} was accepted`);
  };

  it('rejects a range without an introduced event, naming its pointer', () => {
    const e = reject('nointroduced-CVE-2023-41045.json');
    expect(e.location).toEqual({ file: 'nointroduced-CVE-2023-41045.json', pointer: '/affected/0/ranges/0/events' });
    expect(e.reason).toContain("no 'introduced' event");
  });

  it('rejects non-distinct events, naming both events', () => {
    const e = reject('nondistinct-CVE-2018-5407.json');
    expect(e.location?.pointer).toBe('/affected/6/ranges/1/events/1');
    expect(e.reason).toContain('"e818b74be2170fbe957a07b0da4401c2b694b3b8" is both introduced (/affected/6/ranges/1/events/0) and fixed');
  });

  it('rejects a package the registry does not know', () => {
    const e = reject('nopackage-GHSA-9v2f-6vcg-3hgv.json');
    expect(e.location?.pointer).toBe('/affected/0/package/name');
    expect(e.message).toContain('package "Gradi0" does not exist in PyPI');
  });

  it('accepts the valid originals of the same records with the same registry', () => {
    expect(() => osv.parse(readFileSync(`${records}/GHSA-9v2f-6vcg-3hgv.json`, 'utf8'), 'x')).not.toThrow();
    expect(() => osv.parse(readFileSync(`${records}/CVE-2018-5407.json`, 'utf8'), 'x')).not.toThrow();
  });
});
