import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../core/index.js';
import { JsonStructureScanner, type JsonScanOptions } from './json-scanner.js';

const BASE: JsonScanOptions = { mode: 'json', maxDepth: 64, maxRecordBytes: 1 << 20, recordKeys: ['devices'], file: 'f.json' };

function scan(text: string, options: Partial<JsonScanOptions> = {}, chunk = 5): { records: string[]; scanner: JsonStructureScanner } {
  const buf = Buffer.from(text);
  const ranges: [number, number][] = [];
  let start = -1;
  const scanner = new JsonStructureScanner(
    { ...BASE, ...options },
    {
      recordStart: (o) => (start = o),
      recordEnd: (o) => ranges.push([start, o]),
    },
  );
  for (let i = 0; i < buf.length; i += chunk) scanner.feed(buf.subarray(i, i + chunk));
  scanner.end();
  return { scanner, records: ranges.map(([a, b]) => buf.subarray(a, b).toString()) };
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('JsonStructureScanner', () => {
  it('finds the byte range of every element of a top-level array', () => {
    const { records } = scan('[ {"a": [1, {"b": "]"}]}, 2.5e3 ,"x\\"y", null, [] ]');
    expect(records).toEqual(['{"a": [1, {"b": "]"}]}', '2.5e3', '"x\\"y"', 'null', '[]']);
  });

  it('finds the records of a wrapper object and skips its other members', () => {
    const { records, scanner } = scan('{"meta": {"devices": [9]}, "devices": [{"s": 1}, {"s": 2}], "other": [[3]]}');
    expect(records).toEqual(['{"s": 1}', '{"s": 2}']);
    expect(scanner.recordsPointer).toBe('/devices');
  });

  it('reads NDJSON records line by line, skipping blank lines', () => {
    const { records } = scan('{"s":1}\r\n\n  {"s":2}  \n7\n', { mode: 'ndjson' });
    expect(records).toEqual(['{"s":1}', '{"s":2}', '7']);
  });

  it.each([
    ['a trailing comma', '[{"a":1},\n {"b": 2,}]', 2, 10, 19, '/1'],
    ['a missing colon', '{"devices": [{"a" 1}]}', 1, 19, 18, '/devices/0'],
    ['a single-quoted string', "[{'a': 1}]", 1, 3, 2, '/0'],
    ['a leading zero', '[01]', 1, 3, 2, '/0'],
    ['a truncated document', '[{"a": "b"', 1, 11, 10, '/0'],
    ['a raw line break in a string', '[\n"a\nb"]', 2, 3, 4, '/0'],
  ])('rejects %s naming line, column, byte offset and pointer', (_name, text, line, column, byteOffset, pointer) => {
    const e = errorOf(() => scan(text));
    expect(e.code).toBe('import.malformed_json');
    expect(e.location).toMatchObject({ file: 'f.json', line, column, byteOffset, pointer });
  });

  it('counts columns in characters, not bytes', () => {
    const e = errorOf(() => scan('[{"name": "Déjà vu", x}]'));
    expect(e.location).toMatchObject({ line: 1, column: 22, byteOffset: 23 });
  });

  it.each([
    ['a top-level string', '"devices"'],
    ['an object without a devices array', '{"items2": []}'],
    ['a devices member that is not an array', '{"devices": {"a": 1}}'],
  ])('rejects %s as the wrong shape', (_name, text) => {
    expect(errorOf(() => scan(text)).code).toBe('import.json_shape');
  });

  it('refuses nesting deeper than the limit', () => {
    const e = errorOf(() => scan('['.repeat(100) + ']'.repeat(100), { maxDepth: 64 }));
    expect(e.code).toBe('import.json_too_deep');
    expect(e.location?.byteOffset).toBe(64);
  });

  it('fails fast on a record larger than the record limit', () => {
    const s = new JsonStructureScanner({ ...BASE, maxRecordBytes: 1000 });
    s.feed(Buffer.from('[{"a": "'));
    const e = errorOf(() => s.feed(Buffer.alloc(5000, 0x61)));
    expect(e.code).toBe('import.record_too_large');
    expect(e.location).toMatchObject({ byteOffset: 1001, pointer: '/0' });
  });

  it('rejects an NDJSON record spread over several lines', () => {
    const e = errorOf(() => scan('{"a":\n1}\n', { mode: 'ndjson' }));
    expect(e.code).toBe('import.malformed_json');
    expect(e.location?.line).toBe(1);
  });

  it('extracts exactly the elements JSON.parse sees, however the input is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 17 }), (values, pretty, chunk) => {
        const text = pretty ? JSON.stringify(values, null, 2) : JSON.stringify(values);
        const { records } = scan(text, { maxDepth: 1000 }, chunk);
        expect(records.map((r) => JSON.parse(r) as unknown)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('accepts exactly what JSON.parse accepts (random and mutated single-line values)', () => {
    const mutated = fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '}', ']', '{', '[', ':', '\\', 'e', '-', '0', '.', ' ', 'tru', '\u0001')), { maxLength: 3 }))
      .map(([v, muts]) => {
        let t = JSON.stringify(v);
        for (const [pos, ins] of muts) {
          const at = pos % (t.length + 1);
          t = t.slice(0, at) + ins + t.slice(at);
        }
        return t;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 20 })), (text) => {
        fc.pre(!text.includes('\n') && text.trim().length > 0 && !text.startsWith('\ufeff'));
        let parsed = true;
        try {
          JSON.parse(text);
        } catch {
          parsed = false;
        }
        let accepted = true;
        try {
          scan(text, { mode: 'ndjson', maxDepth: 1000 }, 3);
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
          accepted = false;
        }
        expect(accepted).toBe(parsed);
      }),
      { numRuns: 3000 },
    );
  });
});
