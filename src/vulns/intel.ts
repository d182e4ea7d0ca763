/**
 * @module What is known about one vulnerability across all advisories that name it: CVSS
 * vectors from every source, KEV listing, EPSS, remediations, publication time. KEV and EPSS come
 * as advisories of their own (id = CVE); risk scoring sees them merged here.
 */
import type { Advisory, CvssScore, EpssScore, KevStatus, Remediation } from './model.js';

export interface VulnIntel {
  vulnerabilityId: string;
  cvss: CvssScore[];
  kev?: KevStatus;
  epss?: EpssScore;
  remediations: Remediation[];
  /** earliest publication among the advisories */
  published?: string;
  advisoryIds: string[];
  withdrawn: boolean;
}

export function mergeIntel(vulnerabilityId: string, advisories: readonly Advisory[]): VulnIntel {
  const intel: VulnIntel = { vulnerabilityId, cvss: [], remediations: [], advisoryIds: [], withdrawn: false };
  const live = advisories.filter((a) => !a.withdrawn);
  intel.withdrawn = advisories.length > 0 && live.length === 0;
  for (const a of live) {
    intel.advisoryIds.push(a.id);
    intel.cvss.push(...a.severity);
    intel.remediations.push(...a.remediations);
    if (a.kev && !intel.kev) intel.kev = a.kev;
    if (a.epss && (!intel.epss || a.epss.date > intel.epss.date)) intel.epss = a.epss;
    if (a.published && (!intel.published || a.published < intel.published)) intel.published = a.published;
  }
  return intel;
}

/**
 * KEV and EPSS records only enrich the advisories of the same CVE. KEV's vendor/product text is too
 * loose to match on ("Microsoft" / "Windows"), and a finding per source would duplicate the CVE.
 */
export const isEnrichmentOnly = (a: Pick<Advisory, 'source'>): boolean => a.source === 'kev' || a.source === 'epss';
