/**
 * @module Display helpers for risk scores and triage: the band of a score, labels for bands, VEX
 * states and recommended actions, and how a breakdown factor's input, weight and contribution read.
 * The band thresholds mirror the server's risk model (src/risk/weights.ts bands) because the
 * findings list carries only the number; the finding detail and portfolio carry the band itself.
 */
import type { RecommendedAction, RiskBand, RiskFactor, VexState } from '../../api/vulns.js';
import { humanize } from '../../lib/format.js';

/** lowest score of each band (risk model careguard-risk@1) */
export const BAND_MIN: Record<Exclude<RiskBand, 'none' | 'low'>, number> = { critical: 80, high: 60, medium: 35 };

export function bandOf(score: number): RiskBand {
  if (!Number.isFinite(score) || score <= 0) return 'none';
  if (score >= BAND_MIN.critical) return 'critical';
  if (score >= BAND_MIN.high) return 'high';
  if (score >= BAND_MIN.medium) return 'medium';
  return 'low';
}

const BAND_LABELS: Record<RiskBand, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', none: 'None' };
export const bandLabel = (band: string): string => (BAND_LABELS as Record<string, string>)[band] ?? humanize(band);

/**
 * The `minRisk` that lists a band's findings and every band above it (the findings API filters by
 * a minimum score only). Low starts just above 0; 'none' (score 0) has no such filter.
 */
export function bandMinRisk(band: RiskBand): number | undefined {
  if (band === 'none') return undefined;
  if (band === 'low') return 0.1;
  return BAND_MIN[band];
}

/** 100 -> "100", 86.6 -> "86.6", 61.649 -> "61.6" */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return '—';
  return String(Math.round(score * 10) / 10);
}

const ACTION_LABELS: Record<RecommendedAction, string> = {
  patch: 'Patch',
  'vendor-guidance': 'Vendor guidance',
  'compensating-control': 'Compensating control',
  'accept/monitor': 'Accept & monitor',
};
export const actionLabel = (action: string): string => (ACTION_LABELS as Record<string, string>)[action] ?? humanize(action.replace('/', ' '));

const TRIAGE_LABELS: Record<VexState, string> = {
  not_affected: 'Not affected',
  affected: 'Affected',
  fixed: 'Fixed',
  under_investigation: 'Under investigation',
};
export const triageLabel = (state: string | undefined): string => (state === undefined ? 'Untriaged' : (TRIAGE_LABELS as Record<string, string>)[state] ?? humanize(state));

const SOURCE_LABELS: Record<string, string> = { nvd: 'NVD', osv: 'OSV', csaf: 'CSAF', kev: 'CISA KEV', epss: 'EPSS', cve5: 'CVE 5' };
/** advisory feed ids as people write them: "nvd" -> "NVD", "cve5" -> "CVE 5" */
export const sourceLabel = (source: string): string => SOURCE_LABELS[source] ?? humanize(source);

/**
 * Triage to not_affected or fixed takes a finding's risk to 0 (the model's triage factor), but the
 * stored riskScore the findings list sorts and filters by is only refreshed at the next
 * reconciliation; such a score is labelled as from before the triage rather than shown as current.
 */
export const scoreIsPreTriage = (triageState: string | undefined): boolean => triageState === 'not_affected' || triageState === 'fixed';

/** where a triage decision came from: an analyst in the dashboard/API, or an imported VEX document */
export function triageOriginLabel(origin: string): string {
  if (origin === 'analyst') return 'Analyst decision';
  const vex = /^vex:([a-z]+)(?:[:\s](.*))?$/i.exec(origin);
  if (vex) {
    const format = { cyclonedx: 'CycloneDX', csaf: 'CSAF', openvex: 'OpenVEX' }[vex[1]?.toLowerCase() ?? ''] ?? vex[1] ?? '';
    return `Imported ${format} VEX${vex[2] ? ` (${vex[2].trim()})` : ''}`;
  }
  return origin;
}

/** the factor's input as read: null is "not known", booleans are yes/no, ratios keep 3 decimals */
export function formatFactorInput(input: RiskFactor['input']): string {
  if (input === null) return 'not known';
  if (typeof input === 'boolean') return input ? 'yes' : 'no';
  if (typeof input === 'number') return String(Math.round(input * 1000) / 1000);
  return input;
}

/** points per unit for points factors, "×1.2" for multipliers, the limit for overrides */
export function formatWeight(factor: Pick<RiskFactor, 'kind' | 'weight'>): string {
  const w = String(Math.round(factor.weight * 1000) / 1000);
  return factor.kind === 'multiplier' ? `×${w}` : w;
}

/** "+61.6", "−14.31", "0" (a real minus sign so screen readers say "minus") */
export function formatContribution(n: number): string {
  const r = Math.round(n * 100) / 100;
  if (r === 0) return '0';
  return r > 0 ? `+${r}` : `\u2212${Math.abs(r)}`;
}

/** The factors' contributions add up to the score (up to rounding); shown as the table's total row. */
export const sumContributions = (factors: readonly Pick<RiskFactor, 'contribution'>[]): number =>
  Math.round(factors.reduce((s, f) => s + (Number.isFinite(f.contribution) ? f.contribution : 0), 0) * 100) / 100;

/** EPSS probability or percentile 0..1 as "61%" / "80.5%" */
export function formatProbability(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '—';
  return `${Math.round(p * 1000) / 10}%`;
}
