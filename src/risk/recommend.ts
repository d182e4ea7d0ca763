/**
 * @module recommendAction: what to do about a finding, and the advisory text or URL that says so.
 * A fixed version or a CSAF vendor_fix means patch; mitigation or workaround guidance means follow
 * the vendor; nothing published means compensating controls; a low (or no) risk means accept and
 * monitor. The basis lists what the advice rests on, strongest first, so the analyst can check it.
 */
import type { Recommendation, RecommendationBasis, RiskAdvisory, RiskBand, RiskFindingRef } from './model.js';

export interface RecommendInput {
  advisory?: RiskAdvisory;
  finding?: RiskFindingRef;
  /** the finding's risk; low and none lead to accept/monitor */
  score?: { band: RiskBand; score?: number };
}

/** CSAF categories, also accepted with dashes or upper case from other sources. */
const category = (c: string): string => c.trim().toLowerCase().replace(/[-\s]+/g, '_');

const basisOf = (r: { category: string; details: string; url?: string }): RecommendationBasis => {
  const b: RecommendationBasis = { kind: 'remediation', category: category(r.category), text: r.details.trim() || `(${category(r.category)} without details)` };
  if (r.url) b.url = r.url;
  return b;
};

export function recommendAction(input: RecommendInput): Recommendation {
  const { advisory, finding, score } = input;
  const remediations = advisory?.remediations ?? [];
  const of = (...cats: string[]) => remediations.filter((r) => cats.includes(category(r.category))).map(basisOf);
  const vendorFix = of('vendor_fix');
  const guidance = of('mitigation', 'workaround');
  const noFix = of('none_available', 'no_fix_planned');

  const fixed = [...new Set([...(finding?.fixedVersions ?? []), ...(advisory?.affected ?? []).flatMap((a) => a.fixed)])].filter((v) => v.trim() !== '');
  const fixBasis: RecommendationBasis[] = fixed.length > 0 ? [{ kind: 'fixed-version', text: `fixed in ${fixed.join(', ')}` }] : [];
  const kevBasis: RecommendationBasis[] = advisory?.kev?.requiredAction
    ? [{ kind: 'kev-required-action', text: `CISA KEV required action (due ${advisory.kev.dueDate}): ${advisory.kev.requiredAction}` }]
    : [];

  if (score?.band === 'none') {
    const t = finding?.triage;
    const text =
      finding?.status === 'closed'
        ? `finding closed${finding.closeReason ? ` (${finding.closeReason})` : ''}`
        : t
          ? `triaged ${t.state}${t.justification ? ` (${t.justification})` : ''}${t.detail ? `: ${t.detail}` : ''}`
          : 'risk score 0';
    return { action: 'accept/monitor', reason: `No current risk: ${text}. Monitor for changes to the advisory or the device.`, basis: [{ kind: 'triage', text }] };
  }
  if (score?.band === 'low') {
    const fixNote = vendorFix.length > 0 || fixed.length > 0 ? ' A fix exists: apply it with routine maintenance.' : '';
    return {
      action: 'accept/monitor',
      reason: `Low clinical risk${score.score !== undefined ? ` (${score.score})` : ''}: accept and monitor for exploitation (KEV, EPSS) or exposure changes.${fixNote}`,
      basis: [...vendorFix, ...fixBasis, ...guidance],
    };
  }
  if (vendorFix.length > 0 || fixed.length > 0) {
    const first = vendorFix[0];
    const what = first ? `the vendor fix: ${first.text}` : `a fixed version (${fixed.join(', ')})`;
    return {
      action: 'patch',
      reason: `Patch: install ${what}. Validate the update with clinical engineering before rollout.${guidance.length > 0 ? ' Until then, apply the vendor mitigations.' : ''}`,
      basis: [...vendorFix, ...fixBasis, ...guidance, ...kevBasis],
    };
  }
  if (guidance.length > 0) {
    return {
      action: 'vendor-guidance',
      reason: `Follow the vendor guidance: ${guidance[0]!.text}${guidance.length > 1 ? ` (and ${guidance.length - 1} more)` : ''}. No fixed version is published.`,
      basis: [...guidance, ...kevBasis, ...noFix],
    };
  }
  const stated = noFix[0] ? ` The vendor states: ${noFix[0].text}` : '';
  return {
    action: 'compensating-control',
    reason: `No fix or vendor guidance is published.${stated} Apply compensating controls: segment the device, allow only required peers, disable unused services, monitor its traffic.`,
    basis: [...noFix, ...kevBasis],
  };
}
