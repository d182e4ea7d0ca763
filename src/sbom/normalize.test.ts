import { describe, expect, it } from 'vitest';
import { classifyCpe, finalizeComponent, isOddVersion, normalizeHashAlg, normalizePurl, type ComponentDraft } from './normalize.js';

const draft = (over: Partial<ComponentDraft>): ComponentDraft => ({
  ref: 'r',
  name: 'n',
  cpes: [],
  type: 'library',
  hashes: [],
  licenses: [],
  properties: [],
  ...over,
});

describe('component flags', () => {
  it('keeps a component with an empty version and flags it empty-version', () => {
    const c = finalizeComponent(draft({ version: '' }));
    expect(c.version).toBeUndefined();
    expect(c.flags).toEqual(['empty-version']);
  });

  it('treats SPDX NOASSERTION as an empty version', () => {
    expect(finalizeComponent(draft({ version: 'NOASSERTION' })).flags).toEqual(['empty-version']);
  });

  it('flags a purl without version and a pkg:generic purl, keeping the original text', () => {
    const c = finalizeComponent(draft({ version: '1.0', purlRaw: 'pkg:generic/qualcomm_atheros_qca9563' }));
    expect(c.flags).toEqual(['purl-without-version', 'generic-purl']);
    expect(c.purl).toBe('pkg:generic/qualcomm_atheros_qca9563');
    expect(c.purlRaw).toBe('pkg:generic/qualcomm_atheros_qca9563');
    expect(c.ecosystem).toBe('generic');
  });

  it('normalizes a purl (type lower-cased) and derives the ecosystem from its type', () => {
    const c = finalizeComponent(draft({ version: '1.0', purlRaw: 'pkg:NPM/%40angular/core@1.0' }));
    expect(c.purl).toBe('pkg:npm/%40angular/core@1.0');
    expect(c.purlRaw).toBe('pkg:NPM/%40angular/core@1.0');
    expect(c.ecosystem).toBe('npm');
    expect(c.flags).toEqual([]);
  });

  it('flags an unparsable purl as invalid-purl and keeps only the raw text', () => {
    const c = finalizeComponent(draft({ version: '1', purlRaw: 'npm/left-pad@1' }));
    expect(c.flags).toEqual(['invalid-purl']);
    expect(c.purl).toBeUndefined();
    expect(c.purlRaw).toBe('npm/left-pad@1');
  });

  it('flags a hardware CPE 2.3 (part h) as hardware-cpe', () => {
    const c = finalizeComponent(draft({ version: '1', cpes: ['cpe:2.3:h:qualcomm:atheros_qca9563:*:*:*:*:*:*:*:*'] }));
    expect(c.flags).toEqual(['hardware-cpe']);
  });

  it('flags a malformed CPE as invalid-cpe', () => {
    const c = finalizeComponent(draft({ version: '1', cpes: ['cpe:2.3:a:vendor:product'] }));
    expect(c.flags).toEqual(['invalid-cpe']);
  });

  it('flags odd version strings such as "latest" and keeps the text', () => {
    const c = finalizeComponent(draft({ version: 'latest' }));
    expect(c.version).toBe('latest');
    expect(c.flags).toEqual(['odd-version']);
  });
});

describe('version oddity', () => {
  it.each(['1.2.3', 'v7.12.0', '0.13c', '2.0.3562.1', '1', 'v0.0.0-20200622213623-75b288015ac9', '1:2.3-4ubuntu1', '1.0+build.5'])(
    'accepts %s as an ordinary version',
    (v) => expect(isOddVersion(v)).toBe(false),
  );
  it.each(['latest', 'in-dev', 'dev-master', '>= 1.2', '1.x || 2', '*', '1.0 beta', 'a'.repeat(10) + '1'.repeat(60)])(
    'flags %s as odd',
    (v) => expect(isOddVersion(v)).toBe(true),
  );
});

describe('CPE and hash normalization', () => {
  it('classifies CPE 2.2 URIs by their part', () => {
    expect(classifyCpe('cpe:/h:cisco:router:1.0')).toBe('hardware');
    expect(classifyCpe('cpe:/a:openssl:openssl:1.0.2')).toBe('valid');
    expect(classifyCpe('not a cpe')).toBe('invalid');
  });

  it('spells SPDX checksum algorithms the CycloneDX way', () => {
    expect(['SHA256', 'SHA1', 'sha3-512', 'BLAKE2b-256', 'MD5'].map(normalizeHashAlg)).toEqual(['SHA-256', 'SHA-1', 'SHA3-512', 'BLAKE2b-256', 'MD5']);
  });

  it('returns undefined for text that is not a purl', () => {
    expect(normalizePurl('pkg:')).toBeUndefined();
  });
});
