/** @module Tests of the JSON error locator: table cases plus a differential property against JSON.parse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonSyntaxError } from './json-syntax.js';

const parses = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('locateJsonSyntaxError', () => {
  it.each([
    ['{"a":', 5, 'unexpected end of input'],
    ['{"a":1,}', 7, 'expected a double-quoted property name'],
    ['{"a" 1}', 5, "expected ':' after a property name"],
    ['[1,2', 4, 'unexpected end of input'],
    ['[1 2]', 3, "expected ',' or ']' in an array"],
    ['{"a":1}}', 7, 'unexpected content after the JSON value'],
    ['{"a":tru}', 8, 'invalid literal (expected true)'],
    ['{"a":01}', 6, "expected ',' or '}' in an object"],
    ['{"a":-}', 6, 'invalid number'],
    ['{"a":1.}', 7, 'invalid number'],
    ['"a\\x"', 3, 'invalid escape in a string'],
    ['"a\u0001"', 2, 'control character inside a string'],
    ['"abc', 4, 'unterminated string'],
    ["{'a':1}", 1, 'expected a double-quoted property name'],
    ['', 0, 'unexpected end of input'],
  ])('reports %j at offset %i: %s', (text, offset, reason) => {
    expect(locateJsonSyntaxError(text)).toMatchObject({ offset, reason });
  });

  it('gives line, column and UTF-8 byte offset of the error', () => {
    expect(locateJsonSyntaxError('{\n  "näme": "é",\n  "b": x\n}')).toEqual({ offset: 24, byteOffset: 26, line: 3, column: 8, reason: 'unexpected character' });
  });

  it('accepts deep nesting without recursion', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(locateJsonSyntaxError(deep)).toBeNull();
    expect(locateJsonSyntaxError(deep.slice(0, -1))).toMatchObject({ offset: 399_999, reason: 'unexpected end of input' });
  });

  it('agrees with JSON.parse on validity for generated and mutated JSON', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '-', '0', 'e', ' ', 'tru', '\u0000'), fc.nat(3))
      .map(([json, at, insert, del]) => {
        const p = at % (json.length + 1);
        return json.slice(0, p) + insert + json.slice(p + del);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated, fc.string()), (text) => {
        const located = locateJsonSyntaxError(text);
        expect(located === null).toBe(parses(text));
        if (located) expect(located.offset).toBeGreaterThanOrEqual(0);
        if (located) expect(located.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 3000 },
    );
  });
});
