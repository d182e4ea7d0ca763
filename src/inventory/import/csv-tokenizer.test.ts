import { parse as parseSync } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../core/index.js';
import { CSV_RECORD_DELIMITERS, CsvStructureGuard, type CsvDelimiter } from './csv-guard.js';
import { CsvTokenizer, type CsvRow } from './csv-tokenizer.js';
import { Utf8StreamValidator } from './utf8.js';

const LIMITS = { maxColumns: 1000, maxRecordBytes: 1 << 20, file: 'f.csv' };

/** Tokenizes `bytes` cut at `cuts` (byte positions), through the UTF-8 validator as the reader does. */
function tokenize(bytes: Buffer, delimiter: CsvDelimiter, cuts: number[] = [], limits: Partial<typeof LIMITS> = {}): CsvRow[] {
  const t = new CsvTokenizer({ ...LIMITS, ...limits, delimiter });
  const utf8 = new Utf8StreamValidator('f.csv');
  const out: CsvRow[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
    t.push(utf8.push(bytes.subarray(prev, c)), out);
    prev = c;
  }
  t.push(utf8.push(bytes.subarray(prev)), out);
  utf8.end();
  t.end(out);
  return out;
}

/** csv-parse with the options the import used before the tokenizer replaced it. */
const reference = (bytes: Buffer, delimiter: string): string[][] =>
  parseSync(bytes, { bom: true, delimiter, record_delimiter: CSV_RECORD_DELIMITERS, relax_column_count: false, skip_empty_lines: true }) as string[][];

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const cell = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', 'x,y', 'a;b', 't\tu', 'say "hi"', '"', 'two\nlines', 'cr\rline', 'crlf\r\nline', 'é€😀', '\ufeff') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 5 }) },
);
const quote = (v: string) => (/[",;\t\r\n]/.test(v) || v === '' || v.startsWith('\ufeff') ? `"${v.replace(/"/g, '""')}"` : v);
const table = fc.integer({ min: 1, max: 5 }).chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 }));

describe('CsvTokenizer', () => {
  it('reads what csv-parse reads from well-formed CSV, with each record’s start line, however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        table,
        fc.constantFrom<CsvDelimiter>(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (rows, delim, eol, bom, cuts) => {
          const lines = rows.map((r) => r.map(quote).join(delim));
          const text = (bom ? '\ufeff' : '') + lines.join(eol) + (cuts.length % 2 ? eol : '');
          const bytes = Buffer.from(text);
          const got = tokenize(bytes, delim, cuts);
          expect(got.map((r) => r.values)).toEqual(reference(bytes, delim));
          let line = 1;
          const starts = lines.map((l) => {
            const start = line;
            line += l.split(/\r\n|\n|\r/).length;
            return start;
          });
          // rows whose only cell is unquoted-empty are blank lines, which both skip
          expect(got.map((r) => r.line)).toEqual(starts.filter((_, i) => lines[i] !== ''));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('accepts exactly what csv-parse accepts, and reads the same records, on mutated CSV', () => {
    fc.assert(
      fc.property(
        table,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '\n', '\r', '\r\n', 'x', '""', ' ', '\ufeff')), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, mutations, cuts) => {
          let text = rows.map((r) => r.map(quote).join(',')).join('\n');
          for (const [pos, ins] of mutations) {
            const at = pos % (text.length + 1);
            text = text.slice(0, at) + ins + text.slice(at);
          }
          const bytes = Buffer.from(text);
          let expected: string[][] | undefined;
          try {
            expected = reference(bytes, ',');
          } catch {
            expected = undefined;
          }
          let got: CsvRow[] | undefined;
          try {
            got = tokenize(bytes, ',', cuts);
          } catch (e) {
            expect(isDomainError(e), String(e)).toBe(true);
          }
          if (expected === undefined) expect(got, JSON.stringify(text)).toBeUndefined();
          else expect(got?.map((r) => r.values), JSON.stringify(text)).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('fails with the same code, line and byte offset as the structural guard of the first pass', () => {
    fc.assert(
      fc.property(
        table,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '\n', '\r', 'x', '""', 'é')), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (rows, mutations, cuts) => {
          let text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
          for (const [pos, ins] of mutations) {
            const at = pos % (text.length + 1);
            text = text.slice(0, at) + ins + text.slice(at);
          }
          const bytes = Buffer.from(text);
          const outcome = (fn: () => unknown) => {
            try {
              fn();
              return 'accepted';
            } catch (e) {
              if (!isDomainError(e)) throw e;
              return `${e.code} ${JSON.stringify(e.location)}`;
            }
          };
          const guard = outcome(() => {
            const g = new CsvStructureGuard({ ...LIMITS, delimiter: ',' });
            g.feed(bytes);
            g.end();
          });
          const tokenizer = outcome(() => tokenize(bytes, ',', cuts));
          // an input of blank lines only has no header: the reader, not the tokenizer, reports that
          if (guard.startsWith('import.empty_file')) expect(tokenizer).toBe('accepted');
          else expect(tokenizer, JSON.stringify(text)).toBe(guard);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but a DomainError on random text, and always terminates', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '"', ',', ';', '\n', '\r', ' ', 'é', '\ufeff'), maxLength: 80 }), fc.constantFrom<CsvDelimiter>(',', ';'), fc.array(fc.nat(), { maxLength: 5 }), (text, delim, cuts) => {
        try {
          tokenize(Buffer.from(text), delim, cuts, { maxColumns: 4, maxRecordBytes: 20 });
        } catch (e) {
          expect(isDomainError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b\nx,y"z\n', 'import.csv_invalid_quote', 2, 7],
    ['text after a closing quote', 'a,b\n"x"y,z\n', 'import.csv_invalid_quote', 2, 7],
    ['an unclosed quoted field', 'a,b\nx,"yz\n', 'import.csv_unclosed_quote', 2, 6],
    ['a row with fewer fields than the header (at its end)', 'a,b,c\n1,2,3\n4,5\n', 'import.csv_field_count', 3, 15],
    ['a row with more fields than the header', 'a,b\n1,2\n3,4,5\n', 'import.csv_field_count', 3, 11],
    ['an error after multi-byte characters (byte, not character, offsets)', 'ä,ö\n€,"😀"x\n', 'import.csv_invalid_quote', 2, 16],
    ['an error on a later line of a multi-line quoted field', 'a,b\n"1\n2\r\n3",x"\n', 'import.csv_invalid_quote', 4, 14],
  ])('rejects %s, naming line and byte offset', (_what, text, code, line, byteOffset) => {
    const e = errorOf(() => tokenize(Buffer.from(text), ',', [3, 9]));
    expect(e.code).toBe(code);
    expect(e.location).toMatchObject({ file: 'f.csv', line, byteOffset });
  });

  it('fails on a 1,000,000-column header at the column limit, without building the record', () => {
    const e = errorOf(() => tokenize(Buffer.from('c,'.repeat(1_000_000)), ','));
    expect(e.code).toBe('import.too_many_columns');
    expect(e.location).toMatchObject({ line: 1, byteOffset: 1999 });
  });

  it('fails fast on a 100 MB line: after about one record limit of input, not the whole line', () => {
    const t = new CsvTokenizer({ ...LIMITS, delimiter: ',' });
    const out: CsvRow[] = [];
    t.push(Buffer.from('serial,name\n'), out);
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let fed = 0;
    const e = errorOf(() => {
      for (; fed < 100 * 1024 * 1024; fed += chunk.length) t.push(chunk, out);
    });
    expect(e.code).toBe('import.record_too_large');
    expect(e.location).toMatchObject({ line: 2, byteOffset: 12 + LIMITS.maxRecordBytes });
    expect(fed).toBeLessThanOrEqual(LIMITS.maxRecordBytes + chunk.length);
  });

  it('skips a byte order mark only at the very start and keeps quoted line breaks as content', () => {
    const rows = tokenize(Buffer.from('\ufeffa;b\r\n"x\r\ny";\ufeffz\r\n\r\n1;2'), ';', [1, 2, 8]);
    expect(rows).toEqual([
      { values: ['a', 'b'], line: 1 },
      { values: ['x\r\ny', '\ufeffz'], line: 2 },
      { values: ['1', '2'], line: 5 },
    ]);
  });
});
