/**
 * @module `loadAdvisoriesFromPath`: the one-call way to read advisories from a file, a directory
 * or a zip (CLI `--from`, tests, conformance checks). Collects everything in memory; for large
 * corpora use readAdvisoryPath or a 'path' feed source, which stream into a sink in batches.
 */
import type { Advisory } from '../model.js';
import { readAdvisoryPath, type ReadOptions } from './local.js';
import { toErrorEntry, type FeedErrorEntry } from './report.js';

export interface LoadedAdvisories {
  advisories: Advisory[];
  /** Documents parsed successfully. */
  documents: number;
  /** Per-document failures, each naming the file (and line / JSON pointer / offset). */
  errors: FeedErrorEntry[];
  /** Files in a directory or archive that no source recognised. */
  skipped: Array<{ location: string; reason: string }>;
  /** Parser 'id@version' -> documents it parsed. */
  parsers: Record<string, number>;
}

export async function loadAdvisoriesFromPath(path: string, options: ReadOptions = {}): Promise<LoadedAdvisories> {
  const out: LoadedAdvisories = { advisories: [], documents: 0, errors: [], skipped: [], parsers: {} };
  for await (const item of readAdvisoryPath(path, options)) {
    if (item.kind === 'advisories') {
      for (const a of item.advisories) out.advisories.push(a);
      if (item.done) {
        out.documents++;
        out.parsers[item.parser] = (out.parsers[item.parser] ?? 0) + 1;
      }
    } else if (item.kind === 'error') out.errors.push(toErrorEntry(item.error, item.location));
    else out.skipped.push({ location: item.location, reason: item.reason });
  }
  return out;
}
