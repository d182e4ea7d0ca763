/**
 * @module Test builders for risk scoring: CVSS entries, advisories with KEV/EPSS, devices and
 * scored records, so each test states only what it is about.
 */
import type { CvssScore, CvssVersion, EpssScore, KevStatus } from '../vulns/index.js';
import type { RiskAdvisory, RiskDevice, RiskFindingRef, RiskInput, RiskRecord } from './model.js';
import { scoreFinding } from './score.js';

export const CRITICAL_NETWORK_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

export function cvssEntry(version: CvssVersion, baseScore: number, vector?: string, source?: string): CvssScore {
  const v =
    vector ??
    (version === '4.0'
      ? 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'
      : version === '2.0'
        ? 'AV:N/AC:L/Au:N/C:P/I:P/A:P'
        : `CVSS:${version}/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`);
  const s: CvssScore = { version, vector: v, baseScore, baseSeverity: baseScore >= 9 ? 'CRITICAL' : baseScore >= 7 ? 'HIGH' : baseScore >= 4 ? 'MEDIUM' : baseScore > 0 ? 'LOW' : 'NONE' };
  if (source) s.source = source;
  return s;
}

export const kevEntry = (knownRansomware: KevStatus['knownRansomware'] = 'unknown'): KevStatus => ({
  dateAdded: '2023-01-10',
  dueDate: '2023-01-31',
  requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
  knownRansomware,
});

export const epssEntry = (percentile: number, score = percentile / 10): EpssScore => ({ score, percentile, date: '2024-05-01' });

export function advisory(over: Partial<RiskAdvisory> = {}): RiskAdvisory {
  return { id: 'CVE-2024-0001', severity: [cvssEntry('3.1', 9.8, CRITICAL_NETWORK_VECTOR)], ...over };
}

export const device = (id: string, over: Partial<RiskDevice> = {}): RiskDevice => ({ id, ...over });

export const finding = (id: string, over: Partial<RiskFindingRef> = {}): RiskFindingRef => ({ id, productId: 'prod-1', vulnerabilityId: `CVE-${id}`, ...over });

/** Scores the input and wraps it as a record for rollups and views. */
export function record(f: RiskFindingRef, input: Omit<RiskInput, 'finding'>): RiskRecord {
  const r: RiskRecord = { finding: f, score: scoreFinding({ ...input, finding: f }) };
  if (input.device) r.device = input.device;
  if (input.advisory) r.advisory = input.advisory;
  return r;
}
