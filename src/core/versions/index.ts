/**
 * @module Public surface of the version primitives: per-ecosystem comparators, typed version
 * ranges with explainable containment, the purl `vers` syntax, CPE 2.3 names and match criteria,
 * and the free-text range grammar used for vendor advisories.
 */
export type { Comparison, SchemeId, VersionComparator } from './types.js';
export { compareDigitStrings } from './types.js';
export {
  comparatorFor,
  compareVersions,
  isSchemeId,
  SCHEME_IDS,
  schemeForCveVersionType,
  schemeForOsvEcosystem,
  schemeForPurlType,
} from './schemes.js';
export { compareDpkg, parseDpkgVersion } from './dpkg.js';
export { compareRpm, rpmvercmp, parseRpmEvr } from './rpm.js';
export { compareMaven } from './maven.js';
export { compareNuGet } from './nuget.js';
export { compareApk } from './apk.js';
export { comparePep440 } from './pep440.js';
export { compareGeneric } from './generic.js';
export { parseSemverFamily } from './semver.js';
export {
  allVersions,
  classifyRange,
  classifyRanges,
  constraintsRange,
  contains,
  evaluate,
  exactVersions,
  formatRange,
  freeTextRange,
  OPS,
} from './range.js';
export type { Constraint, Containment, Op, RangeClassification, RangeEvaluation, VersionRange } from './range.js';
export { formatVers, parseVers, versToRange } from './vers.js';
export type { ParsedVers, VersError, VersResult } from './vers.js';
export {
  compareCpeAttribute,
  CPE_ATTRIBUTES,
  cpeMatchContains,
  cpeMatches,
  cpeMatchToRange,
  formatCpe23,
  parseCpe23,
} from './cpe.js';
export type { Cpe, CpeAttribute, CpeResult, CpeValue, CpeVersionBounds } from './cpe.js';
export { parseFreeTextVersion, parseProductNameVersion } from './freetext.js';
export type { FreeTextResult } from './freetext.js';
export { looksLikeDate, parseVersionToken } from './version-token.js';
