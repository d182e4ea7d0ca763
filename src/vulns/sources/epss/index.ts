/**
 * @module FIRST EPSS daily scores (epss_scores-YYYY-MM-DD.csv): an optional
 * '#model_version:...,score_date:...' comment line, the 'cve,epss,percentile' header, then one
 * score per CVE. `parse` handles a whole file; `parseEpssStream` consumes lines one at a time so
 * the ~250k-row feed never has to be held in memory. Errors name the line.
 */
import type { Advisory, EpssScore } from '../../model.js';
import type { AdvisorySourcePlugin, DetectInput } from '../contract.js';
import { parserTag } from '../contract.js';
import { AdvisoryParseError } from '../common/errors.js';

export const MAX_EPSS_BYTES = 128 * 1024 * 1024;
const CVE = /^CVE-\d{4}-\d{4,}$/;

export interface EpssHeader {
  modelVersion?: string;
  date?: string;
}

export interface EpssRecord {
  cve: string;
  score: EpssScore;
  line: number;
}

/** Incremental parser: feed lines in order; returns a record for data lines, undefined for header lines. */
export class EpssLineParser {
  private header: EpssHeader = {};
  private sawColumns = false;
  private line = 0;

  constructor(private readonly location: string) {}

  private fail(reason: string): never {
    throw new AdvisoryParseError(reason, { file: this.location, line: this.line });
  }

  push(rawLine: string): EpssRecord | undefined {
    this.line++;
    const text = (this.line === 1 && rawLine.charCodeAt(0) === 0xfeff ? rawLine.slice(1) : rawLine).trim();
    if (text === '') return undefined;
    if (text.startsWith('#')) {
      if (this.sawColumns) this.fail('comment line after the header');
      for (const part of text.slice(1).split(',')) {
        const [k, ...v] = part.split(':');
        const value = v.join(':').trim();
        if (k?.trim() === 'model_version') this.header.modelVersion = value;
        if (k?.trim() === 'score_date') {
          const d = /^(\d{4}-\d{2}-\d{2})/.exec(value);
          if (!d) this.fail(`score_date "${value}" is not a date`);
          this.header.date = d[1] as string;
        }
      }
      return undefined;
    }
    if (!this.sawColumns) {
      const cols = text.split(',').map((c) => c.trim().toLowerCase());
      if (cols[0] !== 'cve' || cols[1] !== 'epss' || cols[2] !== 'percentile') this.fail(`expected header "cve,epss,percentile", got "${text.slice(0, 80)}"`);
      this.sawColumns = true;
      return undefined;
    }
    const [cve, epss, percentile, extra] = text.split(',');
    if (extra !== undefined || percentile === undefined) this.fail('expected 3 columns: cve,epss,percentile');
    if (!CVE.test(cve as string)) this.fail(`"${cve}" is not a CVE id`);
    const score = Number(epss);
    const pct = Number(percentile);
    if (!(epss as string).trim() || !Number.isFinite(score) || score < 0 || score > 1) this.fail(`epss "${epss}" is not a probability in [0, 1]`);
    if (!percentile.trim() || !Number.isFinite(pct) || pct < 0 || pct > 1) this.fail(`percentile "${percentile}" is not in [0, 1]`);
    const s: EpssScore = { score, percentile: pct, date: this.header.date ?? '' };
    if (this.header.modelVersion) s.modelVersion = this.header.modelVersion;
    return { cve: cve as string, score: s, line: this.line };
  }

  finish(): void {
    if (!this.sawColumns) throw new AdvisoryParseError('no "cve,epss,percentile" header found', { file: this.location, line: this.line });
  }
}

/** The advisory for one EPSS row; KEV-like enrichment only (no affected products). */
export function epssRecordToAdvisory(rec: EpssRecord, parser: string, location: string): Advisory {
  return {
    id: rec.cve,
    source: 'epss',
    sourceId: rec.cve,
    aliases: [],
    severity: [],
    cwes: [],
    affected: [],
    remediations: [],
    references: [],
    epss: rec.score,
    provenance: { parser, location, pointer: `line ${rec.line}` },
    warnings: rec.score.date === '' ? ['feed has no score_date comment line'] : [],
  };
}

/** Stream records from lines (e.g. readline over a gunzip stream). */
export async function* parseEpssStream(lines: AsyncIterable<string>, location: string): AsyncGenerator<EpssRecord> {
  const p = new EpssLineParser(location);
  for await (const line of lines) {
    const rec = p.push(line);
    if (rec) yield rec;
  }
  p.finish();
}

export const epssSource: AdvisorySourcePlugin = {
  id: 'epss',
  version: '1.0.0',
  detect: (input: DetectInput) =>
    input.head !== undefined ? /^(#model_version|cve,epss,percentile)/.test(input.head) : /epss.*\.csv$/i.test(input.filename ?? ''),
  parse(input: string, location: string): Advisory[] {
    if (typeof input !== 'string') throw new AdvisoryParseError('input is not text', { file: location });
    if (input.length > MAX_EPSS_BYTES) throw new AdvisoryParseError(`feed larger than ${MAX_EPSS_BYTES} bytes`, { file: location });
    const p = new EpssLineParser(location);
    const tag = parserTag(epssSource);
    const out: Advisory[] = [];
    let start = 0;
    while (start <= input.length) {
      let end = input.indexOf('\n', start);
      if (end < 0) end = input.length;
      const rec = p.push(input.slice(start, end));
      if (rec) out.push(epssRecordToAdvisory(rec, tag, location));
      start = end + 1;
    }
    p.finish();
    return out;
  },
};
