import { describe, expect, it } from 'vitest';
import { SbomError } from './errors.js';
import { firstSyntaxErrorOffset, lineColumnAt, parseJsonDocument } from './json-text.js';
import { SBOM_LIMITS } from './parsers/contract.js';

function errorOf(fn: () => unknown): SbomError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SbomError) return e;
    throw e;
  }
  throw new Error('expected an SbomError');
}

describe('JSON reading', () => {
  it('reports a syntax error with line, column and byte offset', () => {
    const e = errorOf(() => parseJsonDocument('{\n  "a": 1,\n  "b": 2 x\n}', 'bom.json'));
    expect(e.code).toBe('sbom.invalid_json');
    expect(e.location).toMatchObject({ file: 'bom.json', line: 3, column: 10, byteOffset: 21 });
  });

  it('locates an unexpected first token that V8 reports without a position', () => {
    const e = errorOf(() => parseJsonDocument('\n\n  nope', undefined));
    expect(e.location).toMatchObject({ line: 3, column: 3 });
  });

  it('reports truncated input at its end', () => {
    const e = errorOf(() => parseJsonDocument('{"components": [', undefined));
    expect(e.code).toBe('sbom.invalid_json');
    expect(e.location?.line).toBe(1);
  });

  it('counts the byte offset in UTF-8 bytes, not characters', () => {
    const e = errorOf(() => parseJsonDocument('{"ä": x}', undefined));
    expect(e.location).toMatchObject({ column: 7, byteOffset: 7 });
  });

  it('rejects nesting deeper than the limit with the pointer of the too-deep value', () => {
    const depth = SBOM_LIMITS.maxJsonDepth + 5;
    const text = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const e = errorOf(() => parseJsonDocument(text, undefined));
    expect(e.code).toBe('sbom.too_deep');
    expect(e.location?.pointer).toBe('/a'.repeat(SBOM_LIMITS.maxJsonDepth));
  });

  it('finds the same error offsets as V8 where V8 gives one', () => {
    for (const s of ['{"a":1,}', '{"a":1', '[1,2,\n 3 x]', '{"a" 1}', '"abc', '[1]x', '{"a":"\\q"}']) {
      const m = /at position (\d+)/.exec((() => { try { JSON.parse(s); return ''; } catch (e) { return (e as Error).message; } })());
      if (m) expect(firstSyntaxErrorOffset(s), s).toBe(Number(m[1]));
    }
    expect(firstSyntaxErrorOffset('{"a":[1,{"b":null}],"c":"\\u00e4"}')).toBe(-1);
  });

  it('computes 1-based line and column', () => {
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
