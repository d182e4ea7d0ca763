/**
 * @module The one table of weights behind the clinical risk score (docs/risk.md repeats it for
 * people). Every number the formula uses lives here, so a change of calibration is one diff,
 * reviewed in one place, and RISK_MODEL_VERSION says which calibration produced a stored score.
 */
import type { Criticality, PhiHandling } from '../inventory/index.js';

/** Bump when a weight or a rule changes: stored scores record it (like a parser's id@version). */
export const RISK_MODEL_VERSION = 'careguard-risk@1';

export const RISK_WEIGHTS = {
  cvss: {
    /** severity points = CVSS base score x this (a 10.0 gives 70 of the 100 points) */
    pointsPerCvssPoint: 7,
    /** assumed base score when an advisory carries no usable CVSS vector (flagged) */
    defaultBaseScore: 5,
  },
  exploitation: {
    /** listed in CISA KEV: exploited in the wild */
    kev: 25,
    /** KEV says it is known to be used in ransomware campaigns */
    knownRansomware: 5,
    /** EPSS points = this x EPSS percentile; KEV and EPSS do not add up: the larger counts */
    epssMax: 15,
  },
  /** multipliers for network exposure; they apply only to network/adjacent attack vectors */
  exposure: {
    internetExposed: 1.4,
    /** +5 % per other zone that can reach the device, for at most 4 zones */
    perReachableZone: 0.05,
    maxReachableZones: 4,
    cleartextProtocols: 1.1,
    /** device has no routed network path at all (standalone, air-gapped) */
    isolated: 0.5,
    /** IEC 62443 zone security level 0..4 */
    zoneSecurityLevel: [1.15, 1.05, 1, 0.9, 0.8] as readonly number[],
    min: 0.5,
    max: 1.6,
  },
  /** CVSS v3.1 attack-vector weights, used to scale a vector down to the product's rubric ceiling */
  attackVector: { N: 0.85, A: 0.62, L: 0.55, P: 0.2, floor: 0.25 },
  clinical: {
    criticality: {
      'life-sustaining': 1.3,
      'life-supporting': 1.2,
      diagnostic: 1.1,
      'therapeutic-non-critical': 1,
      'non-clinical': 0.8,
    } satisfies Record<Criticality, number> as Record<Criticality, number>,
    /** no criticality recorded: neutral (flagged) */
    unknown: 1,
    /** rubric answers: the lowest clinical multiplier when therapy / diagnosis data or functions can be altered or stopped */
    rubricTherapyFloor: 1.2,
    rubricDiagnosisFloor: 1.1,
    /** rubric answers say no clinical data or function can be affected: at most this */
    rubricNoClinicalCap: 1,
  },
  /** multiplier = 1 + this; applies only when the vulnerability can affect confidentiality */
  phi: {
    none: 0,
    displays: 0.02,
    stores: 0.05,
    transmits: 0.05,
    'stores-and-transmits': 0.1,
    unknown: 0,
  } satisfies Record<PhiHandling, number> as Record<PhiHandling, number>,
  /** rubric: PHI readable for 500+ patients (breach notification) / fewer */
  rubricPhi: { large: 0.1, small: 0.05 },
  /** compensating controls multiply together but never take the score below this share */
  controlsFloor: 0.3,
  /** lowest score of each band; anything above 0 and below `medium` is low; exactly 0 is none */
  bands: { critical: 80, high: 60, medium: 35 },
} as const;
