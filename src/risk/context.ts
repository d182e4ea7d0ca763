/**
 * @module The context multipliers of the risk score: the product's rubric attack-vector ceiling,
 * network exposure, clinical impact (criticality, rubric answers), PHI and compensating controls.
 * Each returns its multiplier with the reason the breakdown shows; missing data gives 1 (neutral)
 * and says so, it never counts as safe.
 */
import type { Criticality, PhiHandling } from '../inventory/index.js';
import { compensatingControl } from './controls.js';
import { AV_NAMES, AV_REMOTENESS, type ImpactLevel } from './cvss.js';
import type { CvssAttackVector, NetworkExposure } from './model.js';
import type { RubricAssessment } from './rubric.js';
import { RISK_WEIGHTS as W } from './weights.js';

export interface Multiplier {
  multiplier: number;
  reason: string;
  assumed?: boolean;
}

const x = (m: number): string => `x${Number(m.toFixed(3))}`;

/** Scales a vulnerability's attack vector down to the most remote one the product's rubric allows. */
export function rubricAttackVector(vulnAv: CvssAttackVector | undefined, rubric: RubricAssessment | undefined): Multiplier & { effective?: CvssAttackVector } {
  const effective = vulnAv;
  if (!rubric) return { multiplier: 1, reason: 'no rubric answers for the product', effective };
  if (!rubric.attackVector) return { multiplier: 1, reason: 'rubric attack-vector questions not answered far enough to decide', effective };
  // an advisory without a vector is treated as network-reachable, the conservative reading
  const from = vulnAv ?? 'N';
  const ceiling = rubric.attackVector;
  const path = rubric.attackVectorPath.join(', ');
  if (AV_REMOTENESS[ceiling] >= AV_REMOTENESS[from]) {
    return { multiplier: 1, reason: `rubric (${path}) allows ${AV_NAMES[ceiling]} access: the ${AV_NAMES[from]} vector stands`, effective: vulnAv ?? undefined };
  }
  const m = Math.max(W.attackVector.floor, W.attackVector[ceiling] / W.attackVector[from]);
  return {
    multiplier: m,
    reason: `rubric (${path}): product reachable at most by ${AV_NAMES[ceiling]} access, so the ${AV_NAMES[from]} vector counts as ${AV_NAMES[ceiling]} (CVSS weight ${W.attackVector[ceiling]}/${W.attackVector[from]})`,
    effective: ceiling,
  };
}

const hasExposureData = (e: NetworkExposure | undefined): e is NetworkExposure =>
  e !== undefined &&
  (e.internetExposed !== undefined || e.isolated !== undefined || e.zone !== undefined || e.reachableFromZones !== undefined || e.cleartextProtocols !== undefined);

export function exposure(av: CvssAttackVector | undefined, e: NetworkExposure | undefined): Multiplier {
  if (!hasExposureData(e)) return { multiplier: 1, reason: 'no network exposure data from inventory or netmon: neutral', assumed: true };
  const from = e.source ? ` (${e.source})` : '';
  if (av === 'L' || av === 'P') return { multiplier: 1, reason: `${AV_NAMES[av]} attack vector: network exposure does not apply${from}` };
  if (e.isolated) return { multiplier: W.exposure.isolated, reason: `device has no routed network path (isolated)${from} ${x(W.exposure.isolated)}` };
  const parts: string[] = [];
  let m = 1;
  const network = av !== 'A';
  if (e.internetExposed === true) {
    if (network) {
      m *= W.exposure.internetExposed;
      parts.push(`internet-exposed ${x(W.exposure.internetExposed)}`);
    } else parts.push('internet exposure does not apply to an adjacent-network attack');
  } else if (e.internetExposed === false) parts.push('not internet-exposed');
  const zones = [...new Set(e.reachableFromZones ?? [])];
  if (zones.length > 0) {
    if (network) {
      const z = 1 + W.exposure.perReachableZone * Math.min(zones.length, W.exposure.maxReachableZones);
      m *= z;
      parts.push(`reachable from ${zones.length} other zone${zones.length === 1 ? '' : 's'} (${zones.slice(0, 5).join(', ')}) ${x(z)}`);
    } else parts.push('cross-zone reach does not apply to an adjacent-network attack');
  }
  const sl = e.zone?.securityLevel;
  if (sl !== undefined) {
    const z = W.exposure.zoneSecurityLevel[sl] ?? 1;
    m *= z;
    parts.push(`zone ${e.zone?.name ?? e.zone?.id} security level SL${sl} ${x(z)}`);
  } else if (e.zone) parts.push(`zone ${e.zone.name ?? e.zone.id} has no security level`);
  const clear = [...new Set(e.cleartextProtocols ?? [])];
  if (clear.length > 0) {
    m *= W.exposure.cleartextProtocols;
    parts.push(`cleartext ${clear.join(', ')} observed ${x(W.exposure.cleartextProtocols)}`);
  }
  const bounded = Math.min(W.exposure.max, Math.max(W.exposure.min, m));
  const bound = bounded !== m ? ` (bounded to ${x(bounded)})` : '';
  return { multiplier: bounded, reason: `${parts.join('; ') || 'no exposure factors apply'}${from}${bound}` };
}

export function clinicalImpact(criticality: Criticality | undefined, rubric: RubricAssessment | undefined): Multiplier {
  let m: number = criticality ? W.clinical.criticality[criticality] : W.clinical.unknown;
  const parts = [criticality ? `${criticality} device ${x(m)}` : `criticality unknown: neutral ${x(m)}`];
  if (rubric?.clinicalHarm.therapy && m < W.clinical.rubricTherapyFloor) {
    m = W.clinical.rubricTherapyFloor;
    parts.push(`rubric: therapy delivery can be altered or stopped, raised to ${x(m)}`);
  } else if (rubric?.clinicalHarm.diagnosis && m < W.clinical.rubricDiagnosisFloor) {
    m = W.clinical.rubricDiagnosisFloor;
    parts.push(`rubric: diagnosis or monitoring can be altered or stopped, raised to ${x(m)}`);
  }
  if (rubric?.noClinicalImpact && m > W.clinical.rubricNoClinicalCap) {
    m = W.clinical.rubricNoClinicalCap;
    parts.push(`rubric: no clinical data or function can be altered or stopped, capped at ${x(m)}`);
  }
  return criticality ? { multiplier: m, reason: parts.join('; ') } : { multiplier: m, reason: parts.join('; '), assumed: true };
}

export function phi(handling: PhiHandling | undefined, rubric: RubricAssessment | undefined, confidentiality: ImpactLevel | undefined): Multiplier {
  const inventoryTerm = handling ? W.phi[handling] : 0;
  const rubricTerm = rubric?.phiExposure === 'large' ? W.rubricPhi.large : rubric?.phiExposure === 'small' ? W.rubricPhi.small : 0;
  const term = Math.max(inventoryTerm, rubricTerm);
  const what = [handling ? `device PHI handling '${handling}'` : 'PHI handling unknown', rubric?.phiExposure ? `rubric PHI exposure '${rubric.phiExposure}'` : undefined]
    .filter(Boolean)
    .join(', ');
  if (confidentiality === 'none') return { multiplier: 1, reason: `${what}; the vulnerability has no confidentiality impact: PHI does not apply` };
  if (term === 0) return { multiplier: 1, reason: `${what}: no PHI weight`, assumed: !handling || handling === 'unknown' };
  return { multiplier: 1 + term, reason: `${what} ${x(1 + term)}` };
}

export interface ControlsOutcome extends Multiplier {
  unknown: string[];
}

export function controls(ids: readonly string[] | undefined, av: CvssAttackVector | undefined, privileges: 'N' | 'L' | 'H' | undefined): ControlsOutcome {
  const list = [...new Set(ids ?? [])].sort();
  if (list.length === 0) return { multiplier: 1, reason: 'no compensating controls recorded', unknown: [] };
  const vector = av ?? 'N';
  const parts: string[] = [];
  const unknown: string[] = [];
  let m = 1;
  for (const id of list) {
    const c = compensatingControl(id);
    if (!c) {
      unknown.push(id);
      parts.push(`'${id}' is not a known control: ignored`);
    } else if (!c.vectors.includes(vector)) parts.push(`${id} does not help against a ${AV_NAMES[vector]} attack`);
    else if (c.needsPrivileges && privileges === 'N') parts.push(`${id} does not help: exploitation needs no privileges`);
    else {
      m *= c.multiplier;
      parts.push(`${id} ${x(c.multiplier)}`);
    }
  }
  const floored = Math.max(W.controlsFloor, m);
  const floor = floored !== m ? ` (floored at ${x(floored)})` : '';
  return { multiplier: floored, reason: `${parts.join('; ')}${floor}`, unknown };
}
