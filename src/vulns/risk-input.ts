/**
 * @module The one mapping from what vulnerability intelligence knows (a finding, the merged
 * intelligence of its vulnerability, the product and one device) to the risk capability's input.
 * The scorer and the portfolio views both use it, so a score and its rollups read the same facts.
 */
import type { RiskAdvisory, RiskFindingRef, RiskInput } from '../risk/index.js';
import type { FindingRiskInput } from './rating.js';

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
