/**
 * @module The vulnerability service's scorer, bound to the risk capability: a finding plus the
 * merged intelligence of its vulnerability, the product's rubric answers and one device become a
 * RiskInput; the score, its breakdown and the recommended action come back.
 */
import { recommendAction, scoreFinding, type RiskAdvisory, type RiskFindingRef, type RiskInput } from '../risk/index.js';
import type { FindingRiskInput, FindingRisk, FindingScorer } from '../vulns/rating.js';

export function riskInputOf(input: FindingRiskInput): { risk: RiskInput; finding: RiskFindingRef; advisory: RiskAdvisory } {
  const { finding: f, intel, product, device } = input;
  const finding: RiskFindingRef = { id: f.id, productId: f.productId, vulnerabilityId: f.vulnerabilityId, status: f.status, fixedVersions: f.fixedVersions };
  if (f.closeReason) finding.closeReason = f.closeReason;
  if (f.triage) finding.triage = { state: f.triage.state, ...(f.triage.justification ? { justification: f.triage.justification } : {}), ...(f.triage.detail ? { detail: f.triage.detail } : {}) };
  const advisory: RiskAdvisory = { id: f.advisoryId, severity: intel.cvss, remediations: intel.remediations };
  if (intel.kev) advisory.kev = intel.kev;
  if (intel.epss) advisory.epss = intel.epss;
  const risk: RiskInput = { finding, advisory };
  if (device) {
    risk.device = { id: device.id, ...(device.name ? { name: device.name } : {}), ...(device.criticality ? { criticality: device.criticality } : {}), ...(device.phiHandling ? { phiHandling: device.phiHandling } : {}) };
    if (device.site) risk.device.site = device.site;
    if (device.building) risk.device.building = device.building;
    if (device.unit) risk.device.unit = device.unit;
    if (device.exposure) risk.exposure = device.exposure;
  }
  if (product.rubric) risk.rubric = product.rubric;
  return { risk, finding, advisory };
}

export const clinicalRiskScorer: FindingScorer = (input): FindingRisk => {
  const { risk, finding, advisory } = riskInputOf(input);
  const score = scoreFinding(risk);
  return { score: score.score, band: score.band, breakdown: score, recommendedAction: recommendAction({ advisory, finding, score: { band: score.band, score: score.score } }) };
};
