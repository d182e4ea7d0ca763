import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { readJsonRecords, type JsonReadOptions } from './json-reader.js';

const OPTS: JsonReadOptions = { mode: 'json', maxDepth: 64, maxRecordBytes: 1 << 20, file: 'f.json' };

async function* chunked(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(prev, c);
    prev = c;
  }
  yield bytes.subarray(prev);
}

async function collect(text: string | Buffer, cuts: number[], options: Partial<JsonReadOptions> = {}) {
  const out = [];
  for await (const r of readJsonRecords(chunked(Buffer.from(text), cuts), { ...OPTS, ...options })) out.push(r);
  return out;
}

describe('readJsonRecords', () => {
  it('yields every record, however the bytes are chunked (records spanning chunks, multi-byte characters split)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (records, wrapped, cuts) => {
          const text = '\ufeff' + (wrapped ? JSON.stringify({ meta: { n: 1 }, devices: records }, null, 1) : JSON.stringify(records));
          const got = await collect(text, cuts);
          expect(got.map((r) => r.value)).toEqual(JSON.parse(text.slice(1)).devices ?? JSON.parse(text.slice(1)));
          expect(got.map((r) => r.pointer)).toEqual(records.map((_, i) => `${wrapped ? '/devices' : ''}/${i}`));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('numbers NDJSON records by line', async () => {
    const got = await collect('{"a":1}\n\n{"b":"é"}\n', [3, 12], { mode: 'ndjson' });
    expect(got.map((r) => [r.row, r.value])).toEqual([
      [1, { a: 1 }],
      [3, { b: 'é' }],
    ]);
  });

  it('never throws anything but a DomainError on mutated input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ']', '{', ',', '\u00e9', '\\')), { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 4 }), async (v, muts, cuts) => {
        let t = JSON.stringify([v]);
        for (const [pos, ins] of muts) {
          const at = pos % (t.length + 1);
          t = t.slice(0, at) + ins + t.slice(at);
        }
        try {
          await collect(t, cuts);
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
