import { describe, expect, it } from 'vitest';
import { AdvisoryParseError } from './errors.js';
import { JsonReader, parseJsonDocument, ptr } from './json.js';

describe('bounded JSON reading', () => {
  it('escapes JSON pointer tokens', () => {
    expect(ptr('/a', 'b/c~d')).toBe('/a/b~1c~0d');
  });

  it('names the byte offset of a syntax error', () => {
    try {
      parseJsonDocument('{"a": 1,, }', 'x.json');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(AdvisoryParseError);
      expect((e as AdvisoryParseError).code).toBe('advisory.invalid_json');
      expect((e as AdvisoryParseError).location).toMatchObject({ file: 'x.json', byteOffset: 8 });
    }
  });

  it('refuses oversized documents and skips a byte-order mark', () => {
    expect(() => parseJsonDocument('[1]', 'x', 2)).toThrow(/larger than 2 bytes/);
    expect(parseJsonDocument('\ufeff{"a":1}', 'x')).toEqual({ a: 1 });
  });

  it('names the pointer of a missing or mistyped field', () => {
    const r = new JsonReader('f.json');
    expect(() => r.string(undefined, '/id')).toThrow('required field is missing (f.json at /id)');
    expect(() => r.timestamp('yesterday', '/modified')).toThrow('"yesterday" is not an RFC 3339 timestamp (f.json at /modified)');
    expect(r.timestamp('2024-07-03T20:05:21Z', '/m')).toBe('2024-07-03T20:05:21.000Z');
  });
});
