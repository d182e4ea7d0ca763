/**
 * @module The versioned plug-in contract every advisory feed parser implements (like
 * osv-scanner's extractors): an id and version recorded in each advisory's provenance, a cheap
 * `detect` on a file name or already-parsed document, and one `parse` that turns untrusted bytes
 * into advisories or throws only an AdvisoryParseError naming where the input is wrong.
 */
import type { Advisory } from '../model.js';

export interface DetectInput {
  filename?: string;
  /** The parsed JSON document, when the caller has one. */
  json?: unknown;
  /** The first bytes of a text file (CSV sniffing). */
  head?: string;
}

export interface AdvisorySourcePlugin {
  /** Stable id, e.g. 'osv', 'csaf', 'kev-json'. */
  readonly id: string;
  /** Semantic version of the parser; bump when normalization output changes. */
  readonly version: string;
  /** Cheap check whether this plug-in understands the input. */
  detect(input: DetectInput): boolean;
  /**
   * Parse one document. `location` names the file or URL for provenance and error messages.
   * Throws AdvisoryParseError (never anything else) when the input is invalid.
   */
  parse(input: string, location: string): Advisory[];
}

/** 'id@version' as recorded in Advisory.provenance.parser. */
export const parserTag = (p: Pick<AdvisorySourcePlugin, 'id' | 'version'>): string => `${p.id}@${p.version}`;
