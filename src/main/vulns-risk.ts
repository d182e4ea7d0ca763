/**
 * @module The vulnerability service's scorer, bound to the risk capability: a finding plus the
 * merged intelligence of its vulnerability, the product's rubric answers and one device become a
 * RiskInput; the score, its breakdown and the recommended action come back.
 */
import { recommendAction, scoreFinding } from '../risk/index.js';
import type { FindingRisk, FindingScorer } from '../vulns/rating.js';
import { riskInputOf } from '../vulns/risk-input.js';

export const clinicalRiskScorer: FindingScorer = (input): FindingRisk => {
  const { risk, finding, advisory } = riskInputOf(input);
  const score = scoreFinding(risk);
  return { score: score.score, band: score.band, breakdown: score, recommendedAction: recommendAction({ advisory, finding, score: { band: score.band, score: score.score } }) };
};
