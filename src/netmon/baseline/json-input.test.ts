import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { JsonChecker, locateJsonError, parseJsonText, ptr } from './json-input.js';

describe('JSON input checks', () => {
  it('escapes "~" and "/" in pointer tokens as RFC 6901 requires', () => {
    expect(ptr('/rules', 'a/b~c')).toBe('/rules/a~1b~0c');
  });

  it('reports unknown keys with the nearest known name, or the list of known names', () => {
    const c = new JsonChecker();
    c.object({ cidr: [], colour: 1 }, '/zones/0', ['name', 'cidrs']);
    expect(c.problems).toEqual([
      { pointer: '/zones/0/cidr', message: 'unknown property "cidr" (did you mean "cidrs"?)' },
      { pointer: '/zones/0/colour', message: 'unknown property "colour" (known: name, cidrs)' },
    ]);
  });

  it('throws one DomainError listing every problem, located at the first', () => {
    const c = new JsonChecker();
    c.number('x', '/a', {});
    c.number(7, '/b', { max: 4 });
    expect(() => c.throwIfProblems('t.invalid', 'thing', 'f.json')).toThrow(
      expect.objectContaining({ code: 't.invalid', location: { file: 'f.json', pointer: '/a' }, message: 'thing f.json is invalid (2 problems):\n  /a: expected a number, found string\n  /b: must be <= 4, found 7' }),
    );
  });

  it('locates a syntax error by line and column', () => {
    const text = '{\n  "zones": [\n    { "name": "a", }\n  ]\n}';
    expect(locateJsonError(text)).toBe(text.indexOf('}'));
    expect(() => parseJsonText(text, 'x.syntax', 'policy', 'p.json')).toThrow(expect.objectContaining({ code: 'x.syntax', location: expect.objectContaining({ file: 'p.json', line: 3, column: 20 }) }));
    expect(locateJsonError('{"a": 1} x')).toBe(9);
    expect(locateJsonError('[1, 2]')).toBe(-1);
    expect(locateJsonError('"\\q"')).toBe(2);
  });

  it('finds a position inside the text for any invalid JSON and never throws anything but DomainError (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))), fc.json().map((j) => `${j}}`)), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const pos = locateJsonError(text);
        if (valid) expect(pos).toBe(-1);
        else expect(pos).toBeGreaterThanOrEqual(0);
        expect(pos).toBeLessThanOrEqual(text.length);
        try {
          parseJsonText(text, 'x.syntax', 'doc');
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does not overflow the stack on deeply nested input', () => {
    expect(locateJsonError('['.repeat(100_000))).toBeGreaterThan(0);
  });
});
