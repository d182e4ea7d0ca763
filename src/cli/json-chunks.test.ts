import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJsonChunks, type JsonChunkOptions } from './json-chunks.js';
import { writeJson } from './render.js';

function chunked(value: unknown, opts?: JsonChunkOptions): { text: string | undefined; chunks: string[] } {
  const chunks: string[] = [];
  const wrote = writeJsonChunks(value, (c) => chunks.push(c), opts);
  return { text: wrote ? chunks.join('') : undefined, chunks };
}

const sparse: number[] = [];
sparse[0] = 1;
sparse[2] = 3;

const tricky = {
  quote: 'a "quoted" \\ back\\slash',
  controls: '\u0000\u0001\b\f\n\r\t\u001f\u007f',
  unicode: 'é ü ß 漢字 🩺 \u2028 \u2029',
  loneSurrogates: '\ud800 x \udfff',
  'key with "quotes"\n': 1,
  numbers: [0, -0, 1.5, -2e-7, 1e21, 5e-324, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity],
  empty: { a: [], o: {}, nested: [[], [{}], { x: [] }] },
  skipped: { u: undefined, f: () => 1, s: Symbol('s'), kept: true },
  inArray: [undefined, () => 1, Symbol('s'), null],
  date: new Date(Date.UTC(2024, 0, 1, 12, 30)),
  badDate: new Date(Number.NaN),
  boxed: [Object(1), Object('text'), Object(false)],
  collections: { map: new Map([['k', 1]]), set: new Set([1]), typed: new Uint8Array([1, 2]) },
  sparse,
  deep: { a: { b: { c: { d: { e: { f: [1, { g: 'h' }] } } } } } },
  allSkipped: { u: undefined },
  // the object toJSON returns is serialised member by member: its own toJSON is not called
  toJsonTwice: { toJSON: () => ({ toJSON: () => 'called twice', x: 1 }) },
};

describe('writeJsonChunks', () => {
  it.each<[string, JsonChunkOptions]>([
    ['pretty (2)', { indent: 2 }],
    ['compact', { indent: 0 }],
    ['indent 4, walked to depth 1', { indent: 4, streamDepth: 1 }],
    ['walked to depth 0 (one JSON.stringify)', { streamDepth: 0 }],
    ['walked everywhere, one-character chunks', { streamDepth: 50, chunkSize: 1 }],
    ['seven-character chunks', { chunkSize: 7 }],
  ])('spells a value exactly as JSON.stringify does: %s', (_name, opts) => {
    expect(chunked(tricky, opts).text).toBe(JSON.stringify(tricky, null, opts.indent ?? 2));
  });

  it('calls toJSON once per value, with the key it is found under, at every depth', () => {
    const seen: string[] = [];
    const item = (id: number) => ({ toJSON: (key: string) => (seen.push(key), { id, key, again: { toJSON: () => 'inner' } }) });
    // at index 40 of its list: stringifying elements in runs must not change the key toJSON gets
    const value = { top: item(1), list: [...Array.from({ length: 40 }, () => 0), item(2)], deep: { a: { b: { c: { d: item(3) } } } } };
    const expected = JSON.stringify(value, null, 2);
    const expectedKeys = [...seen];
    expect(expectedKeys).toEqual(['top', '40', 'd']);
    for (const streamDepth of [0, 1, 2, 10]) {
      seen.length = 0;
      expect(chunked(value, { streamDepth }).text).toBe(expected);
      expect(seen).toEqual(expectedKeys);
    }
  });

  it('applies a top-level toJSON with the empty key and walks its result', () => {
    const value = { toJSON: (key: string) => ({ key, list: [1, 2] }) };
    expect(chunked(value, { streamDepth: 0 }).text).toBe(JSON.stringify(value, null, 2));
  });

  it('writes nothing and returns false where JSON.stringify returns undefined', () => {
    for (const v of [undefined, () => 1, Symbol('x'), { toJSON: () => undefined }]) {
      const r = chunked(v);
      expect(r).toEqual({ text: undefined, chunks: [] });
      expect(JSON.stringify(v)).toBeUndefined();
    }
  });

  it('writes primitives at the top level as JSON.stringify does', () => {
    for (const v of [null, true, 0, -0, 'text', NaN, '\n']) expect(chunked(v).text).toBe(JSON.stringify(v, null, 2));
  });

  it('refuses a cycle, walked or handed to JSON.stringify, with the TypeError JSON.stringify throws', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = { back: [a] };
    for (const streamDepth of [0, 1, 10]) expect(() => chunked(a, { streamDepth })).toThrow(TypeError);
  });

  it('refuses a BigInt as JSON.stringify does', () => {
    expect(() => chunked({ list: [1n] }, { streamDepth: 10 })).toThrow(TypeError);
  });

  it('hands out chunks of about the chunk size rather than one string', () => {
    const devices = Array.from({ length: 2000 }, (_, i) => ({ key: `mac:00:00:00:00:${String(i).padStart(5, '0')}`, ips: [`10.0.${i >> 8}.${i & 255}`], services: [{ port: 104, flows: i }] }));
    const { text, chunks } = chunked({ devices }, { chunkSize: 4096 });
    expect(text).toBe(JSON.stringify({ devices }, null, 2));
    expect(chunks.length).toBeGreaterThan(text!.length / 8192);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(2 * 4096);
  });

  it('walks a long array below the walked levels (an ingest result: report, devices), so no chunk holds it whole', () => {
    const value = { captureId: 'cap_1', report: { devices: Array.from({ length: 3000 }, (_, i) => ({ key: `ip:10.2.${i >> 8}.${i & 255}`, ports: [104, i] })) } };
    const { text, chunks } = chunked(value, { chunkSize: 4096 });
    expect(text).toBe(JSON.stringify(value, null, 2));
    expect(text!.length).toBeGreaterThan(200_000);
    // a chunk is flushed once past the chunk size: at most one more run of elements over it
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(2 * 4096);
  });

  it('matches JSON.stringify on arbitrary values', () => {
    const anything = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true, maxDepth: 6 });
    fc.assert(
      fc.property(anything, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 64 }), (v, indent, streamDepth, streamLength, chunkSize) => {
        expect(chunked(v, { indent, streamDepth, streamLength, chunkSize }).text).toBe(JSON.stringify(v, null, indent));
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeJson', () => {
  const collect = (value: unknown): { text: string; writes: number } => {
    const stdout = new PassThrough();
    const parts: string[] = [];
    const write = stdout.write.bind(stdout);
    stdout.write = ((chunk: string) => (parts.push(chunk), write(chunk))) as typeof stdout.write;
    writeJson({ stdout, stderr: new PassThrough(), isTTY: false }, value);
    return { text: parts.join(''), writes: parts.length };
  };

  it('prints JSON.stringify(value, null, 2) and a newline, small output in one write', () => {
    const value = { ok: true, list: [1, 'two', { three: 3 }] };
    expect(collect(value)).toEqual({ text: `${JSON.stringify(value, null, 2)}\n`, writes: 1 });
  });

  it('prints a large value in several writes, the same text in all', () => {
    const value = { devices: Array.from({ length: 5000 }, (_, i) => ({ key: `ip:10.1.${i >> 8}.${i & 255}`, name: `device "${i}"\t`, ports: [i, i + 1] })) };
    const r = collect(value);
    expect(r.text).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(r.writes).toBeGreaterThan(1);
  });

  it('prints "undefined" for undefined, as it always did', () => {
    expect(collect(undefined)).toEqual({ text: 'undefined\n', writes: 1 });
  });
});
