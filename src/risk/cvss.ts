/**
 * @module Picks the CVSS score a risk score rests on (v4.0 preferred, then v3.1, v3.0, v2.0) and
 * reads the few vector metrics the formula needs (attack vector, privileges, confidentiality).
 * Base scores were computed from the vectors at ingest (vulns/sources); nothing is rescored here.
 */
import type { CvssScore, CvssVersion } from '../vulns/index.js';
import type { CvssAttackVector } from './model.js';

const PREFERENCE: readonly CvssVersion[] = ['4.0', '3.1', '3.0', '2.0'];

export type ImpactLevel = 'none' | 'low' | 'high';

export interface SelectedCvss {
  version: CvssVersion;
  baseScore: number;
  vector: string;
  source?: string;
  /** v2 only: scored, but flagged as legacy */
  legacy: boolean;
  /** how many usable vectors of the chosen version the advisory had */
  sameVersionCount: number;
  attackVector?: CvssAttackVector;
  privilegesRequired?: 'N' | 'L' | 'H';
  confidentiality?: ImpactLevel;
}

const usable = (s: CvssScore): boolean => Number.isFinite(s.baseScore) && s.baseScore >= 0 && s.baseScore <= 10 && PREFERENCE.includes(s.version);

/**
 * The newest CVSS version present wins; among several vectors of that version (NVD and a CNA
 * often disagree) the highest base score is used, so a disagreement never hides severity.
 */
export function selectCvss(scores: readonly CvssScore[] | undefined): SelectedCvss | undefined {
  const candidates = (scores ?? []).filter(usable);
  for (const version of PREFERENCE) {
    const same = candidates.filter((s) => s.version === version);
    if (same.length === 0) continue;
    // highest score first; the vector text breaks ties so the choice never depends on input order
    const best = [...same].sort((a, b) => b.baseScore - a.baseScore || (a.vector < b.vector ? -1 : a.vector > b.vector ? 1 : 0))[0]!;
    const metrics = vectorMetrics(best.vector);
    const out: SelectedCvss = { version, baseScore: best.baseScore, vector: best.vector, legacy: version === '2.0', sameVersionCount: same.length };
    if (best.source) out.source = best.source;
    const av = attackVectorOf(metrics);
    if (av) out.attackVector = av;
    const pr = privilegesOf(version, metrics);
    if (pr) out.privilegesRequired = pr;
    const c = confidentialityOf(version, metrics);
    if (c) out.confidentiality = c;
    return out;
  }
  return undefined;
}

/** 'CVSS:3.1/AV:N/AC:L/...' -> { AV: 'N', AC: 'L', ... } (the first value of a repeated key wins). */
export function vectorMetrics(vector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of vector.replace(/^\(|\)$/g, '').split('/')) {
    const i = part.indexOf(':');
    if (i <= 0) continue;
    const key = part.slice(0, i);
    if (key === 'CVSS' || key in out) continue;
    out[key] = part.slice(i + 1);
  }
  return out;
}

function attackVectorOf(m: Record<string, string>): CvssAttackVector | undefined {
  const av = m['AV'];
  return av === 'N' || av === 'A' || av === 'L' || av === 'P' ? av : undefined;
}

function privilegesOf(version: CvssVersion, m: Record<string, string>): 'N' | 'L' | 'H' | undefined {
  if (version === '2.0') {
    // v2 has Authentication instead: none -> no privileges; single/multiple -> some
    const au = m['Au'];
    return au === 'N' ? 'N' : au === 'S' ? 'L' : au === 'M' ? 'H' : undefined;
  }
  const pr = m['PR'];
  return pr === 'N' || pr === 'L' || pr === 'H' ? pr : undefined;
}

function confidentialityOf(version: CvssVersion, m: Record<string, string>): ImpactLevel | undefined {
  if (version === '2.0') {
    const c = m['C'];
    return c === 'N' ? 'none' : c === 'P' ? 'low' : c === 'C' ? 'high' : undefined;
  }
  // v4 splits vulnerable-system (VC) and subsequent-system (SC) impact; either exposes data
  const values = version === '4.0' ? [m['VC'], m['SC']] : [m['C']];
  if (values.includes('H')) return 'high';
  if (values.includes('L')) return 'low';
  if (values.includes('N')) return 'none';
  return undefined;
}

/** How remote an attack vector is: higher is more remote. */
export const AV_REMOTENESS: Record<CvssAttackVector, number> = { P: 0, L: 1, A: 2, N: 3 };

export const AV_NAMES: Record<CvssAttackVector, string> = { N: 'network', A: 'adjacent network', L: 'local', P: 'physical' };
