/**
 * @module CISA KEV catalog, CSV form (known_exploited_vulnerabilities.csv), parsed with csv-parse:
 * the header must name the KEV columns; each row becomes the same advisory as the JSON form.
 * Errors name the line (and column) of the offending row.
 */
import { parse } from 'csv-parse/sync';
import type { Advisory } from '../../model.js';
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { AdvisoryParseError } from '../common/errors.js';
import { checkKevFields, KEV_FIELDS, kevAdvisory, type KevFields } from './entry.js';

export const MAX_KEV_CSV_BYTES = 64 * 1024 * 1024;

export function parseKevCsv(input: string, location: string, parser = 'kev-csv@1.0.0'): Advisory[] {
  if (typeof input !== 'string') throw new AdvisoryParseError('input is not text', { file: location });
  if (input.length > MAX_KEV_CSV_BYTES) throw new AdvisoryParseError(`CSV larger than ${MAX_KEV_CSV_BYTES} bytes`, { file: location });
  let rows: string[][];
  try {
    rows = parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new AdvisoryParseError(`invalid CSV: ${err.message ?? String(e)}`, { file: location, ...(err.lines ? { line: err.lines } : {}) });
  }
  const header = rows[0];
  if (!header) throw new AdvisoryParseError('empty CSV', { file: location, line: 1 });
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  for (const k of KEV_FIELDS) if (!col.has(k)) throw new AdvisoryParseError(`header lacks column "${k}"`, { file: location, line: 1, column: k });
  const get = (row: string[], k: string) => (col.has(k) ? (row[col.get(k) as number] ?? '') : '');
  return rows.slice(1).map((row, i) => {
    const line = i + 2;
    const f = {} as KevFields;
    for (const k of KEV_FIELDS) f[k] = get(row, k);
    f.notes = get(row, 'notes');
    f.cwes = get(row, 'cwes').split(',').map((c) => c.trim()).filter(Boolean);
    const problem = checkKevFields(f);
    if (problem) throw new AdvisoryParseError(problem, { file: location, line });
    return kevAdvisory(f, parser, location, `line ${line}`);
  });
}

export const kevCsvSource: AdvisorySourcePlugin = {
  id: 'kev-csv',
  version: '1.0.0',
  detect: (input: DetectInput) => (input.head !== undefined ? input.head.startsWith('cveID,vendorProject,product') : /known_exploited_vulnerabilities\.csv$/i.test(input.filename ?? '')),
  parse: (input, location) => parseKevCsv(input, location, parserTag(kevCsvSource)),
};
