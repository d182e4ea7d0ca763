/**
 * @module EPSS scores streamed line by line into advisory chunks, so the ~300k-row daily file is
 * never held in memory. Uses the sources' EpssLineParser; a bad row is reported with its line and
 * the next row is read, but after MAX_LINE_ERRORS bad rows the file is abandoned (it is not an
 * EPSS file, or it is corrupt) rather than producing one error per row.
 */
import type { Advisory } from '../model.js';
import { EpssLineParser, epssRecordToAdvisory, epssSource, parserTag, type EpssRecord } from '../sources/index.js';
import { FeedError } from './errors.js';

export const MAX_LINE_ERRORS = 100;

export type EpssChunk = { advisories: Advisory[]; done: boolean } | { error: unknown };

/** The advisory for one EPSS row (the same one epssSource.parse produces). */
export function epssAdvisory(rec: EpssRecord, location: string): Advisory {
  return epssRecordToAdvisory(rec, parserTag(epssSource), location);
}

export async function* streamEpss(lines: AsyncIterable<string>, location: string, chunkSize: number): AsyncGenerator<EpssChunk> {
  const parser = new EpssLineParser(location);
  let chunk: Advisory[] = [];
  let errors = 0;
  for await (const line of lines) {
    let rec: EpssRecord | undefined;
    try {
      rec = parser.push(line);
    } catch (e) {
      yield { error: e };
      if (++errors >= MAX_LINE_ERRORS) {
        yield { error: new FeedError('feed.invalid', `abandoned after ${MAX_LINE_ERRORS} invalid EPSS rows`, { location: { file: location } }) };
        return;
      }
      continue;
    }
    if (!rec) continue;
    chunk.push(epssAdvisory(rec, location));
    if (chunk.length >= chunkSize) {
      yield { advisories: chunk, done: false };
      chunk = [];
    }
  }
  try {
    parser.finish();
  } catch (e) {
    yield { error: e };
    return;
  }
  yield { advisories: chunk, done: true };
}
