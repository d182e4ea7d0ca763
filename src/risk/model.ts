/**
 * @module Types of the clinical risk score: what scoring reads (a finding, its advisory, the device,
 * the product's rubric answers, network exposure, compensating controls) and what it returns (a
 * 0..100 score, a band and the full breakdown). Inputs are structural picks of the vulns and
 * inventory models, so callers pass their stored objects as they are.
 */
import type { Criticality, Device, PhiHandling } from '../inventory/index.js';
import type { AffectedProduct, CvssScore, CvssVersion, EpssScore, KevStatus, Remediation } from '../vulns/index.js';

export const RISK_BANDS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];

/** CycloneDX/CSAF VEX states (same values as vulns/findings VexState). */
export type RiskVexState = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** MITRE rubric answers kept per product: question id -> answer (same shape as vulns RubricAnswers). */
export type RubricAnswers = Record<string, string>;

/** The parts of a vulns Finding that scoring and the views read. */
export interface RiskFindingRef {
  id: string;
  productId?: string;
  vulnerabilityId?: string;
  status?: 'open' | 'closed';
  closeReason?: string;
  triage?: { state: RiskVexState; justification?: string; detail?: string };
  fixedVersions?: readonly string[];
}

/** The parts of a vulns Advisory that scoring and recommendations read. */
export interface RiskAdvisory {
  id: string;
  severity?: readonly CvssScore[];
  kev?: KevStatus;
  epss?: EpssScore;
  remediations?: readonly Remediation[];
  affected?: ReadonlyArray<Pick<AffectedProduct, 'fixed'>>;
}

/** The parts of an inventory Device that scoring, rollups and views read. */
export type RiskDevice = Pick<Device, 'id'> &
  Partial<Pick<Device, 'name' | 'criticality' | 'phiHandling' | 'site' | 'building' | 'floor' | 'unit' | 'room'>>;

/** IEC 62443 zone security level. */
export type ZoneSecurityLevel = 0 | 1 | 2 | 3 | 4;

/**
 * What inventory and netmon know about how reachable a device is. Every field is optional:
 * an absent field is "not known" and counts as neutral, never as safe or unsafe.
 */
export interface NetworkExposure {
  /** seen talking to, or reachable from, the internet */
  internetExposed?: boolean;
  /** the device has no routed network path at all (standalone, air-gapped) */
  isolated?: boolean;
  zone?: { id: string; name?: string; securityLevel?: ZoneSecurityLevel };
  /** other zones whose hosts can reach the device (observed flows or firewall policy) */
  reachableFromZones?: readonly string[];
  /** cleartext protocols observed to or from the device: 'telnet', 'ftp', 'http', 'hl7-mllp', ... */
  cleartextProtocols?: readonly string[];
  /** where these facts came from ('netmon', 'inventory', 'manual'), shown in the breakdown */
  source?: string;
}

export interface RiskInput {
  finding?: RiskFindingRef;
  advisory?: RiskAdvisory;
  device?: RiskDevice;
  /** the product's MITRE rubric answers (vulns Product.rubric) */
  rubric?: RubricAnswers;
  exposure?: NetworkExposure;
  /** compensating control ids in place for this device (see COMPENSATING_CONTROLS) */
  controls?: readonly string[];
}

export type CvssAttackVector = 'N' | 'A' | 'L' | 'P';

export const RISK_FACTOR_IDS = [
  'cvss',
  'kev',
  'ransomware',
  'epss',
  'rubric-attack-vector',
  'exposure',
  'clinical-impact',
  'phi',
  'compensating-controls',
  'cap',
  'triage',
] as const;
export type RiskFactorId = (typeof RISK_FACTOR_IDS)[number];

/**
 * One step of the formula. Points factors add `contribution`; multiplier factors multiply the
 * running score by `weight` and `contribution` is the change that caused; the contributions of
 * all factors add up to the score (up to rounding to 2 decimals).
 */
export interface RiskFactor {
  id: RiskFactorId;
  label: string;
  kind: 'points' | 'multiplier' | 'override';
  /** the input value as read ('CVSS 3.1 9.8', 0.97, 'life-sustaining', null when absent) */
  input: string | number | boolean | null;
  /** points per unit (points factors) or the multiplier applied (multiplier factors) */
  weight: number;
  contribution: number;
  reason: string;
  /** true when the factor used a documented default because data was missing */
  assumed?: boolean;
}

export type RiskFlag =
  | 'cvss-missing'
  | 'cvss-legacy-v2'
  | 'epss-missing'
  | 'criticality-unknown'
  | 'phi-unknown'
  | 'exposure-unknown'
  | 'rubric-invalid'
  | 'rubric-incomplete'
  | 'unknown-control'
  | 'capped';

/** Facts behind the score that rollups and views group by. */
export interface RiskFacts {
  kev: boolean;
  knownRansomware: boolean;
  epssScore?: number;
  epssPercentile?: number;
  cvss?: { version: CvssVersion; baseScore: number; vector: string };
  /** attack vector after the product's rubric ceiling */
  attackVector?: CvssAttackVector;
  criticality?: Criticality;
  phiHandling?: PhiHandling;
  triage?: RiskVexState;
}

export interface RiskScore {
  /** 0..100, one decimal */
  score: number;
  band: RiskBand;
  /** the score before the 100 cap and before triage; orders findings that all reach 100 */
  uncapped: number;
  factors: RiskFactor[];
  flags: RiskFlag[];
  warnings: string[];
  facts: RiskFacts;
  /** RISK_MODEL_VERSION that produced this score */
  model: string;
}

export type RecommendedAction = 'patch' | 'vendor-guidance' | 'compensating-control' | 'accept/monitor';

export interface RecommendationBasis {
  kind: 'fixed-version' | 'remediation' | 'kev-required-action' | 'triage';
  /** CSAF remediation category when kind is 'remediation' */
  category?: string;
  text: string;
  url?: string;
}

export interface Recommendation {
  action: RecommendedAction;
  reason: string;
  /** what the recommendation rests on, strongest first */
  basis: RecommendationBasis[];
}

/** One scored (finding, device) pair: what rollups and portfolio views take. */
export interface RiskRecord {
  finding: RiskFindingRef;
  score: RiskScore;
  device?: RiskDevice;
  /** the finding's advisory, for recommendations in top-risk views */
  advisory?: RiskAdvisory;
}

export type BandCounts = Record<RiskBand, number>;
