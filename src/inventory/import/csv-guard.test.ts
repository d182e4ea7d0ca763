import { parse as parseSync } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '../../core/index.js';
import { CSV_RECORD_DELIMITERS, CsvStructureGuard, type CsvGuardOptions } from './csv-guard.js';

const LIMITS: CsvGuardOptions = { maxColumns: 1000, maxRecordBytes: 1 << 20, file: 'f.csv' };

function guardAll(text: string | Buffer, options: Partial<CsvGuardOptions> = {}, chunk = 7): CsvStructureGuard {
  const g = new CsvStructureGuard({ ...LIMITS, ...options });
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < buf.length; i += chunk) g.feed(buf.subarray(i, i + chunk));
  g.end();
  return g;
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

describe('CsvStructureGuard', () => {
  it.each([
    [',', 'serial,name,model\nA,b,c\n'],
    [';', 'serial;name;model\nA;"b, c";d\n'],
    ['\t', 'serial\tname\tmodel\nA\tb\tc\n'],
  ])('detects the %j delimiter from the header line', (delimiter, text) => {
    const g = guardAll(text);
    expect(g.delimiter).toBe(delimiter);
    expect(g.columns).toBe(3);
    expect(g.records).toBe(1);
  });

  it('ignores delimiters inside quoted header names and skips a byte order mark and blank lines', () => {
    const g = guardAll('\ufeff\n"Serial; No",Name\r\n\r\nA1,x\r\nA2,"multi\nline"\r\n\n');
    expect(g.delimiter).toBe(',');
    expect(g.columns).toBe(2);
    expect(g.records).toBe(2);
  });

  it('fails fast on a header with more columns than the limit, naming line 1 and the byte offset', () => {
    const g = new CsvStructureGuard({ ...LIMITS, maxColumns: 1000 });
    const header = Buffer.from('c,'.repeat(1_000_000));
    const e = errorOf(() => g.feed(header));
    expect(e.code).toBe('import.too_many_columns');
    // the 1000th delimiter (byte 1999) makes the 1001st column
    expect(e.location).toMatchObject({ line: 1, byteOffset: 1999 });
    expect(e.message).toContain('1000');
  });

  it('fails on a data row with more fields than the header before the row ends', () => {
    const g = new CsvStructureGuard(LIMITS);
    g.feed(Buffer.from('a,b\nx,y\n'));
    const e = errorOf(() => g.feed(Buffer.from(',' .repeat(100_000))));
    expect(e.code).toBe('import.csv_field_count');
    expect(e.location).toMatchObject({ line: 3, byteOffset: 9 });
  });

  it('rejects a row with fewer fields than the header', () => {
    const e = errorOf(() => guardAll('a,b,c\n1,2,3\n4,5\n'));
    expect(e.code).toBe('import.csv_field_count');
    expect(e.message).toContain('line 3 has 2 fields but the header has 3');
  });

  it('fails fast on a record longer than the record limit, naming its line and the limit', () => {
    const g = new CsvStructureGuard({ ...LIMITS, maxRecordBytes: 4096 });
    g.feed(Buffer.from('a,b\n'));
    const e = errorOf(() => g.feed(Buffer.alloc(10_000, 0x61)));
    expect(e.code).toBe('import.record_too_large');
    expect(e.location).toMatchObject({ line: 2, byteOffset: 4 + 4096 });
    expect(e.message).toContain('4 KiB');
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b\nx,y"z\n', 'import.csv_invalid_quote', 2, 7],
    ['text after a closing quote', 'a,b\n"x"y,z\n', 'import.csv_invalid_quote', 2, 7],
    ['an unclosed quoted field', 'a,b\nx,"yz\n', 'import.csv_unclosed_quote', 2, 6],
    // the header decides the delimiter (',' outnumbers ';'): a quote opened after ';' is inside a field
    ['a header quote opened after a candidate that is not the delimiter', 'c0,c1;"",c2\nx,y,z\n', 'import.csv_invalid_quote', 1, 6],
    ['a header quote closed before a candidate that is not the delimiter', 'c0,"c1";c2,c3\nx,y,z\n', 'import.csv_invalid_quote', 1, 7],
    ['an empty file', '', 'import.empty_file', 1, 0],
  ])('rejects %s', (_name, text, code, line, byteOffset) => {
    const e = errorOf(() => guardAll(text));
    expect(e.code).toBe(code);
    expect(e.location).toMatchObject({ line, byteOffset });
  });

  it('counts lines for CR, LF and CRLF line endings alike', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const e = errorOf(() => guardAll(['a,b', '1,2', '3,4', '5'].join(eol) + eol));
      expect(e.location?.line).toBe(4);
    }
  });

  const cell = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('x,y', 'say "hi"', 'two\nlines', 'a;b', '', ' '));
  const table = fc.integer({ min: 1, max: 5 }).chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 }));
  const quote = (v: string) => (/[",;\r\n\t]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);

  it('accepts every well-formed CSV and counts its records as csv-parse does', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(',', ';'), fc.integer({ min: 1, max: 40 }), (rows, delim, chunk) => {
        const header = rows[0]!.map((_, i) => `col${i}`);
        const text = [header, ...rows].map((r) => r.map(quote).join(delim)).join('\r\n') + '\r\n';
        const g = guardAll(text, { delimiter: delim as ',' | ';' }, chunk);
        const parsed = parseSync(text, { delimiter: delim, record_delimiter: CSV_RECORD_DELIMITERS, skip_empty_lines: true, relax_column_count: false }) as string[][];
        expect(g.records).toBe(parsed.length - 1);
      }),
    );
  });

  it('never throws anything but a DomainError, and whatever it accepts csv-parse parses (mutated input)', () => {
    fc.assert(
      fc.property(
        table,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '\n', '\r', 'x', '""', ';')), { maxLength: 4 }),
        (rows, mutations) => {
          let text = [rows[0]!.map((_, i) => `c${i}`), ...rows].map((r) => r.map(quote).join(',')).join('\n');
          for (const [pos, ins] of mutations) {
            const at = pos % (text.length + 1);
            text = text.slice(0, at) + ins + text.slice(at);
          }
          let accepted: CsvStructureGuard | undefined;
          try {
            accepted = guardAll(text, {}, 5);
          } catch (e) {
            expect(isDomainError(e)).toBe(true);
            return;
          }
          const parsed = parseSync(text, { delimiter: accepted.delimiter, record_delimiter: CSV_RECORD_DELIMITERS, bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
          expect(parsed.length - 1).toBe(accepted.records);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
