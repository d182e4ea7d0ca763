import { describe, expect, it } from 'vitest';
import { detectSbomParser } from './registry.js';
import { parseSbom } from './index.js';
import { sbomErrorOf } from './parsers/test-helpers.js';

describe('SBOM format detection', () => {
  it('picks the parser from the content', () => {
    expect(detectSbomParser('{"bomFormat":"CycloneDX","specVersion":"1.6"}').id).toBe('cyclonedx-json');
    expect(detectSbomParser('{"spdxVersion":"SPDX-2.3"}').id).toBe('spdx-json');
    expect(detectSbomParser('# comment\nSPDXVersion: SPDX-2.2\n').id).toBe('spdx-tag-value');
  });

  it('finds bomFormat when a generator sorted it after the first few KiB', () => {
    const text = JSON.stringify({ components: [{ name: 'x'.repeat(8000) }], bomFormat: 'CycloneDX' });
    expect(detectSbomParser(text).id).toBe('cyclonedx-json');
  });

  it('lets content win over a misleading file name', () => {
    expect(detectSbomParser('{"spdxVersion":"SPDX-2.3"}', 'bom.cdx.json').id).toBe('spdx-json');
  });

  it('rejects text in no known SBOM format as unknown_format', () => {
    const e = sbomErrorOf(() => parseSbom('hello', { file: 'notes.txt' }));
    expect(e.code).toBe('sbom.unknown_format');
    expect(e.location).toEqual({ file: 'notes.txt', line: 1 });
  });
});
