/**
 * @module scoreFinding: the explainable clinical risk score of one finding on one device.
 *
 *   technical = CVSS base x 7 + max(KEV 25, EPSS percentile x 15) + (KEV ransomware ? 5 : 0)
 *   score     = min(100, technical x rubricAV x exposure x clinical x PHI x controls)
 *   triage not_affected / fixed, or a closed finding: 0
 *
 * Every step is one RiskFactor in the breakdown, whose contributions add up to the score. All
 * weights are in weights.ts. Each term is non-decreasing in exploitation evidence and in clinical
 * criticality, so more of either never lowers a score (score.property.test.ts checks this).
 */
import { clinicalImpact, controls, exposure, phi, rubricAttackVector, type Multiplier } from './context.js';
import { selectCvss } from './cvss.js';
import type { RiskBand, RiskFactor, RiskFactorId, RiskFacts, RiskFlag, RiskInput, RiskScore } from './model.js';
import { assessRubric, validateRubricAnswers, type RubricAssessment } from './rubric.js';
import { RISK_MODEL_VERSION, RISK_WEIGHTS as W } from './weights.js';

const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function bandOf(score: number): RiskBand {
  if (score >= W.bands.critical) return 'critical';
  if (score >= W.bands.high) return 'high';
  if (score >= W.bands.medium) return 'medium';
  return score > 0 ? 'low' : 'none';
}

/** Accumulates the running score and the factor list. */
class Breakdown {
  value = 0;
  readonly factors: RiskFactor[] = [];

  points(id: RiskFactorId, label: string, input: RiskFactor['input'], weight: number, points: number, reason: string, assumed = false): void {
    this.value += points;
    this.push({ id, label, kind: 'points', input, weight, contribution: round(points, 2), reason }, assumed);
  }

  multiply(id: RiskFactorId, label: string, input: RiskFactor['input'], m: Multiplier): void {
    const before = this.value;
    this.value *= m.multiplier;
    this.push({ id, label, kind: 'multiplier', input, weight: round(m.multiplier, 4), contribution: round(this.value - before, 2), reason: m.reason }, m.assumed);
  }

  override(id: RiskFactorId, label: string, input: RiskFactor['input'], to: number, reason: string): void {
    const before = this.value;
    this.value = to;
    this.push({ id, label, kind: 'override', input, weight: to, contribution: round(to - before, 2), reason }, false);
  }

  private push(f: RiskFactor, assumed: boolean | undefined): void {
    if (assumed) f.assumed = true;
    this.factors.push(f);
  }
}

export function scoreFinding(input: RiskInput): RiskScore {
  const b = new Breakdown();
  const flags = new Set<RiskFlag>();
  const warnings: string[] = [];
  const adv = input.advisory;

  // 1. severity
  const cvss = selectCvss(adv?.severity);
  const base = cvss?.baseScore ?? W.cvss.defaultBaseScore;
  if (!cvss) {
    flags.add('cvss-missing');
    b.points('cvss', 'CVSS base score', null, W.cvss.pointsPerCvssPoint, base * W.cvss.pointsPerCvssPoint, `no usable CVSS vector: default base ${base.toFixed(1)} assumed`, true);
  } else {
    if (cvss.legacy) flags.add('cvss-legacy-v2');
    const from = cvss.source ? ` from ${cvss.source}` : '';
    const several = cvss.sameVersionCount > 1 ? `, highest of ${cvss.sameVersionCount} v${cvss.version} vectors` : '';
    const why = cvss.version === '4.0' ? 'v4.0 preferred' : cvss.legacy ? 'legacy v2.0: no v3/v4 vector published' : 'no v4.0 vector; v3.x used';
    b.points('cvss', 'CVSS base score', `CVSS ${cvss.version} ${cvss.baseScore}`, W.cvss.pointsPerCvssPoint, base * W.cvss.pointsPerCvssPoint, `CVSS ${cvss.version} base ${cvss.baseScore}${from} (${why}${several}): ${cvss.vector}`);
  }

  // 2. exploitation: KEV and EPSS do not add up (both say "exploited"); the larger counts
  const kev = adv?.kev;
  const kevPts = kev ? W.exploitation.kev : 0;
  b.points('kev', 'CISA KEV', kev !== undefined, W.exploitation.kev, kevPts, kev ? `listed in CISA KEV since ${kev.dateAdded} (due ${kev.dueDate}): exploited in the wild` : 'not listed in CISA KEV');
  const ransomware = kev?.knownRansomware === true;
  b.points(
    'ransomware',
    'Known ransomware use',
    kev ? kev.knownRansomware : null,
    W.exploitation.knownRansomware,
    ransomware ? W.exploitation.knownRansomware : 0,
    ransomware ? 'KEV: known to be used in ransomware campaigns' : kev ? `KEV ransomware use: ${kev.knownRansomware === 'unknown' ? 'unknown' : 'none known'}` : 'not in KEV',
  );
  const epss = adv?.epss;
  const percentile = epss && Number.isFinite(epss.percentile) ? Math.min(1, Math.max(0, epss.percentile)) : undefined;
  if (percentile === undefined) flags.add('epss-missing');
  const epssPts = (percentile ?? 0) * W.exploitation.epssMax;
  const epssExtra = Math.max(0, epssPts - kevPts);
  const epssReason =
    percentile === undefined
      ? 'no EPSS score for this vulnerability: 0 points'
      : `EPSS ${epss!.score} (percentile ${percentile}, ${epss!.date}) gives ${round(epssPts, 2)} points` + (kevPts > 0 ? `; KEV already counts ${kevPts}, the larger of the two counts` : '');
  b.points('epss', 'EPSS', percentile ?? null, W.exploitation.epssMax, epssExtra, epssReason, percentile === undefined);

  // 3. context
  let rubric: RubricAssessment | undefined;
  if (input.rubric && Object.keys(input.rubric).length > 0) {
    const v = validateRubricAnswers(input.rubric);
    if (!v.valid) {
      flags.add('rubric-invalid');
      warnings.push(...v.errors.map((e) => `rubric ignored entry: ${e.message}`));
    }
    rubric = assessRubric(input.rubric);
    if (!rubric.attackVector) flags.add('rubric-incomplete');
  }
  const rav = rubricAttackVector(cvss?.attackVector, rubric);
  b.multiply('rubric-attack-vector', 'Rubric attack-vector ceiling', rubric?.attackVector ?? null, rav);
  const av = rav.effective;

  const exp = exposure(av, input.exposure);
  if (exp.assumed) flags.add('exposure-unknown');
  b.multiply('exposure', 'Network exposure', exposureSummary(input.exposure), exp);

  const criticality = input.device?.criticality;
  if (!criticality) flags.add('criticality-unknown');
  b.multiply('clinical-impact', 'Clinical impact', criticality ?? null, clinicalImpact(criticality, rubric));

  const phiHandling = input.device?.phiHandling;
  if (!phiHandling || phiHandling === 'unknown') flags.add('phi-unknown');
  b.multiply('phi', 'Protected health information', phiHandling ?? null, phi(phiHandling, rubric, cvss?.confidentiality));

  const ctl = controls(input.controls, av, cvss?.privilegesRequired);
  if (ctl.unknown.length > 0) {
    flags.add('unknown-control');
    warnings.push(`unknown compensating controls ignored: ${ctl.unknown.join(', ')}`);
  }
  b.multiply('compensating-controls', 'Compensating controls', input.controls?.length ? [...new Set(input.controls)].sort().join(', ') : null, ctl);

  const uncapped = round(b.value, 2);
  if (b.value > 100) {
    flags.add('capped');
    b.override('cap', 'Cap at 100', round(b.value, 2), 100, `scores stop at 100 (uncapped ${round(b.value, 1)} orders findings that all reach 100)`);
  }

  // 4. triage and lifecycle: a decided "not affected" or "fixed" is no risk, whatever the inputs
  const f = input.finding;
  const state = f?.triage?.state;
  if (f?.status === 'closed') {
    b.override('triage', 'Finding status', 'closed', 0, `finding closed${f.closeReason ? ` (${f.closeReason})` : ''}: no current risk`);
  } else if (state === 'not_affected' || state === 'fixed') {
    const just = f?.triage?.justification ? ` (${f.triage.justification})` : '';
    b.override('triage', 'Triage', state, 0, `triaged ${state}${just}: no risk`);
  } else {
    const reason =
      state === 'under_investigation'
        ? 'under investigation: scored as affected until decided'
        : state === 'affected'
          ? 'confirmed affected by triage'
          : 'not triaged yet: scored as affected';
    b.points('triage', 'Triage', state ?? null, 0, 0, reason);
  }

  const score = Math.min(100, Math.max(0, round(b.value, 1)));
  const facts: RiskFacts = { kev: kev !== undefined, knownRansomware: ransomware };
  if (epss && percentile !== undefined) {
    facts.epssScore = epss.score;
    facts.epssPercentile = percentile;
  }
  if (cvss) facts.cvss = { version: cvss.version, baseScore: cvss.baseScore, vector: cvss.vector };
  if (av) facts.attackVector = av;
  if (criticality) facts.criticality = criticality;
  if (phiHandling) facts.phiHandling = phiHandling;
  if (state) facts.triage = state;
  return { score, band: bandOf(score), uncapped, factors: b.factors, flags: [...flags].sort(), warnings, facts, model: RISK_MODEL_VERSION };
}

/** The exposure facts in one line for the factor's input: 'internet-exposed, zone icu SL3, 2 zones, cleartext telnet'. */
function exposureSummary(e: RiskInput['exposure']): string | null {
  if (!e) return null;
  const parts: string[] = [];
  if (e.isolated) parts.push('isolated');
  if (e.internetExposed !== undefined) parts.push(e.internetExposed ? 'internet-exposed' : 'not internet-exposed');
  if (e.zone) parts.push(`zone ${e.zone.id}${e.zone.securityLevel !== undefined ? ` SL${e.zone.securityLevel}` : ''}`);
  if (e.reachableFromZones?.length) parts.push(`reachable from ${new Set(e.reachableFromZones).size} zones`);
  if (e.cleartextProtocols?.length) parts.push(`cleartext ${[...new Set(e.cleartextProtocols)].join('/')}`);
  return parts.length > 0 ? parts.join(', ') : null;
}
