/**
 * @module The one advisory model every feed (OSV, CSAF 2.0, CISA KEV, EPSS, CVE JSON 5, NVD API
 * 2.0) normalizes into. Matching and risk scoring only ever see this shape, never a source format.
 */
import type { RangeClassification, VersionRange } from '../core/versions/index.js';

export type AdvisorySource = 'osv' | 'csaf' | 'kev' | 'epss' | 'cve5' | 'nvd';

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssScore {
  version: CvssVersion;
  vector: string;
  /** Base score computed from the vector with ae-cvss-calculator. */
  baseScore: number;
  baseSeverity: CvssSeverity;
  /** Who published the vector ('nvd@nist.gov', a CNA, 'CSAF document'), when known. */
  source?: string;
  /** The score the document itself states, kept to show disagreements. */
  statedScore?: number;
  /** True when the stated score differs from the computed one by more than 0.05. */
  scoreMismatch?: boolean;
}

/** CSAF product_status categories, also used for the other sources' equivalents. */
export type AffectedStatus =
  | 'known_affected'
  | 'known_not_affected'
  | 'fixed'
  | 'under_investigation'
  | 'first_affected'
  | 'last_affected'
  | 'recommended'
  | 'first_fixed';

export const AFFECTED_STATUSES: readonly AffectedStatus[] = [
  'first_affected',
  'first_fixed',
  'fixed',
  'known_affected',
  'known_not_affected',
  'last_affected',
  'recommended',
  'under_investigation',
];

export interface ProductHash {
  algorithm: string;
  value: string;
  filename?: string;
}

export interface AffectedProduct {
  vendor?: string;
  product?: string;
  /** Vendor/product normalized for matching (case, spacing, punctuation, known aliases). */
  normalizedVendor?: string;
  normalizedProduct?: string;
  packageName?: string;
  /** OSV ecosystem ('PyPI', 'Debian:12') or the equivalent named by the source. */
  ecosystem?: string;
  purl?: string;
  cpe?: string;
  /** Other CPEs that must also be present (NVD AND-configurations: "running on"). */
  requires?: string[];
  hashes?: ProductHash[];
  ranges: VersionRange[];
  /** Exact affected versions listed by the source. */
  versions: string[];
  /** Versions that fix the issue. */
  fixed: string[];
  status: AffectedStatus;
  /** CSAF product_id this entry came from. */
  productId?: string;
  /** Original version text as the source wrote it (free-text sources). */
  versionText?: string;
  classification: RangeClassification;
  /** 0..1; how sure the normalizer is about the ranges. */
  confidence: number;
  /** True when a person should confirm the interpretation before it drives a finding. */
  needsReview: boolean;
  notes?: string[];
}

export interface Remediation {
  category: string;
  details: string;
  url?: string;
  productIds?: string[];
  date?: string;
}

export interface Reference {
  url: string;
  type?: string;
  summary?: string;
}

export interface KevStatus {
  dateAdded: string;
  dueDate: string;
  requiredAction: string;
  knownRansomware: boolean | 'unknown';
  vulnerabilityName?: string;
  notes?: string;
}

export interface EpssScore {
  score: number;
  percentile: number;
  /** Score date (YYYY-MM-DD) from the feed header. */
  date: string;
  modelVersion?: string;
}

export interface Provenance {
  /** Parser plug-in that produced this record, 'id@version'. */
  parser: string;
  /** File name or URL the record was read from. */
  location: string;
  /** JSON pointer (or 'line N' for line formats) of the record inside that file. */
  pointer: string;
}

export interface Advisory {
  /** Primary id: the CVE when the record is about one CVE, otherwise the source's id. */
  id: string;
  source: AdvisorySource;
  /** The id as the source writes it (GHSA-..., ICSMA-..., RHSA-2024:4546). */
  sourceId: string;
  /** All other known ids (CVE, GHSA, ICSMA, vendor ids), without the primary id. */
  aliases: string[];
  title?: string;
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  severity: CvssScore[];
  cwes: string[];
  affected: AffectedProduct[];
  remediations: Remediation[];
  references: Reference[];
  kev?: KevStatus;
  epss?: EpssScore;
  provenance: Provenance;
  /** Things the normalizer noticed but did not reject: unscorable vectors, invalid versions, score disagreements. */
  warnings: string[];
}
