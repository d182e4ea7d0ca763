import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsvReader, type CsvReadOptions } from './csv-reader.js';

const OPTS: CsvReadOptions = { maxColumns: 1000, maxRecordBytes: 1 << 20, file: 'f.csv' };

async function* chunked(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(prev, c);
    prev = c;
  }
  yield bytes.subarray(prev);
}

const quote = (v: string) => (/[",;\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);

describe('openCsvReader', () => {
  it('reads every record with its row and start line, however the bytes are chunked', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('a\nb', 'x,y', '"q"', 'é€😀'));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 6 }).map((rows) => ({ n, rows }))),
        fc.constantFrom(',', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 10 }),
        async ({ n, rows }, delim, eol, cuts) => {
          const header = Array.from({ length: n }, (_, i) => `col${i}`);
          const lines = [header, ...rows].map((r) => r.map(quote).join(delim));
          const reader = await openCsvReader(chunked(Buffer.from('\ufeff' + lines.join(eol) + eol), cuts), OPTS);
          expect(reader.header).toEqual(header);
          if (n > 1) expect(reader.delimiter).toBe(delim);
          const got = [];
          for await (const r of reader.records) got.push(r);
          expect(got.map((r) => r.values)).toEqual(rows);
          expect(got.map((r) => r.row)).toEqual(rows.map((_, i) => i + 2));
          let line = 1 + (lines[0]!.split('\n').length - 1) + 1;
          const expectedLines = rows.map((_, i) => {
            const start = line;
            line += lines[i + 1]!.split('\n').length;
            return start;
          });
          expect(got.map((r) => r.line)).toEqual(expectedLines);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops reading soon after the consumer stops (only stream buffers read ahead)', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('serial\n');
      for (;;) {
        pulled++;
        yield Buffer.from('SN-1\nSN-2\n');
      }
    }
    const reader = await openCsvReader(endless(), OPTS);
    let n = 0;
    for await (const _r of reader.records) if (++n === 3) break;
    expect(n).toBe(3);
    expect(pulled * 10).toBeLessThan(256 * 1024);
  });
});
