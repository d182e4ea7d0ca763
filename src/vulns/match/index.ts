/**
 * @module Public surface of vulnerability matching: targets (SBOM components and product versions)
 * and their stable keys, the shared match-key space for incremental re-matching, matching one
 * advisory against targets, and an in-memory advisory index for matching targets. Pure code: the
 * service loads components and advisories by key from storage and reconciles findings from Matches.
 * Rules, key space, confidence levels and review policy: docs/vulns-matching.md.
 */
export * from './model.js';
export { componentKey, targetOfComponent, productTarget, matchKeysOfTarget, withProductContext, WEAK_IDENTITY_FLAGS } from './target.js';
export { matchKeysOfAdvisory, vulnerabilityIdOf, matchStatusOf } from './advisory.js';
export { matchAdvisory, REVIEW_BELOW } from './match.js';
export { AdvisoryIndex, matchTarget, TargetIndex } from './advisory-index.js';
