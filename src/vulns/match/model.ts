/**
 * @module The matcher's vocabulary: what is matched (a target: one SBOM component, or a product
 * version itself), how (the rule), and why (evidence naming the advisory field and the component
 * value). Findings store matches verbatim, so every finding can explain itself.
 */
import type { ComponentFlag, ComponentHash } from '../../sbom/index.js';
import type { AdvisorySource, AffectedStatus } from '../model.js';

/** Ref used for the product version itself (its firmware), as opposed to one of its SBOM components. */
export const PRODUCT_SELF_REF = '#product';

/** One thing an advisory can affect: an SBOM component of a product version, or the product version itself. */
export interface MatchTarget {
  productId: string;
  /** SBOM component ref, or PRODUCT_SELF_REF */
  componentRef: string;
  /**
   * Stable identity of the component across SBOM versions (see componentKey()): triage decisions
   * carry over while it stays the same.
   */
  componentKey: string;
  name: string;
  version?: string;
  /** canonical purl */
  purl?: string;
  cpes: string[];
  supplier?: string;
  group?: string;
  /** purl type, when known */
  ecosystem?: string;
  hashes: ComponentHash[];
  flags: ComponentFlag[];
  /** Vendor/manufacturer normalized with normalizeVendorName (product targets, CPE-less firmware) */
  normalizedVendor?: string;
  normalizedProduct?: string;
  /**
   * CPEs present anywhere in the same product version (its components and itself). Decides NVD
   * "running on" requirements (AffectedProduct.requires) when this target is matched on its own
   * (matchTarget); see withProductContext(). When absent, matchAdvisory derives it from the other
   * targets of the same product passed in the same call.
   */
  productCpes?: string[];
}

export type MatchRule =
  | 'purl' /** advisory purl / OSV package vs component purl, version in range */
  | 'osv-package' /** OSV ecosystem + package name vs component purl type + name */
  | 'cpe' /** advisory CPE (with version bounds) vs component CPE */
  | 'csaf-purl' /** CSAF product_identification_helper.purl */
  | 'csaf-cpe' /** CSAF product_identification_helper.cpe */
  | 'csaf-hash' /** CSAF product_identification_helper.hashes vs component hash: exact */
  | 'vendor-product'; /** normalized vendor + product names and version (CSAF product tree branches, CVE affected) */

export type MatchStatus = 'affected' | 'not_affected' | 'fixed' | 'under_investigation';

export interface MatchEvidence {
  /** Where in the advisory: e.g. "affected[2].ranges[0]" or a CSAF product_id with its JSON pointer */
  advisoryField: string;
  /** The advisory value that matched: the purl, CPE, range text, product name */
  advisoryValue: string;
  /** Which component attribute matched: 'purl' | 'cpe' | 'hash' | 'name+version' | 'product' */
  componentField: string;
  componentValue: string;
  /** One sentence a person can read: "1.2.3 is in [1.0.0, 1.2.5) (semver)" */
  explanation: string;
}

export interface Match {
  advisoryId: string;
  advisorySource: AdvisorySource;
  /** CVE id when the advisory names exactly one, else the advisory id */
  vulnerabilityId: string;
  /** Index into advisory.affected that produced this match */
  affectedIndex: number;
  productId: string;
  componentRef: string;
  componentKey: string;
  status: MatchStatus;
  /** the advisory's product_status category (CSAF) or its equivalent */
  advisoryStatus: AffectedStatus;
  rule: MatchRule;
  /** 0..1 */
  confidence: number;
  /** free-text ranges, name-only matches, missing versions: a person must confirm */
  needsReview: boolean;
  evidence: MatchEvidence;
  fixedVersions: string[];
}
