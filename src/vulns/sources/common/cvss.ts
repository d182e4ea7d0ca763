/**
 * @module CVSS scoring of advisory vectors with ae-cvss-calculator (v2, v3.0, v3.1, v4.0): the
 * base score is always computed from the vector, and a score stated by the document is kept and
 * flagged when it disagrees.
 */
import cvss from 'ae-cvss-calculator';
import type { CvssScore, CvssSeverity, CvssVersion } from '../../model.js';

export const MAX_VECTOR_LENGTH = 512;

function versionOf(vector: string): CvssVersion | undefined {
  if (vector.startsWith('CVSS:4.0/')) return '4.0';
  if (vector.startsWith('CVSS:3.1/')) return '3.1';
  if (vector.startsWith('CVSS:3.0/')) return '3.0';
  if (/^(\(?)AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(vector)) return '2.0';
  return undefined;
}

/** Qualitative rating: CVSS v3/v4 bands; v2 has no NONE/CRITICAL bands in NVD's usage. */
export function severityOf(version: CvssVersion, score: number): CvssSeverity {
  if (version === '2.0') return score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : 'HIGH';
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

export interface ScoreOutcome {
  score?: CvssScore;
  warning?: string;
}

/**
 * Score a vector. A v3 vector written without its 'CVSS:3.x/' prefix (some CSAF documents do)
 * takes the version the document states. Invalid vectors give a warning, never an exception.
 */
export function scoreVector(rawVector: string, opts: { statedScore?: number; statedVersion?: string; source?: string } = {}): ScoreOutcome {
  const trimmed = typeof rawVector === 'string' ? rawVector.trim().replace(/^\((.*)\)$/, '$1') : '';
  if (trimmed === '' || trimmed.length > MAX_VECTOR_LENGTH) return { warning: `unscorable CVSS vector ${JSON.stringify(rawVector)}` };
  let vector = trimmed;
  if (!/^CVSS:/.test(vector) && /^AV:[NALP]\/AC:[LH]\/PR:/.test(vector) && (opts.statedVersion === '3.0' || opts.statedVersion === '3.1')) {
    vector = `CVSS:${opts.statedVersion}/${vector}`;
  }
  const version = versionOf(vector);
  if (!version) return { warning: `unknown CVSS version in vector "${trimmed}"` };
  let base: number | undefined;
  try {
    const v =
      version === '4.0' ? new cvss.Cvss4P0(vector) : version === '3.1' ? new cvss.Cvss3P1(vector) : version === '3.0' ? new cvss.Cvss3P0(vector) : new cvss.Cvss2(vector);
    if (!v.isBaseFullyDefined()) return { warning: `CVSS vector "${trimmed}" lacks base metrics` };
    base = v.calculateScores().base;
  } catch (e) {
    return { warning: `invalid CVSS vector "${trimmed}": ${e instanceof Error ? e.message : String(e)}` };
  }
  if (base === undefined || !Number.isFinite(base)) return { warning: `CVSS vector "${trimmed}" has no base score` };
  const score: CvssScore = { version, vector, baseScore: base, baseSeverity: severityOf(version, base) };
  if (opts.source) score.source = opts.source;
  if (opts.statedScore !== undefined) {
    score.statedScore = opts.statedScore;
    score.scoreMismatch = Math.abs(opts.statedScore - base) > 0.05;
  }
  const warning = score.scoreMismatch ? `stated base score ${opts.statedScore} differs from computed ${base} for "${vector}"` : undefined;
  return warning ? { score, warning } : { score };
}

/** Keep one score per (version, vector, source). */
export function dedupeScores(scores: CvssScore[]): CvssScore[] {
  const seen = new Set<string>();
  return scores.filter((s) => {
    const k = `${s.version}|${s.vector}|${s.source ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
