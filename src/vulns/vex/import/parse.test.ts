import { describe, expect, it } from 'vitest';
import { VexParseError } from '../errors.js';
import { fixtureJson, fixtureText, vexErrorOf } from '../testing/helpers.js';
import { detectVexFormat, parseVex } from './parse.js';

describe('parseVex', () => {
  it('detects each format from the document shape', () => {
    expect(detectVexFormat(fixtureJson('cyclonedx-every-state.cdx-1.5.json'))).toBe('cyclonedx');
    expect(detectVexFormat(fixtureJson('csaf-vex-every-status.json'))).toBe('csaf');
    expect(detectVexFormat(fixtureJson('openvex-every-status.json'))).toBe('openvex');
    expect(detectVexFormat({ spdxVersion: 'SPDX-2.3' })).toBeUndefined();
    expect(detectVexFormat([])).toBeUndefined();
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseVex(`\ufeff${fixtureText('openvex-every-status.json')}`, 'bom.json').statements.length).toBeGreaterThan(0);
  });

  it('rejects a document of no VEX format at the root pointer', () => {
    const e = vexErrorOf({ spdxVersion: 'SPDX-2.3' }, 'sbom.spdx.json');
    expect(e.code).toBe('vex.unknown_format');
    expect(e.pointer).toBe('');
    expect(e.message).toContain('sbom.spdx.json at /');
  });

  it('rejects JSON syntax errors naming the byte offset', () => {
    const e = vexErrorOf('{"bomFormat": "CycloneDX",, }', 'broken.json');
    expect(e.code).toBe('vex.invalid_json');
    expect(e.location?.byteOffset).toBe(26);
  });

  it('rejects a document larger than the limit before parsing it', () => {
    expect(() => parseVex(' '.repeat(101), 'big.json', { maxBytes: 100 })).toThrow(expect.objectContaining({ code: 'vex.too_large', status: 413 }));
  });

  it('rejects a document of another format than the one required', () => {
    try {
      parseVex(fixtureText('openvex-every-status.json'), 'x.json', { format: 'csaf' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VexParseError);
      expect((e as VexParseError).message).toContain('expected a csaf document, found openvex');
    }
  });

  it('rejects non-text input with the typed error', () => {
    expect(() => parseVex(undefined as unknown as string, 'x')).toThrow(VexParseError);
  });
});
