/**
 * @module The list of SBOM parsers and format detection from content (the file name only
 * breaks ties). Adding a format means adding its parser here.
 */
import { SbomError } from './errors.js';
import { SBOM_LIMITS, type SbomParser } from './parsers/contract.js';
import { cycloneDxJsonParser } from './parsers/cyclonedx-json.js';
import { spdxJsonParser } from './parsers/spdx-json.js';
import { spdxTagValueParser } from './parsers/spdx-tag-value.js';

/** Content markers are checked in this order; JSON formats first because they are unambiguous. */
export const SBOM_PARSERS: readonly SbomParser[] = [cycloneDxJsonParser, spdxJsonParser, spdxTagValueParser];

export function detectSbomParser(text: string, filename?: string): SbomParser {
  const head = text.slice(0, SBOM_LIMITS.headBytes);
  // content wins over the file name: a mis-named file is still read by the right parser
  const byContent = SBOM_PARSERS.find((p) => p.detect(head));
  if (byContent) return byContent;
  // generators that sort keys put bomFormat after megabytes of components: look at the whole text
  if (text.length > head.length) {
    const byFullText = SBOM_PARSERS.find((p) => p.detect(text));
    if (byFullText) return byFullText;
  }
  const byName = filename === undefined ? undefined : SBOM_PARSERS.find((p) => p.detect(head, filename));
  if (byName) return byName;
  throw new SbomError(
    'sbom.unknown_format',
    'not a recognised SBOM: expected CycloneDX JSON (bomFormat), SPDX JSON (spdxVersion) or SPDX tag-value (SPDXVersion:)',
    filename === undefined ? { line: 1 } : { file: filename, line: 1 },
  );
}
